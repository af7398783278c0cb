import { describe, expect, it } from 'vitest';
import { createViews } from '../../../src/server/views.js';
import { loadComponents, renderComponent } from '../../helpers/components.js';

const views = createViews();
const components = await loadComponents();

describe('server/views/components', () => {
  it('has a macro, a template and fixtures in every component folder', () => {
    expect(components.map((c) => c.name)).toEqual(['measure-section', 'org-search', 'scorecard', 'spc-chart', 'target-status']);
    for (const component of components) expect(Object.keys(component.fixtures).length).toBeGreaterThan(0);
  });

  for (const component of components) {
    for (const [example, params] of Object.entries(component.fixtures)) {
      it(`renders ${component.name} "${example}" with no undefined or object placeholders`, () => {
        const html = renderComponent(views, component, params);
        expect(html.trim().length).toBeGreaterThan(0);
        expect(html).not.toMatch(/undefined|\[object Object\]|NaN/);
      });
    }
  }
});

describe('spc-chart component', () => {
  const chart = components.find((c) => c.name === 'spc-chart')!;

  it('puts the chart, its caption naming it, a key and the table of figures together', () => {
    const html = renderComponent(views, chart, chart.fixtures['with limits, target and special cause']!);
    expect(html).toMatch(/<svg[^>]*aria-labelledby="chart-limits-caption"/);
    expect(html).toContain('<figcaption class="pw-chart__caption nhsuk-body-s" id="chart-limits-caption">');
    expect(html).toContain('Special cause: improvement');
    expect(html).toContain('Target (dotted red line)');
    expect(html).toMatch(/<table[^>]*pw-chart__table/);
    expect(html).toContain('download>Download all the figures');
  });

  it('draws special cause with its own shape, not only its own colour', () => {
    const html = renderComponent(views, chart, chart.fixtures['with limits, target and special cause']!);
    // Plot draws symbols as paths: the improvement point's path differs from the circles'.
    const symbols = new Set([...html.matchAll(/<path[^>]*\sd="([^"]+)"[^>]*transform="translate/g)].map((m) => m[1]!.replace(/[\d.-]+/g, 'n')));
    expect(symbols.size).toBeGreaterThanOrEqual(2);
  });
});

describe('target-status component', () => {
  it('says the verdict in words inside a tag', () => {
    const status = components.find((c) => c.name === 'target-status')!;
    const html = renderComponent(views, status, status.fixtures['not met']!);
    expect(html).toMatch(/<strong class="nhsuk-tag nhsuk-tag--red">\s*Not met\s*<\/strong>/);
  });
});

describe('target-status component: the road to a deadline (issue 12)', () => {
  it('shows the projection with its interval and a verdict in words, what it would take, and the reading in a details element', () => {
    const status = components.find((c) => c.name === 'target-status')!;
    const html = renderComponent(views, status, status.fixtures['projected, with what it would take and the reading']!);
    expect(html).toContain('<dt>Projected in March 2027</dt>');
    expect(html).toMatch(/likely between 60\.1% and 65\.9% \(80% interval\)/);
    expect(html).toMatch(/<strong class="nhsuk-tag nhsuk-tag--red">\s*Off track\s*<\/strong>/);
    expect(html).toContain('<dt>What it would take</dt>');
    expect(html).toMatch(/<details class="nhsuk-details[^"]*"[\s\S]*How Planwatch reads this target[\s\S]*improvement_unit: percent/);
  });
});
