import { DOMParser } from 'linkedom';
import { describe, expect, it } from 'vitest';
import {
  assuranceIconSvg,
  assuranceIconWithLabel,
  variationIconSvg,
  variationIconWithLabel,
} from '../../../src/analysis/spc/icon-svg.js';
import { ASSURANCE_LABELS, ASSURANCES, VARIATION_LABELS, VARIATIONS, type Assurance } from '../../../src/analysis/spc/icons.js';

const assurances = ASSURANCES.filter((a): a is Assurance => a !== null);

function parse(markup: string) {
  return new DOMParser().parseFromString(`<div>${markup}</div>`, 'text/html');
}

describe('variationIconSvg(variation) and assuranceIconSvg(assurance)', () => {
  const cases = [
    ...VARIATIONS.map((v) => [variationIconSvg(v), VARIATION_LABELS[v]] as const),
    ...assurances.map((a) => [assuranceIconSvg(a), ASSURANCE_LABELS[a]] as const),
  ];

  it.each(cases)('is an image named by its label, with a matching <title>: %#', (markup, label) => {
    const svg = parse(markup).querySelector('svg')!;
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.getAttribute('aria-label')).toBe(label);
    expect(svg.querySelector('title')!.textContent).toBe(label);
  });

  it('draws H for high and L for low special causes, P and F for pass and fail, none for common cause', () => {
    const letters = (markup: string) => parse(markup).querySelector('text')?.textContent ?? '';
    expect(VARIATIONS.map((v) => letters(variationIconSvg(v)))).toEqual(['', 'H', 'L', 'H', 'L', 'H', 'L']);
    expect(assurances.map((a) => letters(assuranceIconSvg(a)))).toEqual(['P', 'F', '']);
  });

  it('honours the size option', () => {
    const svg = parse(variationIconSvg('common_cause', { size: 24 })).querySelector('svg')!;
    expect([svg.getAttribute('width'), svg.getAttribute('height')]).toEqual(['24', '24']);
  });
});

describe('variationIconWithLabel(variation) and assuranceIconWithLabel(assurance)', () => {
  it('prints a distinct label beside a decorative icon, so colour is never the only signal', () => {
    const labelled = [...VARIATIONS.map((v) => variationIconWithLabel(v)), ...assurances.map((a) => assuranceIconWithLabel(a))];
    const texts = labelled.map((markup) => {
      const doc = parse(markup);
      expect(doc.querySelector('svg')!.getAttribute('aria-hidden')).toBe('true');
      return doc.querySelector('.pw-spc-icon__label')!.textContent;
    });
    expect(texts).toEqual([...VARIATIONS.map((v) => VARIATION_LABELS[v]), ...assurances.map((a) => ASSURANCE_LABELS[a])]);
    expect(new Set(texts).size).toBe(texts.length);
  });
});
