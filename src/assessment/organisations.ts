import { ENGLAND, LEVELS, REGION_CODES, addMonths, levelOfCode, regionName, type Level } from '../dimensions.js';
import { PlanwatchError } from '../errors.js';
import { icbRows, odsTrustRows, orgDescriptionRows, orgNameRows, publishedOrgRows } from '../store/orgs.js';
import type { Store } from '../store/store.js';
import { memoise, memoKey, memoiseShared } from './memo.js';

/**
 * The one organisation model every surface shows: what ODS and the publications say about a
 * trust, provider, ICB, region or England. Lookups (describeOrg), the ODS list (listOrgs) and
 * the search directory (orgDirectory) each fill the fields they know.
 */
export interface Organisation {
  code: string;
  name: string;
  /** The organisation's main level; `levels` lists every level its publications give it. */
  level: Level;
  levels?: Level[];
  /** Region code (Y56…Y63): the latest publication's, else ODS's. */
  region?: string;
  /** The ICB ODS places it in now (or last, if closed). */
  icb?: string;
  /** ODS open and close dates, for trusts. */
  opened?: string;
  closed?: string;
  /** Organisations that took over its services, and those whose services it took over. */
  successors?: Succession[];
  predecessors?: Succession[];
  /** ICBs formed by a merger: the month and the boards they were formed from (ODS successions). */
  formed?: { from: string; predecessors: string[] };
  /** The latest month a statistical publication lists it; null when none has yet. */
  lastPeriod?: string | null;
}

export interface Succession {
  code: string;
  name?: string;
  /** First month the successor ran the services ('YYYY-MM'). */
  from: string;
}

/** A row of the search directory: an organisation with the last month it was published. */
export type DirectoryEntry = Organisation & { lastPeriod: string | null };

export interface OrgQuery {
  level?: 'trust' | 'icb' | 'region';
  search?: string;
}

/** Latest name of every organisation the publications list. */
export function orgNames(store: Store): Promise<Map<string, string>> {
  return memoiseShared(store, 'orgNames', () => orgNameRows(store));
}

export function describeOrg(store: Store, code: string): Promise<Organisation> {
  const upper = code.trim().toUpperCase();
  return memoise(store, memoKey('describeOrg', upper), () => describe(store, code, upper));
}

/** What describe reads, by organisation: made once per store version for every organisation. */
interface DescriptionIndex {
  successors: Map<string, { code: string; from: string }[]>;
  predecessors: Map<string, { code: string; from: string }[]>;
  icbs: Map<string, string>;
  linkTargets: Set<string>;
  regions: Map<string, string>;
  levels: Map<string, { level: string | null; collection: string }[]>;
}

/** Reads what describing any organisation needs, for every organisation: the server does before it listens. */
export async function warmDescriptions(store: Store): Promise<void> {
  await descriptionIndex(store);
}

function descriptionIndex(store: Store): Promise<DescriptionIndex> {
  return memoiseShared(store, 'descriptionIndex', async () => {
    const rows = await orgDescriptionRows(store);
    const listed = <T>(map: Map<string, T[]>, key: string, item: T) => {
      let list = map.get(key);
      if (!list) map.set(key, (list = []));
      list.push(item);
    };
    const index: DescriptionIndex = {
      successors: new Map(), predecessors: new Map(), icbs: new Map(rows.icbs.map((row) => [row.org, row.target])),
      linkTargets: new Set(rows.linkTargets), regions: new Map(rows.regions.map((row) => [row.org, row.parent])), levels: new Map(),
    };
    for (const row of rows.successions) {
      listed(index.successors, row.org, { code: row.target, from: row.from });
      listed(index.predecessors, row.target, { code: row.org, from: row.from });
    }
    // Earliest first, then by code, compared as DuckDB orders text (by code unit, not by locale).
    const order = (a: { code: string; from: string }, b: { code: string; from: string }) => compareText(a.from, b.from) || compareText(a.code, b.code);
    for (const list of [...index.successors.values(), ...index.predecessors.values()]) list.sort(order);
    for (const row of rows.levels) listed(index.levels, row.org, { level: row.level, collection: row.collection });
    return index;
  });
}

