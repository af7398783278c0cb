import { spc, type SpcResult } from '../analysis/spc/index.js';
import { addMonths, checkPeriod, type Level } from '../dimensions.js';
import { PlanwatchError } from '../errors.js';
import { measureById, type MeasureDefinition, type Unit } from '../measures/index.js';
import { measureSeries, measureValues, publishedPeriods, unplacedOrgs, type MeasureValue } from '../measures/query.js';
import type { Store } from '../store/store.js';
import { memoise, memoKey } from './memo.js';
import { describeOrg, type Organisation } from './organisations.js';
import { applicableTarget, targets } from './targets.js';

/** One organisation's series of a measure, with SPC, and the companion counts shown beside it. */

export async function latestPeriod(store: Store, collection: string): Promise<string | undefined> {
  return (await periodsOf(store, collection)).at(-1);
}

/**
 * The months a collection has figures for, first to last: the same answer, and the same cache
 * per store version, as the series read (measures/query.ts publishedPeriods), so warming one
 * warms both.
 */
export function periodsOf(store: Store, collection: string): Promise<string[]> {
  return publishedPeriods(store, collection);
}

export interface SeriesResult {
  org: Organisation;
  measure: MeasureDefinition;
  points: MeasureValue[];
  /** ICB and region series: providers of the collection that no area of this level contains in the last month shown. */
  unplaced?: { period: string; orgs: string[] };
  /** With predecessors: each predecessor's own series up to its succession. */
  predecessors?: { org: Organisation; from: string; points: MeasureValue[] }[];
  /**
   * Months where the organisation's history changes basis (a merger or transfer): charts start a
   * new segment there and SPC limits are recalculated (a rebase), never drawn across it.
   */
  rebase?: { period: string; reason: string }[];
}

export interface SeriesQuery {
  from?: string;
  to?: string;
  /** Everything as known at the end of this month: later months are left out. */
  asOf?: string;
  /** Also return the series of every predecessor (ODS successions), with rebase markers. */
  withPredecessors?: boolean;
}

export async function getSeries(store: Store, orgCode: string, metric: string, query: SeriesQuery = {}): Promise<SeriesResult> {
  const measure = measureById(metric);
  checkPeriod(query.from, '--from');
  checkPeriod(query.to, '--to');
  const asOf = checkPeriod(query.asOf, '--as-of');
  // As of a month is the series cut there; figures revised after it still show their current value.
  const to = asOf !== undefined && (query.to === undefined || asOf < query.to) ? asOf : query.to;
  const cut: SeriesQuery = { ...(query.from ? { from: query.from } : {}), ...(to ? { to } : {}), ...(query.withPredecessors ? { withPredecessors: true } : {}) };
  return memoise(store, memoKey('getSeries', orgCode.trim().toUpperCase(), metric, cut.from, cut.to, cut.withPredecessors), () => seriesOf(store, orgCode, measure, cut));
}

async function seriesOf(store: Store, orgCode: string, measure: MeasureDefinition, query: SeriesQuery): Promise<SeriesResult> {
  const org = await describeOrg(store, orgCode);
  const range = {
    ...(checkPeriod(query.from, '--from') ? { from: query.from } : {}),
    ...(checkPeriod(query.to, '--to') ? { to: query.to } : {}),
  };
  const points = await measureSeries(store, measure, org.code, range);
  const result: SeriesResult = { org, measure, points };
  const last = points.at(-1)?.period;
  if ((org.level === 'icb' || org.level === 'region') && last) {
    result.unplaced = { period: last, orgs: await unplacedOrgs(store, measure, org.level, last) };
  }
  if (query.withPredecessors && org.predecessors) {
    result.predecessors = [];
    for (const predecessor of org.predecessors) {
      const described = await describeOrg(store, predecessor.code).catch((error: unknown) => {
        if (error instanceof PlanwatchError && error.code === 'E_NOT_FOUND') return { code: predecessor.code, name: predecessor.code, level: 'trust' as Level };
        throw error;
      });
      const before = addMonths(predecessor.from, -1);
      const own = await measureSeries(store, measure, predecessor.code, { ...range, to: range.to && range.to < before ? range.to : before });
      result.predecessors.push({ org: described, from: predecessor.from, points: own.filter((point) => point.period <= before) });
    }
    result.rebase = org.predecessors.map((p) => ({ period: p.from, reason: `${p.name ?? p.code} (${p.code}) services joined ${org.name} (${org.code})` }));
  }
  return result;
}

