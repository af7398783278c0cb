import { comparatorOf, meets, relativeThreshold } from '../analysis/assess.js';
import { rank } from '../analysis/rank.js';
import { POINT_TYPES, VARIATIONS, spcBatch } from '../analysis/spc/index.js';
import { addMonths, levelOfCode, type Level } from '../dimensions.js';
import { MEASURES, type MeasureDefinition } from '../measures/index.js';
import {
  collectionPeriods, computePublishedValues, computeRollUps, fillSeries, measureValues, publishedEngland, publishedPeriods, readingFreshTable, sqlOf, warmTableCaches,
  withPublishedEngland, withRefreshCache, type MeasureValue,
} from '../measures/query.js';
import {
  ALL_COLLECTIONS, clearPending, measureTableRows, measureValueSeries, pendingMarks, replaceMeasureRows, replaceSpcRows, replaceUnplaced,
  type MeasureTableRow, type PendingMark, type SpcTableRow,
} from '../store/measure-table.js';
import { withCollectionSnapshot } from '../store/measure-values.js';
import type { Store } from '../store/store.js';
import type { LoadedTarget } from '../targets/load.js';
import { orgDirectory, orgNames, warmDescriptions } from './organisations.js';
import { allPeerStats, computePeerStats } from './peer-stats.js';
import { periodsOf } from './series.js';
import { computeSignals } from './signals.js';
import { applicableTarget, targets } from './targets.js';

/**
 * Measure values computed once (issue 10): after an ingest, every measure of each collection it
 * changed is computed for the months it changed, at every level, and stored with its rank, SPC
 * and target in `measure_values` (store/README.md, "Measure values"). Ingest marks what it made
 * stale in its own transaction; this rebuilds it and clears the marks in one more, so every
 * committed version of the store either serves fresh rows or (while marked) computes live.
 */

/** The span of each organisation's SPC stored with its rows: the charts' 36 months to its latest figure. */
export const TABLE_SPC_MONTHS = 36;

const PUBLISHED_LEVELS = ['england', 'region', 'icb', 'trust', 'provider'] as const;
const ROLL_UP_LEVELS = ['england', 'region', 'icb'] as const;

export interface RefreshSummary {
  measures: number;
  rows: number;
  /** Collections rebuilt (all months or some). */
  collections: string[];
  ms: number;
}

/** What to rebuild of one collection: every month, or these; and whether only roll-ups. */
interface Plan {
  /** Months of published rows to recompute; null = every month; undefined = none. */
  published: Set<string> | null | undefined;
  /** Months of roll-ups to recompute; null = every month; undefined = none. */
  rollups: Set<string> | null | undefined;
  /** The published England series (MeasureDefinition.england) of some measures changed. */
  england?: boolean;
}

/** Collections whose measures take England's figure from a collection, by that collection. */
function englandReaders(): Map<string, Set<string>> {
  const readers = new Map<string, Set<string>>();
  for (const measure of MEASURES) {
    if (!measure.england) continue;
    let set = readers.get(measure.england.collection);
    if (!set) readers.set(measure.england.collection, (set = new Set()));
    set.add(measure.collection);
  }
  return readers;
}

function plansOf(marks: readonly PendingMark[]): Map<string, Plan> {
  const plans = new Map<string, Plan>();
  const everyRollUp = marks.some((mark) => mark.collection === ALL_COLLECTIONS);
  const add = (current: Set<string> | null | undefined, period: string | null): Set<string> | null => {
    if (current === null || period === null) return null;
    return new Set([...(current ?? []), period]);
  };
  for (const mark of marks) {
    if (mark.collection === ALL_COLLECTIONS) continue;
    const plan = plans.get(mark.collection) ?? { published: undefined, rollups: undefined };
    if (!mark.rollups_only) plan.published = add(plan.published, mark.period);
    plan.rollups = add(plan.rollups, mark.period);
    plans.set(mark.collection, plan);
    // England's published series is merged into another collection's England rows.
    for (const reader of englandReaders().get(mark.collection) ?? []) {
      const readerPlan = plans.get(reader) ?? { published: undefined, rollups: undefined };
      readerPlan.england = true;
      plans.set(reader, readerPlan);
    }
  }
  if (everyRollUp) {
    for (const collection of new Set(MEASURES.map((measure) => measure.collection))) {
      const plan = plans.get(collection) ?? { published: undefined, rollups: undefined };
      plan.rollups = null;
      plans.set(collection, plan);
    }
  }
  return plans;
}

