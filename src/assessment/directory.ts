import { ENGLAND, levelOfCode, type Level } from '../measures/hierarchy.js';
import { addMonths } from '../measures/periods.js';
import type { Store } from '../store/store.js';
import { memoise } from './memo.js';
import { listOrgs } from './orgs.js';

/**
 * Every organisation a person might look up: England, the regions, ICBs and trusts ODS lists
 * (listOrgs), and every other provider the publications list (independent sector, urgent
 * treatment centres). For search boxes and the API's organisation list.
 */
export interface DirectoryEntry {
  code: string;
  name: string;
  level: Level;
  /** Region code (Y56…Y63): the latest publication's, else ODS's. */
  region?: string;
  icb?: string;
  /** The latest month a statistical publication lists it; null when none has yet. */
  lastPeriod: string | null;
  /** ODS close date, for trusts that have closed or merged. */
  closed?: string;
}

export function orgDirectory(store: Store): Promise<DirectoryEntry[]> {
  return memoise(store, 'orgDirectory', async () => {
    const published = await store.all<{ org: string; name: string; last: string; region: string | null }>(
      `SELECT org, arg_max(name, period) AS name, max(period) AS last,
              arg_max(parent, period) FILTER (WHERE parent_level = 'region') AS region
       FROM current_org_facts WHERE collection <> 'ods' GROUP BY org`);
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
export function isCurrent(org: DirectoryEntry, latest: string | null): boolean {
  if (org.closed || org.lastPeriod === null || latest === null) return false;
  return org.lastPeriod >= addMonths(latest, -3);
}

function normalise(text: string): string {
  return text.toUpperCase().replace(/[^A-Z0-9&' ]+/g, ' ').replace(/\s+/g, ' ').trim();
}
