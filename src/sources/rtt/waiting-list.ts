import { inputError, type ErrorLocation } from '../../errors.js';
import type { OrgFact, ParseItem } from '../contract.js';
import { derivedCounts, sumBands, type WeekBand } from './bands.js';
import { INCOMPLETE_TOTAL } from './layouts.js';

/**
 * One provider's waiting list (incomplete pathways, all treatment functions) as a file states
 * it, summed over its rows; both RTT layouts fill these and share the checks and the output.
 */
export interface ProviderWaitingList {
  org: string;
  name: string;
  /** Line or row of the provider's first all-treatment-functions row, for provenance. */
  line: number;
  sheet?: string;
  parent?: { level: 'region' | 'icb'; code: string };
  /** Counts per band, aligned with the file's bands; null where any summed cell was blank. */
  bandCounts: (number | null)[];
  /** "Total All" / "Total number of incomplete pathways" of the all-treatment-functions rows. */
  total: number | null;
  /** Sum of the same total over the provider's individual treatment-function rows. */
  treatmentFunctions: { total: number | null; rows: number };
  /** Totals the file publishes beside the bands (workbooks), checked against them. */
  published: Map<string, { value: number | null; column: string }>;
  hasAllRow: boolean;
}

export function newProvider(org: string, name: string, line: number, bands: number): ProviderWaitingList {
  return {
    org, name, line,
    bandCounts: new Array<number | null>(bands).fill(0),
    total: 0,
    treatmentFunctions: { total: 0, rows: 0 },
    published: new Map(),
    hasAllRow: false,
  };
}

/** Adds one all-treatment-functions row (one commissioner's share, in the CSV extract). */
export function addAllRow(provider: ProviderWaitingList, counts: readonly (number | null)[], total: number | null): void {
  provider.hasAllRow = true;
  counts.forEach((count, i) => {
    const sum = provider.bandCounts[i];
    provider.bandCounts[i] = sum === null || sum === undefined || count === null ? null : sum + count;
  });
  provider.total = provider.total === null || total === null ? null : provider.total + total;
}

export function addTreatmentFunctionRow(provider: ProviderWaitingList, total: number | null): void {
  const tf = provider.treatmentFunctions;
  tf.rows += 1;
  tf.total = tf.total === null || total === null ? null : tf.total + total;
}

export interface WaitingListColumns {
  /** Header of the total column, for messages and provenance. */
  total: string;
}

/**
 * Checks each provider's figures against each other and turns them into org facts and
 * observations: the total, every band, and the counts within 18 and over 52/65/78/104 weeks.
 * In every real file checked the bands add up to the total and the treatment functions to
 * the all-functions row, so a difference means lost or altered rows and the file is refused.
 */
export function waitingListItems(
  file: string,
  period: string,
  bands: readonly WeekBand[],
  providers: Iterable<ProviderWaitingList>,
  columns: WaitingListColumns,
): ParseItem[] {
  const derived = derivedCounts(bands);
  const items: ParseItem[] = [];
  const observations: ParseItem[] = [];
  for (const provider of providers) {
    const at = (column?: string): ErrorLocation => ({ file, ...(provider.sheet ? { sheet: provider.sheet } : {}), line: provider.line, ...(column ? { column } : {}) });
    if (!provider.hasAllRow) {
      throw inputError('E_TOTAL_MISMATCH', at('Treatment Function Code'),
        `provider ${provider.org} has incomplete pathways by treatment function but no all-functions (C_999) row; the file may be cut short.`);
    }
    checkEqual(sumBands(provider.bandCounts, bands.map((_, i) => i)), provider.total, at(columns.total),
      (bandsSum, total) => `provider ${provider.org}: the week bands add up to ${bandsSum} but the total is ${total}.`);
    if (provider.treatmentFunctions.rows > 0) {
      checkEqual(provider.treatmentFunctions.total, provider.total, at(columns.total),
        (functions, total) => `provider ${provider.org}: its treatment functions add up to ${functions} but its all-functions (C_999) total is ${total}.`);
    }
    const fact: OrgFact = {
      org: provider.org, period, name: provider.name, level: 'provider',
      ...(provider.parent ? { parentLevel: provider.parent.level, parent: provider.parent.code } : {}),
    };
    // A file's own England row is an aggregate, not an organisation with a name to record.
    if (provider.org !== 'ENG') items.push({ kind: 'org', fact });
    const add = (metric: string, value: number | null, column: string) =>
      observations.push({ kind: 'observation', observation: { metric, org: provider.org, period, value, row: provider.line, column } });
    add(INCOMPLETE_TOTAL, provider.total, columns.total);
    bands.forEach((band, i) => add(band.field, provider.bandCounts[i] ?? null, band.column));
    for (const count of derived) {
      const value = sumBands(provider.bandCounts, count.members);
      const published = provider.published.get(count.field);
      if (published) {
        checkEqual(value, published.value, at(published.column),
          (fromBands, stated) => `provider ${provider.org}: the week bands give ${fromBands} but "${published.column}" says ${stated}.`);
      }
      add(count.field, value, count.column);
    }
  }
  return [...items, ...observations];
}

function checkEqual(a: number | null, b: number | null, at: ErrorLocation, problem: (a: number, b: number) => string): void {
  if (a === null || b === null) return;
  if (Math.abs(a - b) > 1e-9 * Math.max(1, Math.abs(b))) throw inputError('E_TOTAL_MISMATCH', at, `${problem(a, b)} The file may be incomplete or altered.`);
}
