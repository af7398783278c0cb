import { AGGREGATE_LEVELS, ENGLAND, levelOfCode, monthsBetween, type Level } from '../dimensions.js';
import {
  collectionPeriods, fileValueRow, partialPeriods, publicationsOf, publishedValueRows, rolledUpValueRows, unplacedOrgRows,
  type MeasureSql, type RollUpLevel, type ValueRow,
} from '../store/measure-values.js';
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
function sqlOf(measure: MeasureDefinition): MeasureSql {
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
 * published for measures that cannot be summed.
 */
export async function measureValues(store: Store, measure: MeasureDefinition, query: ValueQuery): Promise<MeasureValue[]> {
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
  return withPublishedEngland(store, measure, measure.england, values, range);
}

const SUM_BASIS = 'the sum of the providers that reported this month (NHS England\'s published England figure, with its estimates for trusts that did not report, is not held for it)';

/**
 * England's published figure (a national series with estimates) replaces the sum of providers
 * for every month the series holds; other months keep the sum, saying so. Why: NHS England's
 * headline England figure is the one with its estimates, and a sum misses trusts that did not
 * report (src/sources/rtt/README.md, "England").
 */
async function withPublishedEngland(
  store: Store, measure: MeasureDefinition, england: NonNullable<MeasureDefinition['england']>, sums: MeasureValue[], range: { from?: string; to?: string },
): Promise<MeasureValue[]> {
  const sql: MeasureSql = { collection: england.collection, numerator: england.numerator, denominator: england.denominator, bandFields: [], apportioned: false };
  const published = await publishedValueRows(store, sql, { org: ENGLAND, ...range });
  const byPeriod = new Map<string, MeasureValue>();
  for (const value of sums) byPeriod.set(value.period, value.value === null ? value : { ...value, basis: SUM_BASIS });
  for (const row of published) {
    if (row.num === null) continue;
    const value = !england.denominator ? row.num : row.den === null || row.den === 0 ? null : (measure.unit === 'percent' ? 100 : 1) * (row.num / row.den);
    byPeriod.set(row.period, {
      // A published percentile is not a count of patients, which is what the numerator of a
      // distribution measure is elsewhere: leave it empty rather than mislabel it.
      org: ENGLAND, period: row.period, numerator: measure.distribution ? null : row.num, denominator: england.denominator ? row.den : null, value,
      ...(england.includesEstimates ? { includesEstimates: true } : {}), basis: england.note,
    });
  }
  return [...byPeriod.values()].sort((a, b) => a.period.localeCompare(b.period));
}

/**
 * A sum over part of a publication (a one-trust subset of a national extract) is not an area's
 * figure: such months have no regional, ICB or England value, and say why.
 */
async function withoutPartialSums(store: Store, measure: MeasureDefinition, rows: ValueRow[]): Promise<ValueRow[]> {
  const why = await partialPeriods(store, measure.collection);
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
  return unplacedOrgRows(store, sqlOf(measure), level as RollUpLevel, period);
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
  let published = await collectionPeriods(store, measure.collection);
  // England's published national series (RTT's overview timeseries) runs back before any extract.
  if (org === ENGLAND && measure.england) published = [...new Set([...published, ...(await collectionPeriods(store, measure.england.collection))])].sort();
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
