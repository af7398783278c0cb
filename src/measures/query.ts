import { AsyncLocalStorage } from 'node:async_hooks';
import { LRUCache } from 'lru-cache';
import { AGGREGATE_LEVELS, ENGLAND, levelOfCode, monthsBetween, type Level } from '../dimensions.js';
import {
  collectionPeriods, fileValueRow, partialPeriods, publicationsOf, publishedValueRows, rolledUpLevels, rolledUpValueRows, unplacedOrgRows, unplacedOrgRowsInRange,
  type MeasureSql, type RollUpLevel, type ValueRow,
} from '../store/measure-values.js';
import { allUnplaced, measureTableRows, staleCollections, type MeasureTableRow } from '../store/measure-table.js';
import type { Store } from '../store/store.js';
import { bandFieldsOf, type MeasureDefinition } from './definition.js';
import { bandQuantile } from './waiting-time.js';

/** A measure's figure for one organisation (or aggregate) and period. */
export interface MeasureValue {
  org: string;
  period: string;
  numerator: number | null;
  denominator: number | null;
  /** In the measure's unit: percent 0–100 for percentages. null when not reported. */
  value: number | null;
  /** Aggregates: the organisations summed. */
  members?: string[];
  /** Aggregates: organisations in the area left out because they did not report. */
  excluded?: string[];
  /** Aggregates made from apportioned members (ambulance services' shares of an ICB): an estimate. */
  apportioned?: boolean;
  /** Why the value is null (e.g. a field-testing trust, or no publication for the month). */
  note?: string;
  /** false when the store holds no publication of the collection for the month at all. */
  held?: boolean;
  /**
   * England's figure as NHS England publishes it, including its estimates for organisations that
   * did not report (MeasureDefinition.england), rather than a sum of providers.
   */
  includesEstimates?: boolean;
  /** How an England figure was made, shown beside it: NHS England's published figure, or a sum. */
  basis?: string;
}

export interface ValueQuery {
  level: Level;
  /** Restrict to these organisations (or aggregates). */
  orgs?: readonly string[];
  from?: string;
  to?: string;
}

/** The store's description of a measure: the raw fields its numerator and denominator sum. */
export function sqlOf(measure: MeasureDefinition): MeasureSql {
  return {
    collection: measure.collection,
    numerator: measure.numerator,
    denominator: measure.denominator,
    bandFields: bandFieldsOf(measure),
    apportioned: measure.icbRollUp === 'apportioned',
  };
}

function toValue(measure: MeasureDefinition, row: ValueRow): MeasureValue {
  let value: number | null;
  if (measure.distribution) {
    const bands = measure.distribution.bands.map((band, j) => ({ from: band.from, to: band.to, count: (row[`b${j}`] as number | null | undefined) ?? null }));
    value = row.num === null ? null : bandQuantile(bands, measure.distribution.quantile);
  } else if (measure.denominator) {
    value = row.num === null || row.den === null || row.den === 0 ? null : (measure.unit === 'percent' ? 100 : 1) * (row.num / row.den);
  } else {
    value = row.num;
  }
  const out: MeasureValue = { org: row.org, period: row.period, numerator: row.num, denominator: measure.denominator ? row.den : null, value };
  if (row.members) out.members = row.members;
  if (row.excluded && row.excluded.length > 0) out.excluded = row.excluded;
  if (row.note && value === null) out.note = row.note;
  if (row.apportioned) out.apportioned = true;
  return out;
}

/**
 * Every value of a measure at one level: providers and trusts as published; regions, ICBs and
 * England by summing their members' numerators and denominators (never averaging rates), or as
 * published for measures that cannot be summed. Read from the table of measure values when it
 * is up to date for the measure's collection (README of store, "Measure values"), else computed.
 */
