import { ENGLAND, REGION_CODES, levelOfCode, regionName, type Level } from '../measures/hierarchy.js';
import type { Store } from '../store/store.js';
import { memoise } from './memo.js';

/** An organisation as the publications list it, for lists and search. */
export interface OrgListing {
  code: string;
  name: string;
  level: Level;
  /** Region code (Y56…Y63) from the latest publication that lists the organisation. */
  region?: string;
  /** The latest month any publication lists it: older means merged, closed or renamed. */
  lastPeriod: string | null;
}

/** Every organisation in the store, England and the regions first, then by name. */
export function listOrgs(store: Store): Promise<OrgListing[]> {
  return memoise(store, 'listOrgs', async () => {
    const rows = await store.all<{ org: string; name: string; region: string | null; last: string }>(
      `SELECT org, arg_max(name, period) AS name, max(period) AS last,
              arg_max(parent, period) FILTER (WHERE parent_level = 'region') AS region
       FROM current_org_facts GROUP BY org`);
    const latest = rows.reduce<string | null>((max, row) => (max === null || row.last > max ? row.last : max), null);
    const areas: OrgListing[] = [
      { code: ENGLAND, name: 'England', level: 'england', lastPeriod: latest },
      ...REGION_CODES.map((code): OrgListing => ({ code, name: regionName(code)!, level: 'region', lastPeriod: latest })),
    ];
    const listed = rows
      .filter((row) => row.org !== ENGLAND && !REGION_CODES.includes(row.org))
      .map((row): OrgListing => ({
        code: row.org,
        name: row.name,
        level: levelOfCode(row.org),
        ...(row.region ? { region: row.region } : {}),
        lastPeriod: row.last,
      }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.code.localeCompare(b.code));
    return [...areas, ...listed];
  });
}

/**
 * Organisations whose code or name matches what a person typed: an exact code first, then codes
 * starting with it, then names starting with it, then names holding every word of it. Among
 * equals, organisations still publishing come before merged or closed ones.
 */
export async function searchOrgs(store: Store, query: string, limit = 50): Promise<OrgListing[]> {
  const wanted = normalise(query);
  if (wanted === '') return [];
  const words = wanted.split(' ');
  const orgs = await listOrgs(store);
  const latest = orgs[0]?.lastPeriod ?? null;
  const scored: { org: OrgListing; score: number }[] = [];
  for (const org of orgs) {
    const code = org.code.toUpperCase();
    const name = normalise(org.name);
    let score: number | undefined;
    if (code === wanted) score = 0;
    else if (code.startsWith(wanted)) score = 1;
    else if (name.startsWith(wanted)) score = 2;
    else if (words.every((word) => name.includes(word))) score = 3;
    if (score === undefined) continue;
    scored.push({ org, score: score * 2 + (org.lastPeriod === latest ? 0 : 1) });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.org.name.localeCompare(b.org.name))
    .slice(0, limit)
    .map(({ org }) => org);
}

function normalise(text: string): string {
  return text.toUpperCase().replace(/[^A-Z0-9&' ]+/g, ' ').replace(/\s+/g, ' ').trim();
}
