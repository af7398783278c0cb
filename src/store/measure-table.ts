import { BOOLEAN, DOUBLE, INTEGER, LIST, VARCHAR, listValue, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { appendColumns } from './append.js';
import type { Store } from './store.js';

/**
 * The table of measure values (README.md, "Measure values"): every measure's figure for every
 * organisation, level and month, computed once after ingest and read in slices by every surface.
 * The store knows no measure definitions, so it only marks what an ingest made stale, and keeps
 * and serves the rows the assessment layer computes.
 */

/** One row of `measure_values`, as written and read. */
export type MeasureTableRow = {
  measure: string;
  /** 'trust' or 'provider' for published rows (by code); 'icb', 'region', 'england' for rolled-up or published area rows. */
  level: string;
  org: string;
  period: string;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  note: string | null;
  members: string[] | null;
  excluded: string[] | null;
  apportioned: boolean | null;
  rolled_up: boolean;
  rank: number | null;
  ranked: number | null;
  target_id: string | null;
  threshold: number | null;
  target_met: boolean | null;
  /** England rows of a measure with a published England series: how the figure was made (NHS England's own, or a sum). */
  basis: string | null;
  /** England rows from NHS England's series that includes its estimates for trusts that did not report. */
  includes_estimates: boolean | null;
};

export const MEASURE_TABLE_COLUMNS = [
  'measure', 'level', 'org', 'period', 'numerator', 'denominator', 'value', 'note', 'members', 'excluded', 'apportioned', 'rolled_up',
  'rank', 'ranked', 'target_id', 'threshold', 'target_met', 'basis', 'includes_estimates',
] as const satisfies readonly (keyof MeasureTableRow)[];

const TYPES: DuckDBType[] = [
  VARCHAR, VARCHAR, VARCHAR, VARCHAR, DOUBLE, DOUBLE, DOUBLE, VARCHAR, LIST(VARCHAR), LIST(VARCHAR), BOOLEAN, BOOLEAN,
  INTEGER, INTEGER, VARCHAR, DOUBLE, BOOLEAN, VARCHAR, BOOLEAN,
];

/** What an ingest made stale: a collection's months (null: all of them), or every collection's roll-ups. */
export type PendingMark = {
  collection: string;
  period: string | null;
  rollups_only: boolean;
};

/** Every collection: used with rollupsOnly when organisations moved between areas (ODS). */
export const ALL_COLLECTIONS = '*';

/**
 * Marks months of a collection stale, inside the ingest's transaction, so that no committed
 * version of the store ever serves rows older than its figures: readers fall back to computing
 * a stale collection live until the refresh that rebuilds it commits.
 */
export async function markPending(store: Store, collection: string, periods: readonly string[] | null, rollupsOnly = false): Promise<void> {
  if (periods === null) {
    await store.run('INSERT INTO measure_pending VALUES ($1, NULL, $2)', [collection, rollupsOnly]);
    return;
  }
  if (periods.length === 0) return;
  await store.run(`INSERT INTO measure_pending SELECT $1, unnest(from_json($2, '["VARCHAR"]')), $3`, [collection, JSON.stringify(periods), rollupsOnly]);
}

export function pendingMarks(store: Store): Promise<PendingMark[]> {
  return store.all<PendingMark>('SELECT DISTINCT collection, period, rollups_only FROM measure_pending ORDER BY collection, period NULLS FIRST');
}

export async function clearPending(store: Store, marks: readonly PendingMark[]): Promise<void> {
  if (marks.length === 0) return;
  // One statement for every mark: an ingest of a whole folder leaves hundreds.
  const key = (collection: string, period: string | null, rollupsOnly: boolean) => `${collection}|${period ?? ''}|${rollupsOnly}`;
  await store.run(
    `DELETE FROM measure_pending WHERE collection || '|' || coalesce(period, '') || '|' || rollups_only::VARCHAR IN (SELECT unnest(from_json($1, '["VARCHAR"]')))`,
    [JSON.stringify(marks.map((mark) => key(mark.collection, mark.period, mark.rollups_only)))],
  );
}

/**
 * Stores made before the table existed (or by a version that did not fill it) get every
 * collection marked once, so the next refresh builds it; until then readers compute live.
 */
export async function markUnbuiltStore(store: Store): Promise<void> {
  const built = await store.one<{ value: string }>(`SELECT value FROM meta WHERE key = 'measure_table'`);
  if (built?.value === MEASURE_TABLE_VERSION) return;
  await store.transaction(async () => {
    // Version 1 held England's sums where version 2 holds NHS England's published England series
    // merged in (basis, includes_estimates): only the roll-ups need making again.
    if (built?.value === '1') await store.run(`INSERT INTO measure_pending VALUES ($1, NULL, true)`, [ALL_COLLECTIONS]);
    else await store.run(`INSERT INTO measure_pending SELECT DISTINCT collection, NULL, false FROM file_periods`);
    await store.run(`INSERT OR REPLACE INTO meta VALUES ('measure_table', $1)`, [MEASURE_TABLE_VERSION]);
  });
}

/** What the rows of `measure_values` hold; a store built by an older version is marked to rebuild. */
const MEASURE_TABLE_VERSION = '2';

/** Collections whose rows are stale (a roll-up mark makes every collection stale). */
export async function staleCollections(store: Store): Promise<{ all: boolean; collections: Set<string> }> {
  const rows = await store.all<{ collection: string }>('SELECT DISTINCT collection FROM measure_pending');
  const collections = new Set(rows.map((row) => row.collection));
  return { all: collections.has(ALL_COLLECTIONS), collections };
}

/**
 * Replaces rows of `measure_values` (inside the refresh's transaction): every month of the
 * `measure|level` pairs in `whole`, and the `measure|level|period` rows in `some`; then appends `rows`.
 */
export async function replaceMeasureRows(store: Store, whole: readonly string[], some: readonly string[], rows: readonly MeasureTableRow[]): Promise<void> {
  await deleteKeyed(store, 'measure_values', whole, some);
  await appendColumns(store, 'measure_values', TYPES, MEASURE_TABLE_COLUMNS.map((column) => rows.map((row) => cell(row[column]))));
}

async function deleteKeyed(store: Store, table: string, whole: readonly string[], some: readonly string[]): Promise<void> {
  if (whole.length > 0) {
    await store.run(`DELETE FROM ${table} WHERE measure || '|' || level IN (SELECT unnest(from_json($1, '["VARCHAR"]')))`, [JSON.stringify(whole)]);
  }
  if (some.length > 0) {
    await store.run(`DELETE FROM ${table} WHERE measure || '|' || level || '|' || period IN (SELECT unnest(from_json($1, '["VARCHAR"]')))`, [JSON.stringify(some)]);
  }
}

function cell(value: unknown): DuckDBValue {
  return Array.isArray(value) ? listValue(value) : (value as DuckDBValue);
}

/** One organisation's SPC window as stored (`measure_spc`). */
export type SpcTableRow = {
  measure: string;
  level: string;
  org: string;
  periods: string[];
  mean: (number | null)[];
  lpl: (number | null)[];
  upl: (number | null)[];
  point_type: string[];
  variation: string;
};

const SPC_COLUMNS = ['measure', 'level', 'org', 'periods', 'mean', 'lpl', 'upl', 'point_type', 'variation'] as const satisfies readonly (keyof SpcTableRow)[];
const SPC_TYPES: DuckDBType[] = [VARCHAR, VARCHAR, VARCHAR, LIST(VARCHAR), LIST(DOUBLE), LIST(DOUBLE), LIST(DOUBLE), LIST(VARCHAR), VARCHAR];

/** Replaces the SPC windows of the `measure|level` pairs in `keys`. */
export async function replaceSpcRows(store: Store, keys: readonly string[], rows: readonly SpcTableRow[]): Promise<void> {
  await deleteKeyed(store, 'measure_spc', keys, []);
  await appendColumns(store, 'measure_spc', SPC_TYPES, SPC_COLUMNS.map((column) => rows.map((row) => cell(row[column]))));
}

/** The values of some `measure|level` pairs, lean (no lists): what the SPC windows are made from. */
export function measureValueSeries(store: Store, keys: readonly string[]): Promise<{ measure: string; level: string; org: string; period: string; value: number | null }[]> {
  return store.all(`SELECT measure, level, org, period, value FROM measure_values WHERE measure || '|' || level IN (SELECT unnest(from_json($1, '["VARCHAR"]')))
    ORDER BY measure, level, org, period`, [JSON.stringify(keys)]);
}

export interface MeasureSlice {
  measures?: readonly string[];
  levels?: readonly string[];
  orgs?: readonly string[];
  from?: string;
  to?: string;
}

/** A slice of the table, ordered by measure, organisation and month. */
export async function measureTableRows(store: Store, slice: MeasureSlice): Promise<MeasureTableRow[]> {
  const where: string[] = [];
  const params: Record<string, string> = {};
  const list = (name: string, column: string, values: readonly string[] | undefined) => {
    if (values === undefined) return;
    if (values.length === 1) {
      params[name] = values[0]!;
      where.push(`${column} = $${name}`);
    } else {
      params[name] = JSON.stringify(values);
      where.push(`${column} IN (SELECT unnest(from_json($${name}, '["VARCHAR"]')))`);
    }
  };
  list('measures', 'measure', slice.measures);
  list('levels', 'level', slice.levels);
  list('orgs', 'org', slice.orgs);
  if (slice.from !== undefined) {
    params.from = slice.from;
    where.push('period >= $from');
  }
  if (slice.to !== undefined) {
    params.to = slice.to;
    where.push('period <= $to');
  }
  // The two lists come as text and are split here: DuckDB's client turns a list into JavaScript
  // value by value, which made reading England's rows (hundreds of members each) 150 ms of CPU
  // against 40. ODS codes never hold a comma.
  const lists = ['members', 'excluded'].map((column) => `CASE WHEN ${column} IS NULL THEN NULL ELSE array_to_string(${column}, ',') END AS ${column}`).join(', ');
  const sql = `SELECT * REPLACE (${lists}) FROM measure_values ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY measure, org, period`;
  const rows = await store.all(sql, params);
  for (const row of rows) {
    row.members = listOf(row.members as string | null);
    row.excluded = listOf(row.excluded as string | null);
  }
  return rows as MeasureTableRow[];
}

function listOf(joined: string | null): string[] | null {
  return joined === null ? null : joined === '' ? [] : joined.split(',');
}

/** Replaces unplaced-provider rows as replaceMeasureRows does measure values. */
export async function replaceUnplaced(store: Store, whole: readonly string[], some: readonly string[], rows: readonly { measure: string; level: string; period: string; orgs: string[] }[]): Promise<void> {
  await deleteKeyed(store, 'measure_unplaced', whole, some);
  const columns = ['measure', 'level', 'period', 'orgs'] as const;
  await appendColumns(store, 'measure_unplaced', [VARCHAR, VARCHAR, VARCHAR, LIST(VARCHAR)], columns.map((column) => rows.filter((row) => row.orgs.length > 0).map((row) => cell(row[column]))));
}

/** Every stored list of unplaced providers, keyed `measure|level|period`. */
export async function allUnplaced(store: Store): Promise<Map<string, string[]>> {
  const rows = await store.all<{ measure: string; level: string; period: string; orgs: string[] }>('SELECT measure, level, period, orgs FROM measure_unplaced');
  return new Map(rows.map((row) => [`${row.measure}|${row.level}|${row.period}`, row.orgs]));
}

/** Signals as stored: one JSON document each, under the collection whose figures raised it. */
export async function replaceSignals(store: Store, collections: readonly string[], signals: readonly { collection: string; period: string; org: string; metric: string; kind: string; json: string }[]): Promise<void> {
  await store.run(`DELETE FROM signals WHERE collection IN (SELECT unnest(from_json($1, '["VARCHAR"]')))`, [JSON.stringify(collections)]);
  const columns: DuckDBValue[][] = [[], [], [], [], [], []];
  for (const s of signals) [s.collection, s.period, s.org, s.metric, s.kind, s.json].forEach((value, i) => columns[i]!.push(value));
  await appendColumns(store, 'signals', [VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR], columns);
}

export async function storedSignals(store: Store): Promise<string[]> {
  return (await store.all<{ signal: string }>('SELECT signal FROM signals')).map((row) => row.signal);
}

export type PeerStatsRow = { measure: string; level: string; as_of: string; from_period: string; deadline: string; median: number | null; p90: number | null; observations: number | null };

export async function replacePeerStats(store: Store, measures: readonly string[], rows: readonly PeerStatsRow[]): Promise<void> {
  await store.run(`DELETE FROM peer_improvement WHERE measure IN (SELECT unnest(from_json($1, '["VARCHAR"]')))`, [JSON.stringify(measures)]);
  const columns = ['measure', 'level', 'as_of', 'from_period', 'deadline', 'median', 'p90', 'observations'] as const;
  await appendColumns(store, 'peer_improvement', [VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR, DOUBLE, DOUBLE, INTEGER], columns.map((column) => rows.map((row) => row[column])));
}

export function peerStatsRows(store: Store): Promise<PeerStatsRow[]> {
  return store.all<PeerStatsRow>('SELECT * FROM peer_improvement');
}