/**
 * Rebuilds what ingests marked stale, in one transaction, and returns what it did; nothing to do
 * returns at once. Ingest commands call it after their files; the server on start.
 */
export async function refreshMeasureValues(store: Store): Promise<RefreshSummary | undefined> {
  if ((await pendingMarks(store)).length === 0) return undefined;
  const started = performance.now();
  return store.transaction(() => withRefreshCache(async () => {
    const marks = await pendingMarks(store);
    const plans = plansOf(marks);
    let rows = 0;
    let measures = 0;
    for (const [collection, plan] of plans) {
      const own = MEASURES.filter((measure) => measure.collection === collection);
      if (own.length === 0) continue;
      const published = await publishedPeriods(store, collection);
      // Files are never removed, so a collection with no months held has no rows to rebuild
      // (but for England's published series, which another collection may hold).
      if (published.length === 0 && !plan.england) continue;
      const batch: Batch = { replaced: [], rows: [], unplaced: [], england: [] };
      await withCollectionSnapshot(store, collection, own.map(sqlOf), async () => {
        for (const measure of own) {
          measures++;
          if (plan.published !== undefined) await rebuildPublished(store, measure, plan.published, batch);
          if (measure.rollUp === 'sum' && (plan.rollups !== undefined || (plan.england && measure.england))) await rebuildRollUps(store, measure, plan.rollups, batch);
        }
      });
      // Outside the snapshot, which holds this collection's figures only.
      await mergePublishedEngland(store, batch);
      rows += batch.rows.length;
      await writeBatch(store, batch);
      await rebuildSpc(store, own, batch.replaced, published);
    }
    const collections = [...plans.keys()].sort();
    await readingFreshTable(() => computePeerStats(store, collections));
    await computeSignals(store, collections);
    await clearPending(store, marks);
    return { measures, rows, collections, ms: performance.now() - started };
  }));
}

/** The range of months to ask the figures for: all, or from the first to the last changed. */
function rangeOf(months: Set<string> | null): { from?: string; to?: string } {
  if (months === null) return {};
  const sorted = [...months].sort();
  return { from: sorted[0]!, to: sorted.at(-1)! };
}

/** What a collection's rebuild replaces: (measure, level) and their months (undefined: all), and the new rows. */
interface Batch {
  replaced: { measure: string; level: string; months: string[] | undefined }[];
  rows: MeasureTableRow[];
  unplaced: { measure: string; level: string; period: string; orgs: string[] }[];
  /** Every month's England sums of measures with a published England series, to merge with it. */
  england: { measure: MeasureDefinition; sums: MeasureValue[] }[];
}

async function rebuildPublished(store: Store, measure: MeasureDefinition, months: Set<string> | null, batch: Batch): Promise<void> {
  // A summed measure's own area rows (a publication's England line) are never read: its areas
  // are roll-ups. A measure taken as published keeps them.
  const levels = measure.rollUp === 'sum' ? ['trust', 'provider'] : [...PUBLISHED_LEVELS];
  const wanted = fullRebuild(measure, months) ? null : months;
  const fresh = (await computePublishedValues(store, measure, rangeOf(wanted)))
    .filter((value) => levels.includes(levelOfCode(value.org)) && (wanted === null || wanted.has(value.period)))
    .map((value) => ({ level: levelOfCode(value.org), value }));
  batch.rows.push(...valueRows(measure, fresh, await baselinesOf(store, measure, levels, wanted, fresh), false));
  for (const level of levels) batch.replaced.push({ measure: measure.id, level, months: wanted === null ? undefined : [...wanted] });
}

