import { comparatorOf, meets, relativeThreshold } from '../analysis/assess.js';
import { rank } from '../analysis/rank.js';
import { POINT_TYPES, spcBatch } from '../analysis/spc/index.js';
import { addMonths, levelOfCode, type Level } from '../dimensions.js';
import { MEASURES, type MeasureDefinition } from '../measures/index.js';
import {
  collectionPeriods, computeMeasureValues, computePublishedValues, computeUnplacedByPeriod, fillSeries, type MeasureValue,
} from '../measures/query.js';
import {
  ALL_COLLECTIONS, clearPending, measureTableRows, pendingMarks, replaceMeasureRows, replaceUnplaced, unplacedRows,
  type MeasureTableRow, type PendingMark,
} from '../store/measure-table.js';
import type { Store } from '../store/store.js';
import type { LoadedTarget } from '../targets/load.js';
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
  return store.transaction(async () => {
    const marks = await pendingMarks(store);
    const plans = plansOf(marks);
    let rows = 0;
    let measures = 0;
    for (const measure of MEASURES) {
      const plan = plans.get(measure.collection);
      if (!plan) continue;
      const published = await collectionPeriods(store, measure.collection);
      if (published.length === 0 && plan.published === undefined) continue;
      measures++;
      if (plan.published !== undefined) rows += await rebuildPublished(store, measure, plan.published, published);
      if (plan.rollups !== undefined && measure.rollUp === 'sum') rows += await rebuildRollUps(store, measure, plan.rollups, published);
    }
    const collections = [...plans.keys()].sort();
    await computeSignals(store, collections);
    await clearPending(store, marks);
    return { measures, rows, collections, ms: performance.now() - started };
  });
}

/** The range of months to ask the figures for: all, or from the first to the last changed. */
function rangeOf(months: Set<string> | null): { from?: string; to?: string } {
  if (months === null) return {};
  const sorted = [...months].sort();
  return { from: sorted[0]!, to: sorted.at(-1)! };
}

/** Kept rows of unchanged months, merged with freshly computed ones for the changed months. */
async function merged(store: Store, measure: MeasureDefinition, levels: readonly string[], months: Set<string> | null, fresh: MeasureValue[], level: (value: MeasureValue) => string): Promise<{ level: string; value: MeasureValue }[]> {
  const out = fresh.filter((value) => months === null || months.has(value.period)).map((value) => ({ level: level(value), value }));
  if (months === null) return out;
  for (const row of await measureTableRows(store, { measures: [measure.id], levels })) {
    if (months.has(row.period)) continue;
    out.push({ level: row.level, value: valueOf(row) });
  }
  return out;
}

function valueOf(row: MeasureTableRow): MeasureValue {
  const out: MeasureValue = { org: row.org, period: row.period, numerator: row.numerator, denominator: row.denominator, value: row.value };
  if (row.members) out.members = row.members;
  if (row.excluded && row.excluded.length > 0) out.excluded = row.excluded;
  if (row.note !== null) out.note = row.note;
  if (row.apportioned) out.apportioned = true;
  return out;
}

async function rebuildPublished(store: Store, measure: MeasureDefinition, months: Set<string> | null, published: readonly string[]): Promise<number> {
  // A summed measure's own area rows (a publication's England line) are never read: its areas
  // are roll-ups. A measure taken as published keeps them.
  const levels = measure.rollUp === 'sum' ? ['trust', 'provider'] : [...PUBLISHED_LEVELS];
  const fresh = (await computePublishedValues(store, measure, rangeOf(months))).filter((value) => levels.includes(levelOfCode(value.org)));
  const all = await merged(store, measure, levels, months, fresh, (value) => levelOfCode(value.org));
  const rows = tableRows(measure, all, published, false);
  await replaceMeasureRows(store, measure.id, levels, rows);
  return rows.length;
}

async function rebuildRollUps(store: Store, measure: MeasureDefinition, months: Set<string> | null, published: readonly string[]): Promise<number> {
  const levels = ROLL_UP_LEVELS.filter((level) => !(level === 'icb' && measure.icbRollUp === 'none'));
  let count = 0;
  for (const level of levels) {
    const range = rangeOf(months);
    const fresh = await computeMeasureValues(store, measure, { level, ...range });
    const all = await merged(store, measure, [level], months, fresh, () => level);
    const rows = tableRows(measure, all, published, true);
    await replaceMeasureRows(store, measure.id, [level], rows);
    count += rows.length;
    if (level !== 'england') {
      const unplaced = await computeUnplacedByPeriod(store, measure, level, range);
      const kept = months === null ? [] : await keptUnplaced(store, measure, level, months);
      await replaceUnplaced(store, measure.id, [level], [
        ...kept,
        ...[...unplaced].filter(([period]) => months === null || months.has(period)).map(([period, orgs]) => ({ level, period, orgs })),
      ]);
    }
  }
  return count;
}

async function keptUnplaced(store: Store, measure: MeasureDefinition, level: string, months: Set<string>): Promise<{ level: string; period: string; orgs: string[] }[]> {
  return (await unplacedRows(store, measure.id, level)).filter((row) => !months.has(row.period)).map((row) => ({ level, ...row }));
}

