import { comparatorOf, meets, relativeThreshold } from '../analysis/assess.js';
import { change, rank } from '../analysis/rank.js';
import { ENGLAND, REGION_CODES, addMonths, checkPeriod, regionName, type Level } from '../dimensions.js';
import { PlanwatchError } from '../errors.js';
import { measureById, type MeasureDefinition } from '../measures/index.js';
import { measureValues, storedRank, unplacedOrgs } from '../measures/query.js';
import { regionsAt } from '../store/orgs.js';
import type { Store } from '../store/store.js';
import type { LoadedTarget } from '../targets/load.js';
import { memoise, memoKey } from './memo.js';
import { orgNames } from './organisations.js';
import { companionsAt, periodsOf, type Companion } from './series.js';
import { applicableTarget, targets } from './targets.js';

/** League tables: every organisation of a level ranked on a measure for a month. */

export interface LeagueRow {
  rank: number | null;
  org: string;
  name: string;
  region?: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  yearEarlier: number | null;
  change: number | null;
  /** The threshold in force for this organisation when it is relative to its own baseline. */
  threshold?: number | null;
  targetMet: boolean | null;
  note?: string;
  /** With `from`: the value in that month, the change since, and the rank on that change. */
  fromValue?: number | null;
  changeSinceFrom?: number | null;
  improvementRank?: number | null;
  /** Counts of the longest waiters, in the order of League.companions. */
  companions: Companion[];
}

export interface League {
  measure: MeasureDefinition;
  period: string;
  level: Level;
  /** The earlier month "most improved" compares with, when asked. */
  from?: string;
  region?: string;
  /** The companion measures shown as extra columns, in order. */
  companions: Omit<Companion, 'value'>[];
  /** ICB and region tables: providers no area of the level contains that month (listed, not dropped). */
  unplaced?: string[];
  target?: { id: string; title: string; comparator: string; threshold: number | null };
  rows: LeagueRow[];
}

export interface LeagueQuery {
  period?: string;
  level?: Level;
  region?: string;
  /** Rank the change from this month to `period` too ("most improved"), as NHS England's 2024 A&E incentive letter ranked March against January. */
  from?: string;
  /** As known at the end of this month: the default period is the latest up to it, and no later month may be asked for. */
  asOf?: string;
}

// A relative target (each trust +5 points on its own November 2024 figure) has no single
// threshold: each organisation's comes from its own baseline month.
async function relativeThresholds(store: Store, measure: MeasureDefinition, level: Level, target: LoadedTarget | undefined): Promise<Map<string, number | null> | undefined> {
  if (target?.comparator !== 'improve_vs_baseline') return undefined;
  const baseline = await measureValues(store, measure, { level, from: target.baseline_period, to: target.baseline_period });
  return new Map(baseline.map((value) => [value.org, value.value === null ? null : relativeThreshold(target, value.value, measure.direction)]));
}

export async function getLeague(store: Store, metric: string, query: LeagueQuery = {}): Promise<League> {
  const measure = measureById(metric);
  const level = query.level ?? 'trust';
  const asked = checkPeriod(query.period, '--period');
  const from = checkPeriod(query.from, '--from');
  const asOf = checkPeriod(query.asOf, '--as-of');
  const published = (await periodsOf(store, measure.collection)).filter((month) => asOf === undefined || month <= asOf);
  if (asked !== undefined && asOf !== undefined && asked > asOf) {
    throw new PlanwatchError('E_USAGE', `--period (${asked}) is after --as-of (${asOf}): as of ${asOf} it was not yet known.`);
  }
  const period = asked ?? published.at(-1);
  if (!period) throw new PlanwatchError('E_NOT_FOUND', `No ${measure.collection} publications are in the store yet: run planwatch ingest or planwatch fetch first.`);
  for (const month of [period, from]) {
    if (month !== undefined && !published.includes(month)) {
      throw new PlanwatchError('E_NOT_FOUND', `No ${measure.collection} figures for ${month}: the store has ${published[0]} to ${published.at(-1)}.`);
    }
  }
  if (from !== undefined && from >= period) {
    throw new PlanwatchError('E_USAGE', `--from (${from}) must be a month before --period (${period}).`);
  }
  const region = query.region?.toUpperCase();
  if (region !== undefined && !regionName(region)) {
    throw new PlanwatchError('E_USAGE', `Unknown region "${query.region}". Regions: ${REGION_CODES.join(', ')}.`);
  }
  return memoise(store, memoKey('getLeague', metric, level, period, region, from), () => leagueOf(store, measure, { level, period, region, from }));
}