export async function measureValues(store: Store, measure: MeasureDefinition, query: ValueQuery): Promise<MeasureValue[]> {
  if (!(await tableServes(store, measure.collection))) return computeMeasureValues(store, measure, query);
  // England's figure of these measures is NHS England's published series from another collection
  // (MeasureDefinition.england), merged with the sums at the refresh: read from the table only
  // while that collection's figures are not newer than it.
  if (query.level === 'england' && measure.england && !(await englandServes(store, measure))) return computeMeasureValues(store, measure, query);
  const levels = tableLevels(measure, query.level);
  if (levels.length === 0) return [];
  if (query.orgs?.length === 1) {
    // One organisation: a page asks for every measure of it, so all its rows come in one read.
    const own = (await orgRows(store, query.orgs[0]!)).get(measure.id) ?? [];
    return own.filter((row) => levels.includes(row.level) && (!query.from || row.period >= query.from) && (!query.to || row.period <= query.to)).map(fromTable);
  }
  const rows = await measureTableRows(store, {
    measures: [measure.id], levels, ...(query.orgs ? { orgs: query.orgs } : {}),
    ...(query.from ? { from: query.from } : {}), ...(query.to ? { to: query.to } : {}),
  });
  return rows.map(fromTable);
}

/**
 * Whether the table's England rows of a measure with a published England series are current:
 * the refresh stores them merged (roll-ups only: a measure taken as published is computed live).
 */
async function englandServes(store: Store, measure: MeasureDefinition): Promise<boolean> {
  return measure.rollUp === 'sum' && measure.england !== undefined && tableServes(store, measure.england.collection);
}

/** The levels of the table a query at `level` reads: the same organisations isAtLevel and the roll-ups choose. */
export function tableLevels(measure: MeasureDefinition, level: Level): string[] {
  if (AGGREGATE_LEVELS.includes(level) && measure.rollUp === 'sum') return level === 'icb' && measure.icbRollUp === 'none' ? [] : [level];
  if (level === 'provider') return ['trust', 'provider'];
  if (level === 'ambulance_trust') return ['trust'];
  return [level];
}

/**
 * An organisation's rank in the table of its level for a month (1 = best) and how many were
 * ranked, as stored; undefined when the table is stale for the collection or has no such row.
 */
export async function storedRank(store: Store, measure: MeasureDefinition, level: Level, org: string, period: string): Promise<{ rank: number | null; ranked: number } | undefined> {
  if (!(await tableServes(store, measure.collection))) return undefined;
  const levels = tableLevels(measure, level);
  const row = ((await orgRows(store, org)).get(measure.id) ?? []).find((entry) => entry.period === period && levels.includes(entry.level));
  return row ? { rank: row.rank, ranked: row.ranked ?? 0 } : undefined;
}

/** A row of the table as the value it stores, with the optional fields in toValue's order. */
function fromTable(row: MeasureTableRow): MeasureValue {
  const out: MeasureValue = { org: row.org, period: row.period, numerator: row.numerator, denominator: row.denominator, value: row.value };
  if (row.members) out.members = row.members;
  if (row.excluded && row.excluded.length > 0) out.excluded = row.excluded;
  if (row.note !== null) out.note = row.note;
  if (row.apportioned) out.apportioned = true;
  if (row.includes_estimates) out.includesEstimates = true;
  if (row.basis !== null) out.basis = row.basis;
  return out;
}

// Every row of one organisation, by measure, kept per store version for the organisations asked
// about most recently: an organisation page reads each of its ~90 measures, and one read of the
// table for all of them costs what one read for a single measure did.
const ORG_CACHE_ORGS = 256;
const orgCache = new WeakMap<Store, { version: number; orgs: LRUCache<string, Map<string, MeasureTableRow[]>, unknown> }>();

function orgRows(store: Store, org: string): Promise<Map<string, MeasureTableRow[]>> {
  let known = orgCache.get(store);
  if (!known || known.version !== store.version) {
    known = {
      version: store.version,
      orgs: new LRUCache<string, Map<string, MeasureTableRow[]>, unknown>({
        max: ORG_CACHE_ORGS,
        fetchMethod: async (code) => {
          const byMeasure = new Map<string, MeasureTableRow[]>();
          for (const row of await measureTableRows(store, { orgs: [code] })) {
            let list = byMeasure.get(row.measure);
            if (!list) byMeasure.set(row.measure, (list = []));
            list.push(row);
          }
          return byMeasure;
        },
      }),
    };
    orgCache.set(store, known);
  }
  return known.orgs.fetch(org) as Promise<Map<string, MeasureTableRow[]>>;
}

// The unplaced providers of every measure, level and month: a small table, read once per version.
const unplacedByVersion = new WeakMap<Store, { version: number; rows: Promise<Map<string, string[]>> }>();

function unplacedCache(store: Store): Promise<Map<string, string[]>> {
  let known = unplacedByVersion.get(store);
  if (!known || known.version !== store.version) {
    known = { version: store.version, rows: allUnplaced(store) };
    unplacedByVersion.set(store, known);
  }
  return known.rows;
}

