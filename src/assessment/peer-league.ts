import { rank } from '../analysis/rank.js';
import { spc, type Assurance, type Variation } from '../analysis/spc/index.js';
import { PlanwatchError } from '../errors.js';
import type { Level } from '../measures/hierarchy.js';
import { measureById, type MeasureDefinition } from '../measures/index.js';
import { addMonths } from '../measures/periods.js';
import { measureValues } from '../measures/query.js';
import type { Store } from '../store/store.js';
import { getLeague, type League, type LeagueQuery, type LeagueRow } from './index.js';
import { memoise, memoKey } from './memo.js';
import { isPeerGroupId, peerGroupMembers, type PeerGroupId, type PeerGroupMembers } from './peer-groups.js';

/**
 * League tables compared among peers: a peer group (the A&E tables default to trusts with a
 * type 1 department), an ICB, and each row's Making Data Count variation and assurance over
 * the same span as the charts, so a row's icons agree with the chart it links to.
 */
export interface PeerLeagueQuery extends LeagueQuery {
  /** A peer group, or 'all' for every organisation of the level; default from defaultPeerGroup. */
  peerGroup?: PeerGroupId | 'all';
  /** Only trusts that ODS places in this ICB in the league's month. */
  icb?: string;
}

export interface PeerLeagueRow extends LeagueRow {
  icb?: string;
  variation: Variation | null;
  assurance: Assurance | null;
}

export interface PeerLeague extends Omit<League, 'rows'> {
  peerGroup?: Omit<PeerGroupMembers, 'members'>;
  icb?: string;
  rows: PeerLeagueRow[];
}

/** How many months the row icons' SPC covers: the charts' span (server/routes/pages/present.ts). */
export const LEAGUE_SPC_MONTHS = 36;

/**
 * The A&E tables of trusts compare trusts with a major (type 1) emergency department: an
 * all-trust table put community trusts whose only units are minor injury units at the top
 * (Kent Community Health, 99.7%). Other tables start with every organisation.
 */
export function defaultPeerGroup(measure: MeasureDefinition, level: Level): PeerGroupId | 'all' {
  return measure.collection === 'ae' && (level === 'trust' || level === 'provider') ? 'type1' : 'all';
}

export function checkPeerGroup(text: string | undefined): PeerGroupId | 'all' | undefined {
  if (text === undefined || text === '') return undefined;
  if (text === 'all' || isPeerGroupId(text)) return text;
  throw new PlanwatchError('E_USAGE', `Unknown peer group "${text}". Peer groups: all, type1, acute, specialist, community, mental_health, ambulance.`);
}

export async function getPeerLeague(store: Store, metric: string, query: PeerLeagueQuery = {}): Promise<PeerLeague> {
  const measure = measureById(metric);
  const level = query.level ?? 'trust';
  const league = await getLeague(store, metric, query);
  const peerGroup = query.peerGroup ?? defaultPeerGroup(measure, level);
  if (peerGroup !== 'all' && level !== 'trust' && level !== 'provider' && level !== 'ambulance_trust') {
    throw new PlanwatchError('E_USAGE', `Peer groups compare trusts: ask for a trust table, not ${level}s.`);
  }
  const icb = query.icb?.toUpperCase();
  return memoise(store, memoKey('getPeerLeague', metric, level, league.period, league.region, league.from, peerGroup, icb), async () => {
    const members = peerGroup === 'all' ? undefined : await peerGroupMembers(store, peerGroup, league.period);
    const icbs = await icbsAt(store, league.period);
    if (icb !== undefined && ![...icbs.values()].includes(icb)) {
      throw new PlanwatchError('E_USAGE', `Unknown ICB "${query.icb}": ODS places no trust in it in ${league.period}. Use an ICB code such as QRL.`);
    }
    const kept = league.rows.filter((row) => (!members || members.members.has(row.org)) && (icb === undefined || icbs.get(row.org) === icb));
    const icons = await rowIcons(store, measure, level, league, kept);
    const ranks = new Map(rank(kept, measure.direction).map(({ item, rank: position }) => [item.org, position]));
    const improvement = league.from === undefined
      ? undefined
      : new Map(rank(kept.map((row) => ({ org: row.org, value: row.changeSinceFrom ?? null })), measure.direction).map(({ item, rank: position }) => [item.org, position]));
    const rows = kept.map((row): PeerLeagueRow => ({
      ...row,
      rank: ranks.get(row.org) ?? null,
      ...(improvement ? { improvementRank: improvement.get(row.org) ?? null } : {}),
      ...(icbs.get(row.org) ? { icb: icbs.get(row.org)! } : {}),
      ...(icons.get(row.org) ?? { variation: null, assurance: null }),
    })).sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.org.localeCompare(b.org));
    const { members: _members, ...group } = members ?? { members: undefined };
    return { ...league, rows, ...(members ? { peerGroup: group as Omit<PeerGroupMembers, 'members'> } : {}), ...(icb ? { icb } : {}) };
  });
}

/** The ICB ODS places each trust in during `period` ('YYYY-MM'). */
export async function icbsAt(store: Store, period: string): Promise<Map<string, string>> {
  return memoise(store, memoKey('icbsAt', period), async () => {
    const rows = await store.all<{ org: string; icb: string }>(`
      SELECT org, arg_max(target, coalesce(valid_from, '0000-01')) AS icb FROM current_org_links
      WHERE relation = 'parent' AND level = 'icb' AND weight IS NULL
        AND coalesce(valid_from, '0000-01') <= $1 AND coalesce(valid_to, '9999-12') >= $1
      GROUP BY org`, [period]);
    return new Map(rows.map((row) => [row.org, row.icb]));
  });
}

async function rowIcons(store: Store, measure: MeasureDefinition, level: Level, league: League, rows: readonly LeagueRow[]) {
  const icons = new Map<string, { variation: Variation | null; assurance: Assurance | null }>();
  if (rows.length === 0) return icons;
  const from = addMonths(league.period, -(LEAGUE_SPC_MONTHS - 1));
  const values = await measureValues(store, measure, { level, from, to: league.period, orgs: rows.map((row) => row.org) });
  const byOrg = new Map<string, { period: string; value: number | null }[]>();
  for (const value of values) {
    if (!byOrg.has(value.org)) byOrg.set(value.org, []);
    byOrg.get(value.org)!.push({ period: value.period, value: value.value });
  }
  for (const row of rows) {
    const series = (byOrg.get(row.org) ?? []).sort((a, b) => a.period.localeCompare(b.period));
    if (!series.some((point) => point.value !== null)) continue;
    const threshold = row.threshold !== undefined ? row.threshold : league.target?.threshold ?? null;
    const result = spc(series, { direction: measure.direction, ...(threshold !== null ? { target: threshold } : {}) });
    icons.set(row.org, { variation: result.variation, assurance: result.assurance });
  }
  return icons;
}
