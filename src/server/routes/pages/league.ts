import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { orgDirectory, periodsOf } from '../../../assessment/index.js';
import { PEER_GROUPS } from '../../../assessment/peer-groups.js';
import { checkPeerGroup, defaultPeerGroup, getPeerLeague, icbsAt, type PeerLeagueRow } from '../../../assessment/peer-league.js';
import { assuranceIconSvg, variationIconSvg } from '../../../analysis/spc/icon-svg.js';
import { REGION_CODES, regionName } from '../../../dimensions.js';
import { measureById } from '../../../measures/index.js';
import { PERIOD_PATTERN, periodLabel } from '../../../dimensions.js';
import { changeText, displayName, valueText } from '../../format.js';
import { levelPlural, levelText } from './present.js';

const month = z.string().regex(PERIOD_PATTERN, 'must be a month as YYYY-MM, e.g. 2025-03');

/** The league page's query: empty select values ("") mean "not chosen", as a GET form sends them. */
export const leagueQuery = z.object({
  period: z.union([z.literal(''), month]).optional(),
  from: z.union([z.literal(''), month]).optional(),
  region: z.union([z.literal(''), z.string().regex(/^Y\d\d$/i, 'must be a region code such as Y59')]).optional(),
  icb: z.union([z.literal(''), z.string().regex(/^Q[A-Z0-9]{2}$/i, 'must be an ICB code such as QRL')]).optional(),
  group: z.union([z.literal(''), z.enum(['all', ...PEER_GROUPS.map((group) => group.id)] as [string, ...string[]])]).optional(),
  level: z.enum(['trust', 'provider', 'ambulance_trust', 'icb', 'region']).default('trust'),
  sort: z.enum(['rank', 'name', 'value', 'change', 'improvement']).default('rank'),
  order: z.enum(['ascending', 'descending']).optional(),
});

type Query = z.infer<typeof leagueQuery>;

const SORT_KEYS: Record<Query['sort'], (row: PeerLeagueRow) => number | string | null> = {
  rank: (row) => row.rank,
  name: (row) => displayName(row.name),
  value: (row) => row.value,
  change: (row) => row.change,
  improvement: (row) => row.improvementRank ?? null,
};