async function leagueOf(store: Store, measure: MeasureDefinition, query: { level: Level; period: string; region: string | undefined; from: string | undefined }): Promise<League> {
  const { level, period, region, from } = query;
  const earlier = addMonths(period, -12);
  const first = from !== undefined && from < earlier ? from : earlier;
  const values = await measureValues(store, measure, { level, from: first, to: period });
  const valueAt = (month: string | undefined) => new Map(values.filter((value) => value.period === month).map((value) => [value.org, value.value]));
  const now = values.filter((value) => value.period === period);
  const before = valueAt(earlier);
  const atFrom = valueAt(from);
  const orgNamesNow = await orgNames(store);
  const regions = level === 'trust' || level === 'provider' || level === 'ambulance_trust' ? await regionsAt(store, measure.collection, period) : new Map<string, string>();
  // Trust tables of ambulance measures are ambulance-trust tables: their targets apply there.
  const targetLevel = level === 'trust' && measure.providerLevel ? measure.providerLevel : level;
  const target = applicableTarget(targets(), measure.id, targetLevel, period);
  const unplaced = level === 'icb' || level === 'region' ? await unplacedOrgs(store, measure, level, period) : [];
  const threshold = target && 'threshold' in target ? (target.threshold ?? null) : null;
  const relative = await relativeThresholds(store, measure, level, target);
  const comparator = target && target.comparator !== 'improve_on_previous_year' ? comparatorOf(target, measure.direction) : undefined;
  const inRegion = region ? now.filter((value) => regions.get(value.org) === region) : now;
  const companionsOf = await companionsAt(store, measure, level, period);
  const improvement = from === undefined
    ? new Map<string, number | null>()
    : new Map(rank(inRegion.map((item) => ({ org: item.org, value: change(item.value, atFrom.get(item.org) ?? null) })), measure.direction)
      .map(({ item, rank: position }) => [item.org, position]));
  const rows = rank(inRegion, measure.direction).map(({ item, rank: position }): LeagueRow => {
    const yearEarlier = before.get(item.org) ?? null;
    const regionOf = regions.get(item.org);
    const own = relative ? (relative.get(item.org) ?? null) : threshold;
    const row: LeagueRow = {
      rank: position,
      org: item.org,
      name: orgNamesNow.get(item.org) ?? regionName(item.org) ?? (item.org === ENGLAND ? 'England' : item.org),
      ...(regionOf ? { region: regionOf } : {}),
      value: item.value,
      numerator: item.numerator,
      denominator: item.denominator,
      yearEarlier,
      change: change(item.value, yearEarlier),
      ...(relative ? { threshold: own } : {}),
      targetMet: item.value === null || own === null || !comparator ? null : meets(item.value, comparator, own),
      ...(item.note ? { note: item.note } : {}),
      companions: companionsOf(item.org),
    };
    if (from !== undefined) {
      row.fromValue = atFrom.get(item.org) ?? null;
      row.changeSinceFrom = change(item.value, row.fromValue);
      row.improvementRank = improvement.get(item.org) ?? null;
    }
    return row;
  });
  return {
    measure, period, level, rows,
    ...(from !== undefined ? { from } : {}),
    ...(region !== undefined ? { region } : {}),
    companions: (measure.companions ?? []).map(measureById).map((companion) => ({ metric: companion.id, short: companion.short, unit: companion.unit })),
    ...(unplaced.length > 0 ? { unplaced } : {}),
    ...(target ? { target: { id: target.id, title: target.title, comparator: target.comparator, threshold } } : {}),
  };
}


/**
 * One organisation's place in its level's league table for a month: read from the table of
 * measure values, or (while it is being rebuilt) from the league computed whole.
 */
export async function rankOf(store: Store, metric: string, level: Level, org: string, period: string): Promise<{ rank: number | null; ranked: number } | undefined> {
  const measure = measureById(metric);
  const stored = await storedRank(store, measure, level, org, period);
  if (stored) return stored;
  const league = await getLeague(store, metric, { level, period });
  const row = league.rows.find((entry) => entry.org === org);
  return row ? { rank: row.rank, ranked: league.rows.filter((entry) => entry.rank !== null).length } : undefined;
}