async function rebuildRollUps(store: Store, measure: MeasureDefinition, months: Set<string> | null | undefined, batch: Batch): Promise<void> {
  // England's rows of a measure with a published England series are made whole every time: the
  // series merged in may have changed any month (mergePublishedEngland).
  const englandApart = measure.england !== undefined;
  const levels = months === undefined ? [] : ROLL_UP_LEVELS.filter((level) => !(level === 'icb' && measure.icbRollUp === 'none') && !(englandApart && level === 'england'));
  if (englandApart) {
    const whole = await computeRollUps(store, measure, ['england'], {});
    batch.england.push({ measure, sums: whole.values.get('england')! });
    batch.unplaced.push(...whole.unplaced.map((entry) => ({ measure: measure.id, ...entry })));
  }
  if (months === undefined || levels.length === 0) return;
  const wanted = fullRebuild(measure, months) ? null : months;
  const { values, unplaced } = await computeRollUps(store, measure, levels, rangeOf(wanted));
  for (const level of levels) {
    const fresh = values.get(level)!.filter((value) => wanted === null || wanted.has(value.period)).map((value) => ({ level: level as string, value }));
    batch.rows.push(...valueRows(measure, fresh, await baselinesOf(store, measure, [level], wanted, fresh), true));
    batch.replaced.push({ measure: measure.id, level, months: wanted === null ? undefined : [...wanted] });
  }
  for (const entry of unplaced) {
    if (wanted === null || wanted.has(entry.period)) batch.unplaced.push({ measure: measure.id, ...entry });
  }
}

/** England's sums of each measure in the batch merged with NHS England's published England series, every month. */
async function mergePublishedEngland(store: Store, batch: Batch): Promise<void> {
  for (const { measure, sums } of batch.england) {
    const published = await publishedEngland(store, measure, measure.england!, {});
    const asPublished = new Set(published);
    const items = withPublishedEngland(sums, published).map((value) => ({ level: 'england', value, ...(asPublished.has(value) ? { published: true } : {}) }));
    batch.rows.push(...valueRows(measure, items, await baselinesOf(store, measure, ['england'], null, items), true));
    batch.replaced.push({ measure: measure.id, level: 'england', months: undefined });
  }
}

async function writeBatch(store: Store, batch: Batch): Promise<void> {
  const whole = batch.replaced.filter((entry) => entry.months === undefined).map((entry) => `${entry.measure}|${entry.level}`);
  const some = batch.replaced.flatMap((entry) => entry.months?.map((month) => `${entry.measure}|${entry.level}|${month}`) ?? []);
  await replaceMeasureRows(store, whole, some, batch.rows);
  await replaceUnplaced(store, whole, some, batch.unplaced);
}

function relativeTargets(measure: MeasureDefinition): LoadedTarget[] {
  return targets().filter((target) => target.metric === measure.id && target.comparator === 'improve_vs_baseline' && target.baseline_period !== undefined);
}

// A relative target's threshold comes from each organisation's baseline month: when that month
// changed, every month's verdict may have, so the measure is rebuilt whole.
function fullRebuild(measure: MeasureDefinition, months: Set<string> | null): boolean {
  return months === null || relativeTargets(measure).some((target) => months.has(target.baseline_period!));
}

/** A value to store at a level; `published` when it is a published figure among roll-ups (England's own series). */
type Item = { level: string; value: MeasureValue; published?: boolean };
type Baselines = (level: string, org: string, period: string) => number | null;

