import { ASSURANCE_LABELS, VARIATION_LABELS, type Assurance, type Variation } from './icons.js';

/**
 * The Making Data Count icons, drawn for Planwatch in the MDC manner: a ringed circle, blue for
 * improvement, orange for concern, purple for neutral special cause and grey for common cause;
 * H or L says whether the special cause is high or low, P or F whether the target is met or
 * missed. Colour is never the only signal: every icon has a <title> and the letters and shapes
 * differ, and the labelled form prints the words beside it. All colours reach 4.5:1 on white.
 */

const BLUE = '#005EB8';
const ORANGE = '#B35000';
const PURPLE = '#6A3D9A';
const GREY = '#595959';

export interface IconOptions {
  /** Width and height in CSS pixels (default 40). */
  size?: number;
}

interface VariationDrawing {
  colour: string;
  letter: string;
  /** Heights of the seven dots, 0 = on the centre line, positive = higher. */
  dots: readonly number[];
}

const FLAT = [1, -2, 2, -1, 1, -2, 1] as const;
const RISING = [0, -1, 1, 0, 5, 9, 13] as const;
const FALLING = [0, 1, -1, 0, -5, -9, -13] as const;

const VARIATION_DRAWINGS: Readonly<Record<Variation, VariationDrawing>> = {
  common_cause: { colour: GREY, letter: '', dots: FLAT },
  improvement_high: { colour: BLUE, letter: 'H', dots: RISING },
  improvement_low: { colour: BLUE, letter: 'L', dots: FALLING },
  concern_high: { colour: ORANGE, letter: 'H', dots: RISING },
  concern_low: { colour: ORANGE, letter: 'L', dots: FALLING },
  neutral_high: { colour: PURPLE, letter: 'H', dots: RISING },
  neutral_low: { colour: PURPLE, letter: 'L', dots: FALLING },
};

/** A standalone variation icon: an image whose accessible name is its label. */
export function variationIconSvg(variation: Variation, options: IconOptions = {}): string {
  return svg(VARIATION_LABELS[variation], variationBody(variation), options, false);
}

/** A standalone assurance icon: an image whose accessible name is its label. */
export function assuranceIconSvg(assurance: Assurance, options: IconOptions = {}): string {
  return svg(ASSURANCE_LABELS[assurance], assuranceBody(assurance), options, false);
}

/** The variation icon with its label printed beside it (the icon itself is then decorative). */
export function variationIconWithLabel(variation: Variation, options: IconOptions = {}): string {
  return labelled(variation, VARIATION_LABELS[variation], svg(VARIATION_LABELS[variation], variationBody(variation), options, true));
}

/** The assurance icon with its label printed beside it (the icon itself is then decorative). */
export function assuranceIconWithLabel(assurance: Assurance, options: IconOptions = {}): string {
  return labelled(assurance, ASSURANCE_LABELS[assurance], svg(ASSURANCE_LABELS[assurance], assuranceBody(assurance), options, true));
}

function labelled(kind: string, label: string, icon: string): string {
  return `<span class="pw-spc-icon pw-spc-icon--${kind.replaceAll('_', '-')}">${icon}<span class="pw-spc-icon__label">${label}</span></span>`;
}

function svg(label: string, body: string, options: IconOptions, decorative: boolean): string {
  const size = options.size ?? 40;
  const role = decorative ? 'aria-hidden="true" focusable="false"' : `role="img" aria-label="${label}"`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="${size}" height="${size}" ${role}>` +
    `<title>${label}</title>${body}</svg>`
  );
}

function ring(colour: string): string {
  return `<circle cx="50" cy="50" r="44" fill="#ffffff" stroke="${colour}" stroke-width="7"/>`;
}

function letter(text: string, colour: string, y: number, size: number): string {
  return text === ''
    ? ''
    : `<text x="50" y="${y}" text-anchor="middle" font-family="Arial, Helvetica, sans-serif" font-weight="700" font-size="${size}" fill="${colour}">${text}</text>`;
}

function variationBody(variation: Variation): string {
  const { colour, letter: mark, dots } = VARIATION_DRAWINGS[variation];
  const baseline = mark === '' ? 52 : dots === FALLING ? 58 : 66;
  const points = dots.map((height, i) => [23 + i * 9, baseline - height] as const);
  const line = `<polyline points="${points.map(([x, y]) => `${x},${y}`).join(' ')}" fill="none" stroke="${GREY}" stroke-width="2"/>`;
  // The last three dots carry the special cause, so only they take the icon's colour.
  const circles = points
    .map(([x, y], i) => `<circle cx="${x}" cy="${y}" r="4" fill="${i >= 4 && mark !== '' ? colour : GREY}"/>`)
    .join('');
  return ring(colour) + letter(mark, colour, 42, 30) + line + circles;
}

function assuranceBody(assurance: Assurance): string {
  if (assurance === 'hit_and_miss') {
    // A process line wandering either side of a dashed target line.
    return (
      ring(GREY) +
      `<line x1="16" y1="50" x2="84" y2="50" stroke="${ORANGE}" stroke-width="3" stroke-dasharray="6 4"/>` +
      `<polyline points="20,60 30,38 40,58 50,40 60,62 70,36 80,56" fill="none" stroke="${GREY}" stroke-width="4"/>`
    );
  }
  const colour = assurance === 'consistent_pass' ? BLUE : ORANGE;
  return ring(colour) + letter(assurance === 'consistent_pass' ? 'P' : 'F', colour, 66, 46);
}