/** Reads what every page of this store version shares (the unplaced providers), so the first page does not. */
export async function warmTableCaches(store: Store): Promise<void> {
  await unplacedCache(store);
}

// Which collections the table is stale for, asked once per store version: every read of a
// version gets the same answer, and an ingest (a new version) asks again.
const staleness = new WeakMap<Store, { version: number; stale: Promise<{ all: boolean; collections: Set<string> }> }>();

// Inside the refresh, what does not change while it runs (the months held, the partial months)
// is asked once per collection.
const refreshCache = new AsyncLocalStorage<Map<string, Promise<unknown>>>();

/** Runs the refresh's work with those answers kept for its duration. */
export function withRefreshCache<T>(work: () => Promise<T>): Promise<T> {
  return refreshCache.run(new Map(), work);
}

// Inside the refresh, once its rows are written, what it computes next (signals) reads them.
const freshTable = new AsyncLocalStorage<boolean>();

/** Runs `work` reading the table even inside a write transaction: only for the refresh that has just rebuilt it. */
export function readingFreshTable<T>(work: () => Promise<T>): Promise<T> {
  return freshTable.run(true, work);
}

/** Whether the table of measure values (and what is stored with it) is up to date for a collection. */
export function tableIsFresh(store: Store, collection: string): Promise<boolean> {
  return tableServes(store, collection);
}

async function tableServes(store: Store, collection: string): Promise<boolean> {
  if (store.inWriteTransaction) return freshTable.getStore() === true;
  let known = staleness.get(store);
  if (!known || known.version !== store.version) {
    known = { version: store.version, stale: staleCollections(store) };
    staleness.set(store, known);
  }
  const stale = await known.stale;
  return !stale.all && !stale.collections.has(collection);
}

/** measureValues computed from current figures, never from the table: what the table is built from. */
export async function computeMeasureValues(store: Store, measure: MeasureDefinition, query: ValueQuery): Promise<MeasureValue[]> {
  const single = query.orgs?.length === 1 ? query.orgs[0] : undefined;
  const aggregate = AGGREGATE_LEVELS.includes(query.level) && measure.rollUp === 'sum';
  if (aggregate && query.level === 'icb' && measure.icbRollUp === 'none') return [];
  const range = { ...(query.from ? { from: query.from } : {}), ...(query.to ? { to: query.to } : {}) };
  let rows: ValueRow[];
  if (!aggregate) {
    rows = await publishedValueRows(store, sqlOf(measure), { ...(single ? { org: single } : {}), ...range });
    rows = rows.filter((row) => isAtLevel(row.org, query.level));
  } else {
    rows = await rolledUpValueRows(store, sqlOf(measure), query.level as RollUpLevel, range);
    rows = await withoutPartialSums(store, measure, rows);
  }
  const wanted = query.orgs ? new Set(query.orgs) : undefined;
  const values = rows.filter((row) => !wanted || wanted.has(row.org)).map((row) => toValue(measure, row));
  if (query.level !== 'england' || !measure.england || (wanted && !wanted.has(ENGLAND))) return values;
  return withPublishedEngland(values, await publishedEngland(store, measure, measure.england, range));
}

const SUM_BASIS = 'the sum of the providers that reported this month (NHS England\'s published England figure, with its estimates for trusts that did not report, is not held for it)';

/**
 * NHS England's published England series of a measure (MeasureDefinition.england), one value a
 * month it holds a figure for, each saying how it was made (`basis`).
 */
export async function publishedEngland(
  store: Store, measure: MeasureDefinition, england: NonNullable<MeasureDefinition['england']>, range: { from?: string; to?: string },
): Promise<MeasureValue[]> {
  const sql: MeasureSql = { collection: england.collection, numerator: england.numerator, denominator: england.denominator, bandFields: [], apportioned: false };
  const values: MeasureValue[] = [];
  for (const row of await publishedValueRows(store, sql, { org: ENGLAND, ...range })) {
    if (row.num === null) continue;
    const value = !england.denominator ? row.num : row.den === null || row.den === 0 ? null : (measure.unit === 'percent' ? 100 : 1) * (row.num / row.den);
    values.push({
      // A published percentile is not a count of patients, which is what the numerator of a
      // distribution measure is elsewhere: leave it empty rather than mislabel it.
      org: ENGLAND, period: row.period, numerator: measure.distribution ? null : row.num, denominator: england.denominator ? row.den : null, value,
      ...(england.includesEstimates ? { includesEstimates: true } : {}), basis: england.note,
    });
  }
  return values;
}