function compareText(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

async function describe(store: Store, code: string, upper: string): Promise<Organisation> {
  const level = levelOfCode(upper);
  if (level === 'england') return { code: ENGLAND, name: 'England', level };
  const region = regionName(upper);
  if (region) return { code: upper, name: region, level };
  const known = await orgNames(store);
  const index = await descriptionIndex(store);
  // An ICB that only ODS links name (no ambulance workbook ingested yet) is known, by its code.
  const isLinkTarget = level === 'icb' && index.linkTargets.has(upper);
  const name = known.get(upper) ?? (isLinkTarget ? upper : undefined);
  if (!name) {
    throw new PlanwatchError('E_NOT_FOUND', `Unknown organisation "${code}": no ingested publication lists it. Use an ODS code such as RHU, an ICB such as QRL, a region such as Y59, or ENG.`);
  }
  const regionCode = index.regions.get(upper);
  const icb = index.icbs.get(upper);
  const levels = levelsOf(index.levels.get(upper) ?? [], level);
  const successors = successions(index.successors.get(upper) ?? [], known);
  const predecessors = successions(index.predecessors.get(upper) ?? [], known);
  return {
    code: upper, name, level: levels[0] ?? level,
    ...(levels.length > 1 ? { levels } : {}),
    ...(regionCode ? { region: regionCode } : {}),
    ...(icb ? { icb } : {}),
    ...(successors.length > 0 ? { successors } : {}),
    ...(predecessors.length > 0 ? { predecessors } : {}),
  };
}

/**
 * Every level an organisation's publications give it: an ambulance service is an
 * 'ambulance_trust' (AmbSYS), an A&E provider a 'trust' or 'provider'; ODS calls every NHS trust a
 * trust, which counts only when no publication says more. The Isle of Wight NHS Trust is both.
 */
function levelsOf(published: readonly { level: string | null; collection: string }[], byCode: Level): Level[] {
  const levels = new Set<Level>();
  for (const { level, collection } of published) {
    if (collection === 'ods') continue;
    if (level === 'ambulance_trust') levels.add('ambulance_trust');
    else if (level === 'icb') levels.add('icb');
    else levels.add(byCode === 'trust' ? 'trust' : 'provider');
  }
  if (levels.size === 0) levels.add(byCode);
  return [...levels].sort((a, b) => LEVELS.indexOf(a) - LEVELS.indexOf(b));
}

function successions(rows: readonly { code: string; from: string }[], names: Map<string, string>): Succession[] {
  return rows.map((row) => ({ code: row.code, from: row.from, ...(names.get(row.code) ? { name: names.get(row.code)! } : {}) }));
}

/**
 * Organisations the store knows: trusts from ODS (with open and close dates and their ICB and
 * region now, or when they closed), ICBs named by the AmbSYS ICB lookup or seen in ODS links, and
 * the seven regions. Trusts that run ambulance services are listed as ambulance trusts.
 */
export async function listOrgs(store: Store, query: OrgQuery = {}): Promise<Organisation[]> {
  const trusts = await odsTrustRows(store);
  const icbs = await icbRows(store);
  const rows: Organisation[] = [
    ...REGION_CODES.map((code): Organisation => ({ code, name: regionName(code)!, level: 'region' })),
    ...icbs.map((row): Organisation => ({
      code: row.code, name: row.name ?? row.code, level: 'icb', ...(row.region ? { region: row.region } : {}),
      ...(row.formed && row.predecessors?.length ? { formed: { from: row.formed, predecessors: row.predecessors } } : {}),
    })),
    ...trusts.map((row): Organisation => ({
      code: row.code, name: row.name, level: row.ambulance ? 'ambulance_trust' : 'trust',
      ...(row.icb ? { icb: row.icb } : {}), ...(row.region ? { region: row.region } : {}),
      ...(row.opened ? { opened: row.opened } : {}), ...(row.closed ? { closed: row.closed } : {}),
      ...(row.successors?.length ? { successors: row.successors.map((s) => ({ code: s.code, from: s.from ?? '' })) } : {}),
    })),
  ];
  const search = query.search?.trim().toLowerCase();
  return rows.filter((row) => {
    if (query.level && !(row.level === query.level || (query.level === 'trust' && row.level === 'ambulance_trust'))) return false;
    return !search || row.code.toLowerCase().includes(search) || row.name.toLowerCase().includes(search);
  });
}

/**
 * Every organisation a person might look up: England, the regions, ICBs and trusts ODS lists
 * (listOrgs), and every other provider the publications list (independent sector, urgent
 * treatment centres). For search boxes and the API's organisation list.
 */
export function orgDirectory(store: Store): Promise<DirectoryEntry[]> {
  return memoiseShared(store, 'orgDirectory', async () => {
    const published = await publishedOrgRows(store);
    const byCode = new Map(published.map((row) => [row.org, row]));
    const latest = published.reduce<string | null>((max, row) => (max === null || row.last > max ? row.last : max), null);
    const entries = new Map<string, DirectoryEntry>();
    entries.set(ENGLAND, { code: ENGLAND, name: 'England', level: 'england', lastPeriod: latest });
    for (const org of await listOrgs(store)) {
      const seen = byCode.get(org.code);
      const region = seen?.region ?? org.region;
      entries.set(org.code, {
        code: org.code,
        name: org.name,
        level: org.level,
        ...(region ? { region } : {}),
        ...(org.icb ? { icb: org.icb } : {}),
        lastPeriod: org.level === 'region' ? latest : (seen?.last ?? null),
        ...(org.closed ? { closed: org.closed } : {}),
      });
    }
    for (const row of published) {
      if (entries.has(row.org)) continue;
      entries.set(row.org, {
        code: row.org,
        name: row.name,
        level: levelOfCode(row.org),
        ...(row.region ? { region: row.region } : {}),
        lastPeriod: row.last,
      });
    }
    const areas = [...entries.values()].filter((entry) => entry.level === 'england' || entry.level === 'region');
    const others = [...entries.values()].filter((entry) => entry.level !== 'england' && entry.level !== 'region')
      .sort((a, b) => a.name.localeCompare(b.name) || a.code.localeCompare(b.code));
    return [...areas, ...others];
  });
}

/**
 * Organisations whose code or name matches what a person typed: an exact code first, then codes
 * starting with it, then names starting with it, then names holding every word of it. Among
 * equals, organisations with recent figures come before closed ones and those with none.
 */
export async function searchOrgs(store: Store, query: string, limit = 50): Promise<DirectoryEntry[]> {
  const wanted = normalise(query);
  if (wanted === '') return [];
  const words = wanted.split(' ');
  const orgs = await orgDirectory(store);
  const latest = orgs[0]?.lastPeriod ?? null;
  const scored: { org: DirectoryEntry; score: number }[] = [];
  for (const org of orgs) {
    const code = org.code.toUpperCase();
    const name = normalise(org.name);
    let score: number | undefined;
    if (code === wanted) score = 0;
    else if (code.startsWith(wanted)) score = 1;
    else if (name.startsWith(wanted)) score = 2;
    else if (words.every((word) => name.includes(word))) score = 3;
    if (score === undefined) continue;
    scored.push({ org, score: score * 2 + (isCurrent(org, latest) ? 0 : 1) });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.org.name.localeCompare(b.org.name))
    .slice(0, limit)
    .map(({ org }) => org);
}

/**
 * Still open and in a recent publication. Collections end in different months (A&E a month or two
 * behind AmbSYS), so "recent" is within three months of the newest month any publication has.
 */
export function isCurrent(org: Pick<Organisation, 'closed' | 'lastPeriod'>, latest: string | null): boolean {
  if (org.closed || org.lastPeriod === null || org.lastPeriod === undefined || latest === null) return false;
  return org.lastPeriod >= addMonths(latest, -3);
}

function normalise(text: string): string {
  return text.toUpperCase().replace(/[^A-Z0-9&' ]+/g, ' ').replace(/\s+/g, ' ').trim();
}