/** A series point as the CLI's --json and the API print it: optional fields only when present. */
export function pointJson(point: MeasureValue) {
  return {
    period: point.period,
    value: point.value,
    numerator: point.numerator,
    denominator: point.denominator,
    ...(point.note ? { note: point.note } : {}),
    ...(point.members ? { members: point.members } : {}),
    ...(point.excluded ? { excluded: point.excluded } : {}),
    ...(point.apportioned ? { apportioned: true } : {}),
    ...(point.includesEstimates ? { includesEstimates: true } : {}),
    ...(point.basis ? { basis: point.basis } : {}),
  };
}

export interface SeriesWithSpc extends SeriesResult {
  spc: SpcResult;
  /** The target the assurance icon is judged against (the one applicable at the latest month). */
  target?: { id: string; title: string; threshold: number };
}

export interface SpcQuery {
  from?: string;
  to?: string;
  asOf?: string;
  /** Judge assurance against this threshold instead of the target applicable at the latest month. */
  threshold?: number;
}

/**
 * A series with Making Data Count SPC: limits, special-cause rules, variation and assurance
 * against the target that applies to the organisation at the latest month (or `threshold`).
 */
export async function getSeriesWithSpc(store: Store, orgCode: string, metric: string, query: SpcQuery = {}): Promise<SeriesWithSpc> {
  const series = await getSeries(store, orgCode, metric, { ...(query.from ? { from: query.from } : {}), ...(query.to ? { to: query.to } : {}), ...(query.asOf ? { asOf: query.asOf } : {}) });
  return memoise(store, memoKey('getSeriesWithSpc', series.org.code, metric, query.from, series.points.at(-1)?.period, query.threshold), async () => withSpc(series, query.threshold));
}

function withSpc(series: SeriesResult, override: number | undefined): SeriesWithSpc {
  const metric = series.measure.id;
  const latest = series.points.at(-1)?.period;
  const target = latest ? applicableTarget(targets(), metric, series.org.level, latest) : undefined;
  const applicable = target && 'threshold' in target ? target.threshold : undefined;
  const threshold = override ?? applicable;
  const result = spc(series.points.map((point) => ({ period: point.period, value: point.value })), {
    direction: series.measure.direction,
    ...(threshold !== undefined ? { target: threshold } : {}),
  });
  const judgedBy = override !== undefined ? undefined : target && applicable !== undefined ? { id: target.id, title: target.title, threshold: applicable } : undefined;
  return { ...series, spc: result, ...(judgedBy ? { target: judgedBy } : {}) };
}

/** A count of the longest waiters shown beside a percentage (MeasureDefinition.companions). */
export interface Companion {
  metric: string;
  short: string;
  unit: Unit;
  value: number | null;
}

/** The companions of `measure` for a level and month, looked up by organisation. */
export async function companionsAt(store: Store, measure: MeasureDefinition, level: Level, period: string, orgs?: readonly string[]): Promise<(org: string) => Companion[]> {
  const tables: { companion: MeasureDefinition; values: Map<string, number | null> }[] = [];
  for (const companion of (measure.companions ?? []).map(measureById)) {
    const values = await measureValues(store, companion, { level, from: period, to: period, ...(orgs ? { orgs } : {}) });
    tables.push({ companion, values: new Map(values.map((value) => [value.org, value.value])) });
  }
  return (org) => tables.map(({ companion, values }) => ({ metric: companion.id, short: companion.short, unit: companion.unit, value: values.get(org) ?? null }));
}

