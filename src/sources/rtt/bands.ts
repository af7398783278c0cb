import { inputError, type ErrorLocation } from '../../errors.js';

/**
 * Week bands of waiting time, as the RTT files publish them: "Gt 00 To 01 Weeks SUM 1" in the
 * full CSV extract, ">0-1" in the workbooks (more than 0 and up to 1 week), and one open band at
 * the top ("Gt 104 Weeks SUM 1", "104 plus"). Bands are read from the header, not assumed:
 * older extracts are reported to stop at 52 weeks.
 */
export interface WeekBand {
  /** Lower bound in weeks (exclusive). */
  from: number;
  /** Upper bound in weeks (inclusive); null for the open top band. */
  to: number | null;
  /** Raw field name, e.g. 'incomplete_wk_17_18', 'incomplete_wk_104_plus'. */
  field: string;
  /** The header as published. */
  column: string;
  /** 0-based column index in the file. */
  index: number;
}

const BAND_PATTERNS: readonly { pattern: RegExp; open: boolean }[] = [
  { pattern: /^Gt (\d+) To (\d+) Weeks SUM 1$/i, open: false },
  { pattern: /^Gt (\d+) Weeks SUM 1$/i, open: true },
  { pattern: /^>(\d+)-(\d+)$/, open: false },
  { pattern: /^(\d+) plus$/i, open: true },
];

/** Raw field of the incomplete-pathway count in a band. */
export function bandField(from: number, to: number | null): string {
  return to === null ? `incomplete_wk_${from}_plus` : `incomplete_wk_${from}_${to}`;
}

/** The week bounds a header names, or undefined when it is not a band. */
export function parseBandHeader(header: string): { from: number; to: number | null } | undefined {
  const text = header.trim();
  for (const { pattern, open } of BAND_PATTERNS) {
    const match = pattern.exec(text);
    if (match) return { from: Number(match[1]), to: open ? null : Number(match[2]) };
  }
  return undefined;
}

/**
 * Every band column of a header, checked to cover all waits from 0 weeks with no gap or overlap
 * and to end in one open band; the error names the first band that breaks the sequence.
 */
export function readBands(header: readonly string[], at: ErrorLocation): WeekBand[] {
  const bands: WeekBand[] = [];
  header.forEach((column, index) => {
    const bounds = parseBandHeader(column);
    if (bounds) bands.push({ ...bounds, field: bandField(bounds.from, bounds.to), column: column.trim(), index });
  });
  if (bands.length === 0) throw inputError('E_HEADER', at, 'no week-band columns ("Gt 00 To 01 Weeks SUM 1" or ">0-1") in the header.');
  let expected = 0;
  bands.forEach((band, position) => {
    if (band.from !== expected) {
      throw inputError('E_HEADER', { ...at, column: band.column },
        `week bands must run on from ${expected} weeks without a gap, but this column starts at ${band.from}.`);
    }
    const last = position === bands.length - 1;
    if (band.to === null && !last) throw inputError('E_HEADER', { ...at, column: band.column }, 'an open-ended band comes before other bands.');
    if (band.to !== null && last) throw inputError('E_HEADER', { ...at, column: band.column }, 'the last week band is not open-ended ("… plus"): the header may be cut short.');
    if (band.to !== null) expected = band.to;
  });
  return bands;
}

/** Derived counts the measures use, with the band columns each one sums (for provenance). */
export const WITHIN_18_WEEKS = 'incomplete_within_18wk';
export const OVER_WEEKS = [52, 65, 78, 104] as const;
export const overField = (weeks: number): string => `incomplete_over_${weeks}wk`;

export interface DerivedCount {
  field: string;
  /** Positions (in `bands`) of the bands it sums. */
  members: number[];
  /** "Gt 00 To 01 Weeks SUM 1 … Gt 17 To 18 Weeks SUM 1" */
  column: string;
}

/**
 * Waiting within 18 weeks (every band up to 18 weeks) and over 52/65/78/104 weeks (every band
 * from there up), where the bands have a boundary at that week: an extract whose top band is
 * "Gt 52 Weeks" cannot say how many waited over 65, so that count is left out, never guessed.
 */
export function derivedCounts(bands: readonly WeekBand[]): DerivedCount[] {
  const span = (members: number[]) => `${bands[members[0]!]!.column} … ${bands[members.at(-1)!]!.column}`;
  const counts: DerivedCount[] = [];
  const within = bands.flatMap((band, i) => (band.to !== null && band.to <= 18 ? [i] : []));
  if (bands.some((band) => band.to === 18)) counts.push({ field: WITHIN_18_WEEKS, members: within, column: span(within) });
  for (const weeks of OVER_WEEKS) {
    if (!bands.some((band) => band.from === weeks)) continue;
    const over = bands.flatMap((band, i) => (band.from >= weeks ? [i] : []));
    counts.push({ field: overField(weeks), members: over, column: span(over) });
  }
  return counts;
}

/** Sum of the given band counts; null when any of them is not published. */
export function sumBands(counts: readonly (number | null)[], members: readonly number[]): number | null {
  let total = 0;
  for (const i of members) {
    const value = counts[i];
    if (value === null || value === undefined) return null;
    total += value;
  }
  return total;
}