/**
 * England's published figure (a national series with estimates) replaces the sum of providers
 * for every month the series holds; other months keep the sum, saying so. Why: NHS England's
 * headline England figure is the one with its estimates, and a sum misses trusts that did not
 * report (src/sources/rtt/README.md, "England").
 */
export function withPublishedEngland(sums: readonly MeasureValue[], published: readonly MeasureValue[]): MeasureValue[] {
  const byPeriod = new Map<string, MeasureValue>();
  for (const value of sums) byPeriod.set(value.period, value.value === null ? value : { ...value, basis: SUM_BASIS });
  for (const value of published) byPeriod.set(value.period, value);
  return [...byPeriod.values()].sort((a, b) => a.period.localeCompare(b.period));
}

/** Every published row of a measure (any level), as values: one query for the table's published levels. */
export async function computePublishedValues(store: Store, measure: MeasureDefinition, range: { from?: string; to?: string }): Promise<MeasureValue[]> {
  const rows = await publishedValueRows(store, sqlOf(measure), range);
  return rows.map((row) => toValue(measure, row));
}

/**
 * A sum over part of a publication (a one-trust subset of a national extract) is not an area's
 * figure: such months have no regional, ICB or England value, and say why.
 */
async function withoutPartialSums(store: Store, measure: MeasureDefinition, rows: ValueRow[]): Promise<ValueRow[]> {
  const cache = refreshCache.getStore();
  let pending = cache?.get(`partial|${measure.collection}`) as Promise<Map<string, string>> | undefined;
  if (!pending) {
    pending = partialPeriods(store, measure.collection);
    cache?.set(`partial|${measure.collection}`, pending);
  }
  const why = await pending;
  if (why.size === 0) return rows;
  return rows.map((row) => {
    const reason = why.get(row.period);
    if (reason === undefined) return row;
    const blanked: ValueRow = { org: row.org, period: row.period, num: null, den: null, note: `the store holds only part of this publication (${reason}), so there is no figure for the area` };
    return blanked;
  });
}

/** Whether a published (not rolled-up) row belongs to a level: ambulance trusts are R-coded trusts. */
function isAtLevel(org: string, level: Level): boolean {
  const own = levelOfCode(org);
  if (level === 'provider') return own === 'trust' || own === 'provider';
  if (level === 'ambulance_trust') return own === 'trust';
  return own === level;
}

/** Providers a level cannot place (e.g. no ICB for them in ODS): listed, never silently dropped. */
export async function unplacedOrgs(store: Store, measure: MeasureDefinition, level: Level, period: string): Promise<string[]> {
  if (!AGGREGATE_LEVELS.includes(level) || level === 'england' || measure.rollUp !== 'sum') return [];
  if (level === 'icb' && measure.icbRollUp === 'none') return [];
  if (await tableServes(store, measure.collection)) return (await unplacedCache(store)).get(`${measure.id}|${level}|${period}`) ?? [];
  return computeUnplacedOrgs(store, measure, level as RollUpLevel, period);
}

/**
 * Every roll-up level of a measure at once, as computeMeasureValues gives each, with the
 * providers each level could not place: what the refresh stores.
 */
export async function computeRollUps(store: Store, measure: MeasureDefinition, levels: readonly RollUpLevel[], range: { from?: string; to?: string }): Promise<{ values: Map<RollUpLevel, MeasureValue[]>; unplaced: { level: RollUpLevel; period: string; orgs: string[] }[] }> {
  const { rows, unplaced } = await rolledUpLevels(store, sqlOf(measure), levels, range);
  const values = new Map<RollUpLevel, MeasureValue[]>(levels.map((level) => [level, []]));
  const blanked = await withoutPartialSums(store, measure, rows);
  blanked.forEach((row, i) => values.get(rows[i]!.level)!.push(toValue(measure, row)));
  return { values, unplaced };
}

/** Every month's unplaced providers over a range (months with none are absent), from current figures. */
export function computeUnplacedByPeriod(store: Store, measure: MeasureDefinition, level: RollUpLevel, range: { from?: string; to?: string }): Promise<Map<string, string[]>> {
  return unplacedOrgRowsInRange(store, sqlOf(measure), level, range);
}