/** The baseline months' values: from the fresh rows on a whole rebuild, else from the table. */
async function baselinesOf(store: Store, measure: MeasureDefinition, levels: readonly string[], months: Set<string> | null, fresh: readonly Item[]): Promise<Baselines> {
  const wantedPeriods = new Set(relativeTargets(measure).map((target) => target.baseline_period!));
  const known = new Map<string, number | null>();
  if (months === null) {
    for (const item of fresh) if (wantedPeriods.has(item.value.period)) known.set(`${item.level}|${item.value.org}|${item.value.period}`, item.value.value);
  } else {
    for (const period of wantedPeriods) {
      for (const row of await measureTableRows(store, { measures: [measure.id], levels, from: period, to: period })) known.set(`${row.level}|${row.org}|${row.period}`, row.value);
    }
  }
  return (level, org, period) => known.get(`${level}|${org}|${period}`) ?? null;
}

/**
 * Rank among the level's organisations each month (providers among trusts and providers, as the
 * provider league ranks them), and the target that applies there and whether it is met, as
 * league tables judge it.
 */
function valueRows(measure: MeasureDefinition, items: readonly Item[], baselines: Baselines, rolledUp: boolean): MeasureTableRow[] {
  const rows = new Map<Item, MeasureTableRow>();
  for (const item of items) {
    const { value } = item;
    rows.set(item, {
      measure: measure.id, level: item.level, org: value.org, period: value.period,
      numerator: value.numerator, denominator: value.denominator, value: value.value,
      note: value.note ?? null, members: value.members ?? null, excluded: value.excluded ?? null,
      apportioned: value.apportioned ?? null, rolled_up: rolledUp && !item.published,
      rank: null, ranked: null, target_id: null, threshold: null, target_met: null,
      basis: value.basis ?? null, includes_estimates: value.includesEstimates ?? null,
    });
  }
  const groups = new Map<string, Item[]>();
  for (const item of items) {
    const key = `${item.level}|${item.value.period}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(item);
  }
  for (const [key, group] of groups) {
    const [level, period] = key.split('|') as [string, string];
    const peers = level === 'provider' ? [...group, ...(groups.get(`trust|${period}`) ?? [])] : group;
    const ranked = rank(peers.map((item) => ({ org: item.value.org, value: item.value.value, item })), measure.direction);
    const count = ranked.filter((entry) => entry.rank !== null).length;
    for (const entry of ranked) {
      if (entry.item.item.level !== level) continue;
      const row = rows.get(entry.item.item)!;
      row.rank = entry.rank;
      row.ranked = count;
    }
  }
  const targetCache = new Map<string, LoadedTarget | undefined>();
  for (const [item, row] of rows) {
    const targetLevel = (item.level === 'trust' && measure.providerLevel ? measure.providerLevel : item.level) as Level;
    const key = `${targetLevel}|${row.period}`;
    if (!targetCache.has(key)) targetCache.set(key, applicableTarget(targets(), measure.id, targetLevel, row.period));
    const target = targetCache.get(key);
    if (!target) continue;
    row.target_id = target.id;
    let own: number | null;
    if (target.comparator === 'improve_vs_baseline') {
      const baseline = baselines(item.level, row.org, target.baseline_period ?? '');
      own = baseline === null ? null : relativeThreshold(target, baseline, measure.direction);
    } else {
      own = 'threshold' in target ? (target.threshold ?? null) : null;
    }
    row.threshold = own;
    const comparator = target.comparator !== 'improve_on_previous_year' ? comparatorOf(target, measure.direction) : undefined;
    row.target_met = row.value === null || own === null || !comparator ? null : meets(row.value, comparator, own);
  }
  return [...rows.values()];
}

/** Every organisation's SPC window for the (measure, level) pairs rebuilt, from the values just written, one batch per measure. */
async function rebuildSpc(store: Store, measures: readonly MeasureDefinition[], replaced: Batch['replaced'], published: readonly string[]): Promise<void> {
  const keys = [...new Set(replaced.map((entry) => `${entry.measure}|${entry.level}`))];
  const series = new Map<string, MeasureValue[]>();
  for (const row of await measureValueSeries(store, keys)) {
    const key = `${row.measure}|${row.level}|${row.org}`;
    let list = series.get(key);
    if (!list) series.set(key, (list = []));
    list.push({ org: row.org, period: row.period, value: row.value, numerator: null, denominator: null });
  }
  const rows: SpcTableRow[] = [];
  for (const measure of measures) {
    const windows: { level: string; org: string; periods: string[] }[] = [];
    const values: number[] = [];
    const offsets: number[] = [0];
    for (const [key, points] of series) {
      const [metric, level, org] = key.split('|') as [string, string, string];
      if (metric !== measure.id) continue;
      const latest = points.filter((point) => point.value !== null).at(-1);
      if (!latest) continue;
      const window = fillSeries(measure, org, points, published, { from: addMonths(latest.period, -(TABLE_SPC_MONTHS - 1)) });
      windows.push({ level, org, periods: window.map((point) => point.period) });
      for (const point of window) values.push(point.value ?? NaN);
      offsets.push(values.length);
    }
    if (values.length === 0) continue;
    const result = spcBatch({ values: Float64Array.from(values), offsets, direction: measure.direction });
    windows.forEach((window, s) => {
      const from = offsets[s]!;
      const to = offsets[s + 1]!;
      const column = (data: Float64Array) => Array.from(data.subarray(from, to), nullIfNaN);
      rows.push({
        measure: measure.id, level: window.level, org: window.org, periods: window.periods,
        mean: column(result.mean), lpl: column(result.lpl), upl: column(result.upl),
        point_type: Array.from(result.pointType.subarray(from, to), (code) => POINT_TYPES[code]!),
        variation: VARIATIONS[result.variation[s]!]!,
      });
    });
  }
  await replaceSpcRows(store, keys, rows);
}

function nullIfNaN(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}

/**
 * Answers every page of a store version shares, read once before the server listens: the
 * organisation directory and names, each collection's months, the targets, the stored peer
 * figures and unplaced providers. Without it the first visitor after a start pays for them.
 */
export async function warmAnswers(store: Store): Promise<void> {
  targets();
  await orgDirectory(store);
  await orgNames(store);
  await warmDescriptions(store);
  for (const collection of new Set(MEASURES.map((measure) => measure.collection))) await periodsOf(store, collection);
  await allPeerStats(store);
  await warmTableCaches(store);
}

/**
 * Every measure's value for every organisation, level and month the store holds, for the static
 * export's measure-values file (read from the table of measure values when it is fresh). Computed as the API computes a series today (measures/query.ts:
 * published figures for trusts and providers, sums of members' numerators and denominators for
 * ICBs, regions and England), a measure and a level at a time so the caller can write each slice
 * out before the next is built.
 */
export interface MeasureValueRow {
  metric: string;
  org: string;
  level: Level;
  period: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  unit: MeasureDefinition['unit'];
  note: string | null;
  members: number | null;
  excluded: string | null;
  apportioned: boolean;
}

// Published rows of trusts and providers come once (the provider level holds both, each tagged
// with its own level); the areas are summed.
const LEVELS_READ: readonly Level[] = ['provider', 'icb', 'region', 'england'];

export async function* allMeasureValues(store: Store): AsyncGenerator<MeasureValueRow[]> {
  const held = new Map<string, boolean>();
  for (const measure of MEASURES) {
    if (!held.has(measure.collection)) held.set(measure.collection, (await collectionPeriods(store, measure.collection)).length > 0);
    if (!held.get(measure.collection)) continue;
    for (const level of LEVELS_READ) {
      const values = await measureValues(store, measure, { level });
      yield values.map((value) => ({
        metric: measure.id,
        org: value.org,
        level: level === 'provider' ? levelOfCode(value.org) : level,
        period: value.period,
        value: value.value,
        numerator: value.numerator,
        denominator: value.denominator,
        unit: measure.unit,
        note: value.note ?? null,
        members: value.members ? value.members.length : null,
        excluded: value.excluded?.join(' ') ?? null,
        apportioned: value.apportioned ?? false,
      }));
    }
  }
}
