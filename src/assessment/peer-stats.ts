import { indexPeers, peerImprovementIn } from '../analysis/trajectory.js';
import type { Level } from '../dimensions.js';
import { MEASURES, type MeasureDefinition } from '../measures/index.js';
import { measureValues, publishedPeriods, tableIsFresh, tableLevels, type MeasureValue } from '../measures/query.js';
import { measureTableRows, peerStatsRows, replacePeerStats, type PeerStatsRow } from '../store/measure-table.js';
import type { Store } from '../store/store.js';
import type { LoadedTarget } from '../targets/load.js';
import { memoise, memoKey, memoiseShared } from './memo.js';
import { targets } from './targets.js';
import { dueOf, type PeerStatsLookup } from './trajectories.js';

/**
 * What peers achieved, for "what it would take" on status lines: every organisation of a level
 * over the same span as the one being judged (peerImprovement). It reads every organisation's
 * whole series, so it is computed with the measure values at ingest for the latest month, and
 * computed live only for another as-of month.
 */

/** The levels an organisation's status compares it within (its own main level). */
const PEER_LEVELS: readonly Level[] = ['trust', 'provider', 'ambulance_trust', 'icb', 'region'];

function dueTargets(measure: MeasureDefinition, asOf: string): LoadedTarget[] {
  return targets().filter((target) => target.metric === measure.id && (dueOf(target) ?? '') > asOf);
}

/** Recomputes the stored peer figures of the measures of these collections (inside the refresh). */
export async function computePeerStats(store: Store, collections: readonly string[]): Promise<void> {
  const measures = MEASURES.filter((measure) => collections.includes(measure.collection));
  const rows: PeerStatsRow[] = [];
  for (const measure of measures) {
    const asOf = (await publishedPeriods(store, measure.collection)).at(-1);
    if (!asOf) continue;
    const deadlines = [...new Set(dueTargets(measure, asOf).map((target) => dueOf(target)!))];
    if (deadlines.length === 0) continue;
    // One read of every level's rows; each level's peers are the rows measureValues gives it.
    const all = await measureTableRows(store, { measures: [measure.id], to: asOf });
    for (const level of PEER_LEVELS) {
      const levels = tableLevels(measure, level);
      const peers = seriesByOrg(all.filter((row) => levels.includes(row.level)).map((row) => ({ org: row.org, period: row.period, value: row.value, numerator: row.numerator, denominator: row.denominator })));
      // Every month an organisation of the level last had a figure in: its status starts there.
      const starts = new Set<string>();
      for (const series of peers.values()) {
        const latest = series.filter((point) => point.value !== null).at(-1);
        if (latest) starts.add(latest.period);
      }
      const index = indexPeers(peers, asOf);
      for (const from of starts) {
        for (const deadline of deadlines) {
          const stats = peerImprovementIn(index, from, deadline, measure.direction);
          rows.push({ measure: measure.id, level, as_of: asOf, from_period: from, deadline, median: stats?.median ?? null, p90: stats?.p90 ?? null, observations: stats?.observations ?? null });
        }
      }
    }
  }
  await replacePeerStats(store, measures.map((measure) => measure.id), rows);
}

function seriesByOrg(values: readonly MeasureValue[]): Map<string, MeasureValue[]> {
  const out = new Map<string, MeasureValue[]>();
  for (const value of values) {
    let list = out.get(value.org);
    if (!list) out.set(value.org, (list = []));
    list.push(value);
  }
  return out;
}

/**
 * The peers a status line's road compares with: the stored figures when they cover this
 * organisation's starting month and deadline, else every peer's series to compute them from.
 */
export async function peersFor(store: Store, measure: MeasureDefinition, level: Level, asOf: string, from: string | undefined, deadline: string | null): Promise<ReadonlyMap<string, readonly MeasureValue[]> | PeerStatsLookup> {
  // A target already due gets no road (roadTo), so it needs no peers.
  if (from === undefined || deadline === null || deadline <= asOf) return () => null;
  const stored = await storedPeerStats(store, measure, level, asOf);
  if (stored.has(`${from}|${deadline}`)) {
    return (start, due) => stored.get(`${start}|${due}`) ?? null;
  }
  return peerSeries(store, measure, level, asOf);
}

function storedPeerStats(store: Store, measure: MeasureDefinition, level: Level, asOf: string): Promise<Map<string, ReturnType<PeerStatsLookup>>> {
  return memoise(store, memoKey('storedPeerStats', measure.id, level, asOf), async () => {
    if (!(await tableIsFresh(store, measure.collection))) return new Map();
    const rows = (await allPeerStats(store)).get(`${measure.id}|${level}|${asOf}`) ?? [];
    return new Map(rows.map((row) => [`${row.from_period}|${row.deadline}`,
      row.median === null || row.p90 === null || row.observations === null ? null : { median: row.median, p90: row.p90, observations: row.observations }]));
  });
}

/** Every organisation's series at a level up to `asOf`: trusts are compared with trusts, ICBs with ICBs. */
function peerSeries(store: Store, measure: MeasureDefinition, level: Level, asOf: string): Promise<Map<string, MeasureValue[]>> {
  return memoise(store, memoKey('peerSeries', measure.id, level, asOf), async () => seriesByOrg(await measureValues(store, measure, { level, to: asOf })));
}

/** The whole stored table (a few thousand rows), read once per store version. */
export function allPeerStats(store: Store): Promise<Map<string, PeerStatsRow[]>> {
  return memoiseShared(store, 'allPeerStats', async () => {
    const out = new Map<string, PeerStatsRow[]>();
    for (const row of await peerStatsRows(store)) {
      const key = `${row.measure}|${row.level}|${row.as_of}`;
      let list = out.get(key);
      if (!list) out.set(key, (list = []));
      list.push(row);
    }
    return out;
  });
}
