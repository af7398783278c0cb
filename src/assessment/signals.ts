import { detectAgainstTrend, detectRecord, detectSpecialCause, detectTargetChange, type SeriesPoint, type Signal } from '../analysis/signals.js';
import { ENGLAND, type Level } from '../measures/hierarchy.js';
import { measureById, type MeasureDefinition } from '../measures/index.js';
import { addMonths } from '../measures/periods.js';
import { measureValues, readingFreshTable } from '../measures/query.js';
import { replaceSignals, staleCollections, storedSignals } from '../store/measure-table.js';
import type { Store } from '../store/store.js';
import { loadTargets } from '../targets/load.js';
import { periodsOf, targetFor } from './index.js';
import { memoiseShared } from './memo.js';

export type { Signal, SignalKind } from '../analysis/signals.js';

/**
 * The signals of the last months of every collection in the store, computed from the store
 * alone (so the same store gives the same feed) and kept per store version: a new ingest is a
 * new version, and its signals are there at once. Measures: those with a target, and 12-hour
 * waits from decision to admit; organisations: England, regions and trusts.
 */
export const SIGNAL_MONTHS = 12;
const LEVELS: readonly Level[] = ['england', 'region', 'trust'];

function signalMeasures(): MeasureDefinition[] {
  const ids = new Set([...loadTargets().map((target) => target.metric), 'ae_dta_12hr']);
  return [...ids].map(measureById);
}

function bySeries(values: readonly { org: string; period: string; value: number | null }[]): Map<string, SeriesPoint[]> {
  const series = new Map<string, SeriesPoint[]>();
  for (const value of values) {
    if (!series.has(value.org)) series.set(value.org, []);
    series.get(value.org)!.push({ period: value.period, value: value.value });
  }
  for (const points of series.values()) points.sort((a, b) => a.period.localeCompare(b.period));
  return series;
}

/** Every signal, newest month first, then by organisation and measure: a stable order. */
export function getSignals(store: Store): Promise<Signal[]> {
  return memoiseShared(store, 'signals', async () => {
    // Computed at ingest (computeSignals) unless an ingest has not been followed by its refresh yet.
    const fresh = (await staleCollections(store)).collections.size === 0;
    const signals = fresh ? (await storedSignals(store)).map((json) => JSON.parse(json) as Signal) : await signalsOf(store);
    return signals.sort(bySignalOrder);
  });
}

/**
 * Computes the signals of the measures of these collections and stores them in place of their
 * old ones (inside the refresh's transaction, reading the measure values it has just written).
 */
export async function computeSignals(store: Store, collections: readonly string[]): Promise<number> {
  const wanted = new Set(collections);
  const signals = await readingFreshTable(() => signalsOf(store, wanted));
  await replaceSignals(store, collections, signals.map((signal) => ({
    collection: measureById(signal.metric).collection, period: signal.period, org: signal.org, metric: signal.metric, kind: signal.kind, json: JSON.stringify(signal),
  })));
  return signals.length;
}

async function signalsOf(store: Store, collections?: ReadonlySet<string>): Promise<Signal[]> {
  const signals: Signal[] = [];
  const seriesCache = new Map<string, Map<string, SeriesPoint[]>>();
  const seriesOf = async (measure: MeasureDefinition, level: Level) => {
    const key = `${measure.id}:${level}`;
    if (!seriesCache.has(key)) seriesCache.set(key, bySeries(await measureValues(store, measure, { level })));
    return seriesCache.get(key)!;
  };
  for (const measure of signalMeasures()) {
    if (collections && !collections.has(measure.collection)) continue;
    const periods = (await periodsOf(store, measure.collection)).slice(-SIGNAL_MONTHS);
    if (periods.length === 0) continue;
    for (const level of LEVELS) {
      const all = await seriesOf(measure, level);
      const targetLevel = level === 'trust' && measure.providerLevel ? measure.providerLevel : level;
      for (const [org, series] of all) {
        for (const period of periods) {
          const record = detectRecord(org, measure.id, series, period);
          if (record) signals.push(record);
          const special = detectSpecialCause(org, measure.id, series, period, measure.direction);
          if (special) signals.push(special);
          const target = targetFor(measure.id, targetLevel, period);
          if (target && (target.comparator === '>=' || target.comparator === '<=') && 'threshold' in target && typeof target.threshold === 'number') {
            const change = detectTargetChange(org, measure.id, series, period, target.comparator, target.threshold);
            if (change) signals.push(change);
          }
        }
      }
    }
  }
  // Against the national trend on 12-hour waits while improving on 4 hours (trusts).
  const dta = measureById('ae_dta_12hr');
  const aePeriods = collections && !collections.has(dta.collection) ? [] : (await periodsOf(store, 'ae')).slice(-SIGNAL_MONTHS);
  if (aePeriods.length > 0) {
    const england = (await seriesOf(dta, 'england')).get(ENGLAND) ?? [];
    const trusts = await seriesOf(dta, 'trust');
    const fourHour = await seriesOf(measureById('ae_4hr'), 'trust');
    for (const [org, series] of trusts) {
      for (const period of aePeriods) {
        const signal = detectAgainstTrend(org, series, fourHour.get(org) ?? [], england, period, addMonths(period, -12));
        if (signal) signals.push(signal);
      }
    }
  }
  return signals.sort(bySignalOrder);
}

function bySignalOrder(a: Signal, b: Signal): number {
  return b.period.localeCompare(a.period) || levelRank(a.org) - levelRank(b.org) || a.org.localeCompare(b.org) || a.metric.localeCompare(b.metric) || a.kind.localeCompare(b.kind);
}

function levelRank(org: string): number {
  return org === ENGLAND ? 0 : /^Y\d\d$/.test(org) ? 1 : 2;
}
