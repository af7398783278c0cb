import { addMonths } from '../../src/dimensions.js';
import { ingestFile } from '../../src/store/ingest.js';
import { Store } from '../../src/store/store.js';
import { fixtureText } from './fixtures.js';

/**
 * A store of made-up monthly A&E files in the published 2020-booked layout (its exact header,
 * taken from the synthetic fixture), long enough for SPC charts and year-on-year changes.
 * Every number is invented: a deterministic wobble around a level, RAA improving steadily.
 */
const HEADER = fixtureText('ae', 'synthetic-ae-2020-booked.csv').split(/\r?\n/)[0]!;
const TRAILING_EMPTY = ',,,,,,';

export const SYNTHETIC_TRUSTS = [
  { code: 'RAA', parent: 'NHS ENGLAND LONDON', name: 'SYNTHETIC LONDON HOSPITALS NHS TRUST', level: 0.7, trend: 0.006 },
  { code: 'RBB', parent: 'NHS ENGLAND LONDON', name: 'SYNTHETIC RIVERSIDE NHS TRUST', level: 0.8, trend: 0 },
  { code: 'RCC', parent: 'NHS ENGLAND NORTH WEST ', name: 'SYNTHETIC NORTH WEST NHS TRUST', level: 0.75, trend: -0.002 },
  { code: 'RDD', parent: 'NHS ENGLAND MIDLANDS ', name: 'SYNTHETIC MIDLANDS NHS FOUNDATION TRUST', level: 0.85, trend: 0 },
] as const;

const MONTHS = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'];

function wobble(seed: number): number {
  const x = Math.sin(seed * 12.9898) * 43758.5453;
  return x - Math.floor(x) - 0.5;
}

export function syntheticAeMonth(period: string, index: number): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  const label = `MSitAE-${MONTHS[month - 1]}-${year}`;
  const rows = SYNTHETIC_TRUSTS.map((trust, t) => {
    const attendances = 9000 + Math.round(2000 * (wobble(index * 7 + t) + 0.5));
    const share = Math.min(0.99, trust.level + trust.trend * index + 0.02 * wobble(index * 13 + t * 3));
    const over4 = Math.round(attendances * (1 - share));
    const dta12 = Math.round(50 + 40 * (wobble(index * 5 + t) + 0.5));
    // The 18 measures in header order: attendances ×3, booked ×3, over 4h ×3, booked over 4h ×3,
    // DTA 4–12h, DTA 12h+, emergency admissions ×3, other emergency admissions.
    return [attendances, 0, 0, 0, 0, 0, over4, 0, 0, 0, 0, 0, 4 * dta12, dta12, Math.round(attendances / 4), 0, 0, 300];
  });
  const totals = rows[0]!.map((_, i) => rows.reduce((sum, row) => sum + row[i]!, 0));
  const line = (cells: readonly (string | number)[]) => cells.join(',');
  const body = rows.map((row, t) => {
    const trust = SYNTHETIC_TRUSTS[t]!;
    return `${line([label, trust.code, trust.parent, trust.name, ...row])}${TRAILING_EMPTY}`;
  });
  return [HEADER, ...body, `${line(['Total ', 'Total ', 'Total ', 'Total ', ...totals])}${TRAILING_EMPTY}`, ''].join('\n');
}

/** A store holding `months` synthetic monthly files ending at `last`. */
export async function syntheticStore(months = 30, last = '2025-03'): Promise<Store> {
  const store = await Store.open(':memory:');
  const first = addMonths(last, -(months - 1));
  for (let i = 0; i < months; i++) {
    const period = addMonths(first, i);
    await ingestFile(store, { name: `synthetic-ae-${period}.csv`, bytes: new TextEncoder().encode(syntheticAeMonth(period, i)) });
  }
  return store;
}
