import { formatValue } from '../cli/format.js';
import type { Unit } from '../measures/definition.js';

/** Values and changes as the pages print them: words a screen reader reads well, no "pts". */
export function valueText(value: number | null | undefined, unit: Unit): string {
  return formatValue(value, unit);
}

/** "3.0 percentage points higher", "1,204 fewer", "no change"; empty when unknown. */
export function changeText(value: number | null | undefined, unit: Unit): string {
  if (value === null || value === undefined) return '';
  if (value === 0) return 'no change';
  const magnitude = Math.abs(value);
  if (unit === 'percent') return `${magnitude.toFixed(1)} percentage points ${value > 0 ? 'higher' : 'lower'}`;
  if (unit === 'count') return `${formatValue(magnitude, unit)} ${value > 0 ? 'more' : 'fewer'}`;
  return `${formatValue(magnitude, unit)} ${value > 0 ? 'higher' : 'lower'}`;
}

// Publications print names in capitals; these stay capitals when the rest is put in title case.
const ACRONYMS = new Set(['NHS', 'UTC', 'UCC', 'MIU', 'OOH', 'CIC', 'GP', 'GPS', 'A&E', 'ICB', 'PHL', 'NEMS', 'CBS', 'WIC', 'UK', 'II', 'III', 'IOW']);
const SMALL_WORDS = new Set(['AND', 'OF', 'THE', 'FOR', 'IN', 'ON', 'AT', 'UPON']);

/**
 * "PORTSMOUTH HOSPITALS UNIVERSITY NHS TRUST" → "Portsmouth Hospitals University NHS Trust":
 * long runs of capitals are hard to read. Names already in mixed case are left alone.
 */
export function displayName(name: string): string {
  if (name !== name.toUpperCase()) return name;
  return name
    .toLowerCase()
    .split(/(\s+|-|\(|\))/)
    .map((word, index) => {
      const upper = word.toUpperCase();
      if (ACRONYMS.has(upper) || (/^[A-Z]{2,}$/.test(upper) && !/[AEIOUY]/.test(upper))) return upper;
      if (index > 0 && SMALL_WORDS.has(upper)) return word;
      return word.replace(/^([^a-z]*)([a-z])/, (_, lead: string, first: string) => lead + first.toUpperCase())
        .replace(/([.'’][a-z])/g, (match) => (match.startsWith('.') ? match.toUpperCase() : match));
    })
    .join('');
}