/**
 * Rank among the level's organisations each month (providers among trusts and providers, as the
 * provider league ranks them), the target that applies there and whether it is met (as league
 * tables judge it), and the SPC of each organisation's last 36 months as its page charts them.
 */
function tableRows(measure: MeasureDefinition, all: { level: string; value: MeasureValue }[], published: readonly string[], rolledUp: boolean): MeasureTableRow[] {
  const rows = new Map<{ level: string; value: MeasureValue }, MeasureTableRow>();
  for (const item of all) {
    rows.set(item, {
      measure: measure.id, level: item.level, org: item.value.org, period: item.value.period,
      numerator: item.value.numerator, denominator: item.value.denominator, value: item.value.value,
      note: item.value.note ?? null, members: item.value.members ?? null, excluded: item.value.excluded ?? null,
      apportioned: item.value.apportioned ?? null, rolled_up: rolledUp,
      rank: null, ranked: null, target_id: null, threshold: null, target_met: null,
      spc_mean: null, spc_lpl: null, spc_upl: null, spc_point_type: null,
    });
  }
  // Ranks: by level and month.
  const groups = new Map<string, { level: string; value: MeasureValue }[]>();
  for (const item of all) {
    const key = `${item.level}|${item.value.period}`;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(item);
  }
  for (const [key, items] of groups) {
    const [level, period] = key.split('|') as [string, string];
    // Providers rank among trusts and providers together.
    const peers = level === 'provider' ? [...items, ...(groups.get(`trust|${period}`) ?? [])] : items;
    const ranked = rank(peers.map((item) => ({ org: item.value.org, value: item.value.value, item })), measure.direction);
    const count = ranked.filter((entry) => entry.rank !== null).length;
    for (const entry of ranked) {
      if (entry.item.item.level !== level) continue;
      const row = rows.get(entry.item.item)!;
      row.rank = entry.rank;
      row.ranked = count;
    }
  }
  // Targets: as the league of the row's level judges them.
  const byOrgLevel = new Map<string, Map<string, MeasureValue>>();
  for (const item of all) {
    const key = `${item.level}|${item.value.org}`;
    (byOrgLevel.get(key) ?? byOrgLevel.set(key, new Map()).get(key)!).set(item.value.period, item.value);
  }
  for (const item of all) {
    const row = rows.get(item)!;
    const targetLevel = (item.level === 'trust' && measure.providerLevel ? measure.providerLevel : item.level) as Level;
    const target = applicableTarget(targets(), measure.id, targetLevel, item.value.period);
    if (!target) continue;
    row.target_id = target.id;
    const own = thresholdOf(target, measure, byOrgLevel.get(`${item.level}|${item.value.org}`)!);
    row.threshold = own;
    const comparator = target.comparator !== 'improve_on_previous_year' ? comparatorOf(target, measure.direction) : undefined;
    row.target_met = item.value.value === null || own === null || !comparator ? null : meets(item.value.value, comparator, own);
  }
  // SPC: each organisation's window, every series of the measure in one batch.
  const rowAt = new Map<string, MeasureTableRow>();
  for (const row of rows.values()) rowAt.set(`${row.level}|${row.org}|${row.period}`, row);
  const windows: (MeasureTableRow | undefined)[] = [];
  const values: number[] = [];
  const offsets: number[] = [0];
  for (const [key, series] of byOrgLevel) {
    const [level, org] = key.split('|') as [string, string];
    const sorted = [...series.values()].sort((a, b) => a.period.localeCompare(b.period));
    const latest = sorted.filter((point) => point.value !== null).at(-1);
    if (!latest) continue;
    for (const point of fillSeries(measure, org, sorted, published, { from: addMonths(latest.period, -(TABLE_SPC_MONTHS - 1)) })) {
      windows.push(rowAt.get(`${level}|${org}|${point.period}`));
      values.push(point.value ?? NaN);
    }
    offsets.push(values.length);
  }
  if (values.length > 0) {
    const result = spcBatch({ values: Float64Array.from(values), offsets, direction: measure.direction });
    windows.forEach((row, i) => {
      if (!row) return;
      row.spc_mean = nullIfNaN(result.mean[i]!);
      row.spc_lpl = nullIfNaN(result.lpl[i]!);
      row.spc_upl = nullIfNaN(result.upl[i]!);
      row.spc_point_type = POINT_TYPES[result.pointType[i]!] ?? null;
    });
  }
  return [...rows.values()];
}

function nullIfNaN(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}

// A relative target (each trust +5 points on its own baseline month) has each organisation's own
// threshold; the others one for all.
function thresholdOf(target: LoadedTarget, measure: MeasureDefinition, series: ReadonlyMap<string, MeasureValue>): number | null {
  if (target.comparator === 'improve_vs_baseline') {
    const baseline = series.get(target.baseline_period ?? '')?.value ?? null;
    return baseline === null ? null : relativeThreshold(target, baseline, measure.direction);
  }
  return 'threshold' in target ? (target.threshold ?? null) : null;
}
