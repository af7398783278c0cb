import { PlanwatchError } from './errors.js';
import { isIcbCode } from './sources/icbs.js';
import { REGIONS } from './sources/regions.js';

/**
 * The three things every figure is keyed or judged by, kept in one place for every layer: the
 * month ('YYYY-MM'), the level of the organisation hierarchy, and a measure's improvement
 * direction. Sources, targets, measures, analysis and the surfaces all import these; none keeps
 * its own copy of the pattern, the list of levels or the union of directions.
 */

// ---- Periods -------------------------------------------------------------------------------

/** A month as 'YYYY-MM'; a quarter is keyed by its last month ('2025-03' for Q4 2024-25). */
export const PERIOD_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isPeriod(text: string): boolean {
  return PERIOD_PATTERN.test(text);
}

export function addMonths(period: string, months: number): string {
  const index = monthIndex(period) + months;
  return `${Math.floor(index / 12)}-${MONTH_NUMBERS[((index % 12) + 12) % 12]}`;
}

/** Months from `from` to `to`: 0 for the same month, negative when `to` is earlier. */
export function monthsFrom(from: string, to: string): number {
  return monthIndex(to) - monthIndex(from);
}

// Trajectories and series step through months tens of thousands of times a page: parsing the
// two numbers by hand instead of split/map/padStart took addMonths from a third of a status
// build's time to a sliver of it.
const MONTH_NUMBERS = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'] as const;

function monthIndex(period: string): number {
  const dash = period.indexOf('-');
  return Number(period.slice(0, dash)) * 12 + Number(period.slice(dash + 1, dash + 3)) - 1;
}

/** Every month from `from` to `to` inclusive, stepping `step` months. */
export function monthsBetween(from: string, to: string, step = 1): string[] {
  const out: string[] = [];
  for (let period = from; period <= to; period = addMonths(period, step)) out.push(period);
  return out;
}

/** Financial year 'YYYY/YY' containing a month: April starts the year. */
export function financialYearOf(period: string): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  const start = month >= 4 ? year : year - 1;
  return `${start}/${String((start + 1) % 100).padStart(2, '0')}`;
}

/** First and last month of a financial year 'YYYY/YY'. */
export function financialYearMonths(year: string): { from: string; to: string } {
  const start = Number(year.slice(0, 4));
  return { from: `${start}-04`, to: `${start + 1}-03` };
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function periodLabel(period: string, frequency: 'month' | 'quarter' = 'month'): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  if (frequency === 'quarter') {
    const fyStart = month >= 4 ? year : year - 1;
    const quarter = Math.floor(((month - 4 + 12) % 12) / 3) + 1;
    return `Q${quarter} ${fyStart}-${String((fyStart + 1) % 100).padStart(2, '0')}`;
  }
  return `${MONTH_NAMES[month - 1]} ${year}`;
}

// ---- Levels --------------------------------------------------------------------------------

/**
 * Levels of the organisation hierarchy, in display order: providers (trusts and other A&E
 * providers) roll up to ICBs and regions, and everything to England. Ambulance trusts are NHS
 * trusts (R-codes) too; the level 'ambulance_trust' is what their sources call them, and what
 * ambulance targets apply to. A month maps to the hierarchy in force then: regions come from each
 * publication's own parent column, ICBs from dated ODS links.
 */
export const LEVELS = ['england', 'region', 'icb', 'trust', 'provider', 'ambulance_trust'] as const;
export type Level = (typeof LEVELS)[number];

/** Levels whose figures are sums over member organisations rather than published rows. */
export const AGGREGATE_LEVELS: readonly Level[] = ['england', 'region', 'icb'];

export const ENGLAND = 'ENG';

export function isLevel(text: string): text is Level {
  return (LEVELS as readonly string[]).includes(text);
}

export function levelOfCode(code: string): Level {
  if (code === ENGLAND) return 'england';
  if (REGIONS[code]) return 'region';
  // ICB codes are Q plus two characters (QHM, QE1), or a merged board's five (Z9B2Z, April
  // 2026), which only the list of mergers tells from a new trust code; trusts are R or T plus two.
  if (isIcbCode(code)) return 'icb';
  if (/^[RT][A-Z0-9]{2}$/.test(code)) return 'trust';
  return 'provider';
}

export function regionName(code: string): string | undefined {
  return REGIONS[code];
}

export const REGION_CODES: readonly string[] = Object.keys(REGIONS);

// ---- Direction -----------------------------------------------------------------------------

/** Which way is better for a measure; 'neutral' measures are ranked largest first and never judged. */
export const DIRECTIONS = ['increase', 'decrease', 'neutral'] as const;
export type Direction = (typeof DIRECTIONS)[number];

// ---- Checking user input -------------------------------------------------------------------

/** A month option as given, or undefined; refuses anything but 'YYYY-MM', naming the option. */
export function checkPeriod(text: string | undefined, option: string): string | undefined {
  if (text === undefined) return undefined;
  if (!isPeriod(text)) throw new PlanwatchError('E_USAGE', `${option} must be a month as YYYY-MM (e.g. 2025-03), not "${text}".`);
  return text;
}