/** unplacedOrgs from current figures, never from the table. */
export function computeUnplacedOrgs(store: Store, measure: MeasureDefinition, level: RollUpLevel, period: string): Promise<string[]> {
  return unplacedOrgRows(store, sqlOf(measure), level, period);
}

export { collectionPeriods };

export interface SeriesQuery {
  from?: string;
  to?: string;
}

/**
 * One organisation's series, with every month between the first and last publication present:
 * a month the store has no publication for is reported as missing, never filled in.
 */
export async function measureSeries(store: Store, measure: MeasureDefinition, org: string, query: SeriesQuery = {}): Promise<MeasureValue[]> {
  const level = levelOfCode(org);
  const values = await measureValues(store, measure, { level, orgs: [org], ...(query.from ? { from: query.from } : {}), ...(query.to ? { to: query.to } : {}) });
  let published = await publishedPeriods(store, measure.collection);
  // England's published national series (RTT's overview timeseries) runs back before any extract.
  if (org === ENGLAND && measure.england) published = [...new Set([...published, ...(await publishedPeriods(store, measure.england.collection))])].sort();
  return fillSeries(measure, org, values, published, query);
}

// The months a collection has current figures for, asked once per store version.
const periodCache = new WeakMap<Store, { version: number; periods: Map<string, Promise<string[]>> }>();

export async function publishedPeriods(store: Store, collection: string): Promise<string[]> {
  if (store.inWriteTransaction) {
    const cache = refreshCache.getStore();
    let pending = cache?.get(`periods|${collection}`) as Promise<string[]> | undefined;
    if (!pending) {
      pending = collectionPeriods(store, collection);
      cache?.set(`periods|${collection}`, pending);
    }
    return pending;
  }
  let known = periodCache.get(store);
  if (!known || known.version !== store.version) {
    known = { version: store.version, periods: new Map() };
    periodCache.set(store, known);
  }
  let periods = known.periods.get(collection);
  if (!periods) {
    periods = collectionPeriods(store, collection);
    known.periods.set(collection, periods);
  }
  return periods;
}

/**
 * One organisation's values laid on every month between the first and last publication held
 * (within the query's range): a month the store has no publication for is reported as missing,
 * never filled in.
 */
export function fillSeries(measure: MeasureDefinition, org: string, values: readonly MeasureValue[], published: readonly string[], query: SeriesQuery = {}): MeasureValue[] {
  if (published.length === 0) return [];
  const first = query.from && query.from > published[0]! ? query.from : published[0]!;
  const last = query.to && query.to < published.at(-1)! ? query.to : published.at(-1)!;
  const step = measure.frequency === 'quarter' ? 3 : 1;
  const byPeriod = new Map(values.map((value) => [value.period, value]));
  const available = new Set(published);
  const start = step === 3 ? (published.find((p) => p >= first) ?? first) : first;
  return monthsBetween(start, last, step).map((period) => byPeriod.get(period) ?? {
    org, period, numerator: null, denominator: null, value: null,
    note: available.has(period) ? 'not in this publication' : 'no publication in the store for this month',
    ...(available.has(period) ? {} : { held: false }),
  });
}

export interface PublishedVersion {
  file: string;
  ingestedAt: Date;
  /** 'YYYY-MM-DD' or 'YYYY-MM' as the file, its name or its page says; null when none does. */
  published: string | null;
  /** 'first', 'revised', 'provisional' or 'final'; null when nothing says. */
  edition: string | null;
  current: boolean;
  value: MeasureValue | undefined;
}

/**
 * Every publication of one month for an organisation that is published as a row (a provider or
 * a publication's own aggregate row), oldest first: what the original said and what each revision
 * changed. Roll-ups are computed from current figures only.
 */
export async function measureHistory(store: Store, measure: MeasureDefinition, org: string, period: string): Promise<PublishedVersion[]> {
  const versions: PublishedVersion[] = [];
  for (const file of await publicationsOf(store, measure.collection, period)) {
    const row = await fileValueRow(store, sqlOf(measure), org, period, file.file_id);
    versions.push({ file: file.name, ingestedAt: file.ingested_at, published: file.published, edition: file.edition, current: file.current, value: row ? toValue(measure, row) : undefined });
  }
  return versions;
}