export async function leaguePage(fastify: FastifyInstance, metric: string, query: Query): Promise<string> {
  const measure = measureById(metric);
  const peerGroup = checkPeerGroup(query.group) ?? defaultPeerGroup(measure, query.level);
  const league = await getPeerLeague(fastify.store, metric, {
    level: query.level,
    peerGroup,
    ...(query.period ? { period: query.period } : {}),
    ...(query.from ? { from: query.from } : {}),
    ...(query.region ? { region: query.region } : {}),
    ...(query.icb ? { icb: query.icb } : {}),
  });
  const unit = measure.unit;
  const sort = query.sort === 'improvement' && !league.from ? 'rank' : query.sort;
  const defaultOrder = sort === 'name' || sort === 'rank' || sort === 'improvement' ? 'ascending' : 'descending';
  const order = query.order ?? defaultOrder;
  const rows = sortRows(league.rows, sort, order);

  const link = (changes: Partial<Record<string, string | undefined>>) => {
    const params = new URLSearchParams();
    const merged = { period: league.period, from: league.from, region: league.region, icb: league.icb, group: query.group || undefined, level: query.level === 'trust' ? undefined : query.level, sort, order, ...changes };
    for (const [key, value] of Object.entries(merged)) if (value) params.set(key, value);
    return `/league/${metric}?${params.toString()}`;
  };
  const header = (text: string, key: Query['sort'], format?: 'numeric') => {
    const current = sort === key;
    const next = current ? (order === 'ascending' ? 'descending' : 'ascending') : (key === 'name' || key === 'rank' || key === 'improvement' ? 'ascending' : 'descending');
    return { text, href: link({ sort: key, order: next }), sort: current ? order : true, ...(format ? { format } : {}) };
  };
  // Ranking regions, or trusts within one region, the region column would repeat itself.
  const showRegion = query.level !== 'region' && !league.region;
  const head = [
    header('Rank', 'rank', 'numeric'),
    header('Organisation', 'name'),
    ...(showRegion ? [{ text: 'Region' }] : []),
    header(measure.short, 'value', 'numeric'),
    header('Change on a year earlier', 'change', 'numeric'),
    ...(league.target ? [{ text: 'Target met?' }] : []),
    { text: 'Variation' },
    ...(league.target ? [{ text: 'Assurance' }] : []),
    ...league.companions.map((companion) => ({ text: companion.short, format: 'numeric' })),
    ...(league.from ? [{ text: `In ${periodLabel(league.from)}`, format: 'numeric' }, header('Improvement rank', 'improvement', 'numeric')] : []),
  ];
  const tableRows = rows.map((row) => [
    { text: row.rank === null ? '–' : String(row.rank), format: 'numeric' },
    { text: displayName(row.name), href: `/org/${row.org}`, visuallyHiddenText: `(${row.org})` },
    ...(showRegion ? [{ text: row.region ? (regionName(row.region) ?? row.region) : '' }] : []),
    { text: valueText(row.value, unit), format: 'numeric' },
    { text: row.change === null ? '' : signed(row.change, unit), format: 'numeric', ...(row.change !== null ? { visuallyHiddenText: `(${changeText(row.change, unit)})` } : {}) },
    ...(league.target ? [{ text: row.targetMet === null ? '' : row.targetMet ? 'Met' : 'Not met' }] : []),
    { html: row.variation ? variationIconSvg(row.variation, { size: 28 }) : '', classes: 'pw-league__icon' },
    ...(league.target ? [{ html: row.assurance ? assuranceIconSvg(row.assurance, { size: 28 }) : '', classes: 'pw-league__icon' }] : []),
    ...row.companions.map((companion) => ({ text: valueText(companion.value, companion.unit), format: 'numeric' })),
    ...(league.from ? [
      { text: valueText(row.fromValue ?? null, unit), format: 'numeric' },
      { text: row.improvementRank == null ? '–' : `${row.improvementRank} (${signed(row.changeSinceFrom ?? 0, unit)})`, format: 'numeric' },
    ] : []),
  ]);

  const periods = await periodsOf(fastify.store, measure.collection);
  const recent = [...periods].reverse();
  const regionNameShown = league.region ? regionName(league.region) : undefined;
  const directory = await orgDirectory(fastify.store);
  const icbName = new Map(directory.filter((org) => org.level === 'icb').map((org) => [org.code, displayName(org.name)]));
  const icbCodes = [...new Set((await icbsAt(fastify.store, league.period)).values())].sort((a, b) => (icbName.get(a) ?? a).localeCompare(icbName.get(b) ?? b));
  const isTrustTable = query.level === 'trust' || query.level === 'provider' || query.level === 'ambulance_trust';
  const apiParams = new URLSearchParams();
  for (const [key, value] of Object.entries({ period: league.period, from: league.from, region: league.region, level: query.level === 'trust' ? undefined : query.level })) if (value) apiParams.set(key, value);
  const groupShown = league.peerGroup;
  return fastify.renderPage('pages/league.njk', {
    title: `${measure.short} league table, ${periodLabel(league.period)}`,
    nav: 'league-table',
    crumbs: [{ href: '/', text: 'Home' }, { href: '/league', text: 'League tables' }],
    measure,
    period: league.period,
    from: league.from,
    target: league.target,
    rows,
    head,
    tableRows,
    caption: `${groupShown ? groupShown.title : `${levelText(league.level)}s`}${regionNameShown ? ` in the ${regionNameShown} region` : ''}${league.icb ? ` in ${icbName.get(league.icb) ?? league.icb}` : ''}, ${periodLabel(league.period)}, sorted by ${head.find((cell) => 'href' in cell && cell.sort !== true)?.text.toLowerCase() ?? 'rank'}`,
    levelPlural: levelPlural(league.level),
    regionName: regionNameShown,
    directionText: measure.direction === 'increase' ? 'ranked highest first' : measure.direction === 'decrease' ? 'ranked lowest first, as lower is better' : 'largest first',
    periodItems: recent.map((p) => ({ value: p, text: periodLabel(p), selected: p === league.period })),
    fromItems: [{ value: '', text: 'Do not compare', selected: !league.from }, ...recent.map((p) => ({ value: p, text: periodLabel(p), selected: p === league.from }))],
    peerGroup: groupShown,
    icbName: league.icb ? (icbName.get(league.icb) ?? league.icb) : undefined,
    groupItems: isTrustTable ? [
      { value: 'all', text: `All ${levelPlural(league.level)}`, selected: peerGroup === 'all' },
      ...PEER_GROUPS.map((group) => ({ value: group.id, text: group.title, selected: group.id === peerGroup })),
    ] : undefined,
    icbItems: isTrustTable ? [{ value: '', text: 'All ICBs', selected: !league.icb }, ...icbCodes.map((code) => ({ value: code, text: icbName.get(code) ?? code, selected: code === league.icb }))] : undefined,
    regionItems: [{ value: '', text: 'All of England', selected: !league.region }, ...REGION_CODES.map((code) => ({ value: code, text: regionName(code), selected: code === league.region }))],
    csvHref: `/api/v1/league/${metric}?${new URLSearchParams([...apiParams, ['format', 'csv']]).toString()}`,
    jsonHref: `/api/v1/league/${metric}${apiParams.size ? `?${apiParams.toString()}` : ''}`,
  });
}

function signed(value: number, unit: Parameters<typeof valueText>[1]): string {
  const sign = value > 0 ? '+' : value < 0 ? '−' : '±';
  return `${sign}${valueText(Math.abs(value), unit)}`.replace('%', unit === 'percent' ? ' pts' : '%');
}

/** Unranked rows (no figure) stay at the bottom whichever way the column is sorted. */
function sortRows(rows: readonly PeerLeagueRow[], sort: Query['sort'], order: 'ascending' | 'descending'): PeerLeagueRow[] {
  const key = SORT_KEYS[sort];
  const sign = order === 'ascending' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    if (x === null || y === null) return x === y ? a.org.localeCompare(b.org) : x === null ? 1 : -1;
    const compared = typeof x === 'string' ? x.localeCompare(y as string) : x - (y as number);
    return sign * compared || a.org.localeCompare(b.org);
  });
}
