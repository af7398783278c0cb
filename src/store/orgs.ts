import type { Store } from './store.js';

/**
 * What ODS and the publications say about organisations, as rows: names, levels, parents,
 * successions. assessment/organisations.ts turns these into the one Organisation model.
 */

/** Latest name of every organisation the publications (and ODS) list. */
export async function orgNameRows(store: Store): Promise<Map<string, string>> {
  const rows = await store.all<{ org: string; name: string }>('SELECT org, arg_max(name, period) AS name FROM current_org_facts GROUP BY org');
  return new Map(rows.map((row) => [row.org, row.name]));
}

/** Whether any ODS link names the code as a parent ICB (an ICB known only by its code). */
export async function isLinkedIcb(store: Store, code: string): Promise<boolean> {
  return (await store.one('SELECT 1 AS known FROM current_org_links WHERE target = $1 LIMIT 1', [code])) !== undefined;
}

/** The organisation's region as the latest publication gives it. */
export async function latestRegionOf(store: Store, code: string): Promise<string | undefined> {
  const row = await store.one<{ parent: string | null }>(
    "SELECT arg_max(parent, period) AS parent FROM current_org_facts WHERE org = $1 AND parent_level = 'region'", [code]);
  return row?.parent ?? undefined;
}

/** The ICB ODS places the organisation in now (or last, if closed). */
export async function currentIcbOf(store: Store, code: string): Promise<string | undefined> {
  const row = await store.one<{ target: string | null }>(
    "SELECT arg_max(target, coalesce(valid_to, '9999-12')) AS target FROM current_org_links WHERE org = $1 AND relation = 'parent' AND level = 'icb' AND weight IS NULL", [code]);
  return row?.target ?? undefined;
}

/** Each level a collection's publications give the organisation. */
export function publishedLevelRows(store: Store, code: string): Promise<{ level: string | null; collection: string }[]> {
  return store.all<{ level: string | null; collection: string }>('SELECT DISTINCT level, collection FROM current_org_facts WHERE org = $1', [code]);
}

/** ODS successions: organisations that took over the code's services, or whose services it took over. */
export function successionRows(store: Store, code: string, direction: 'successors' | 'predecessors'): Promise<{ code: string; from: string }[]> {
  // The cited list and the ODS successor file can date one succession differently (RW6 → R0A:
  // April 2021 when North Manchester moved, October 2021 in succ.csv): the first month counts.
  const sql = direction === 'successors'
    ? `SELECT target AS code, min(valid_from) AS "from" FROM current_org_links WHERE relation = 'successor' AND org = $1 GROUP BY code ORDER BY "from", code`
    : `SELECT org AS code, min(valid_from) AS "from" FROM current_org_links WHERE relation = 'successor' AND target = $1 GROUP BY code ORDER BY "from", code`;
  return store.all<{ code: string; from: string }>(sql, [code]);
}

export type OdsTrustRow = {
  code: string;
  name: string;
  opened: string | null;
  closed: string | null;
  ambulance: boolean;
  icb: string | null;
  region: string | null;
  successors: { code: string; from: string | null }[] | null;
};

/** Trusts from ODS with their open and close dates, ICB and region now (or when they closed). */
export function odsTrustRows(store: Store): Promise<OdsTrustRow[]> {
  return store.all<OdsTrustRow>(`
    WITH ods AS (
      SELECT org, arg_max(name, period) AS name, arg_max(opened, period) AS opened, arg_max(closed, period) AS closed
      FROM current_org_facts WHERE collection = 'ods' GROUP BY org),
    parents AS (
      SELECT org,
        arg_max(target, coalesce(valid_to, '9999-12')) FILTER (WHERE level = 'icb') AS icb,
        arg_max(target, coalesce(valid_to, '9999-12')) FILTER (WHERE level = 'region') AS region
      FROM current_org_links WHERE relation = 'parent' AND weight IS NULL GROUP BY org),
    successors AS (
      SELECT org, list({'code': target, 'from': valid_from} ORDER BY target) AS successors
      FROM (SELECT org, target, min(valid_from) AS valid_from FROM current_org_links WHERE relation = 'successor' GROUP BY org, target)
      GROUP BY org)
    SELECT ods.org AS code, ods.name, ods.opened, ods.closed,
      ods.org IN (SELECT org FROM current_org_facts WHERE level = 'ambulance_trust') AS ambulance,
      parents.icb, parents.region, successors.successors
    FROM ods LEFT JOIN parents USING (org) LEFT JOIN successors USING (org)
    ORDER BY ods.org`);
}

/** ICBs named by a publication or seen as a parent in ODS links, with the region of their trusts. */
export function icbRows(store: Store): Promise<{ code: string; name: string | null; region: string | null; formed: string | null; predecessors: string[] | null }[]> {
  return store.all<{ code: string; name: string | null; region: string | null; formed: string | null; predecessors: string[] | null }>(`
    WITH named AS (SELECT org, arg_max(name, period) AS name FROM current_org_facts WHERE level = 'icb' GROUP BY org),
    codes AS (SELECT org FROM named UNION SELECT DISTINCT target FROM current_org_links WHERE relation = 'parent' AND level = 'icb'),
    -- An ICB's region is the region of its trusts (every ICB lies in one region).
    regions AS (
      SELECT i.target AS icb, mode(r.target) AS region
      FROM current_org_links i JOIN current_org_links r ON r.org = i.org AND r.relation = 'parent' AND r.level = 'region'
      WHERE i.relation = 'parent' AND i.level = 'icb' AND i.weight IS NULL GROUP BY i.target),
    -- Boards formed by a merger: the earliest month ODS records ICBs succeeded into them.
    merged AS (
      SELECT target AS org, min(valid_from) AS formed, list(DISTINCT org ORDER BY org) AS predecessors
      FROM current_org_links WHERE relation = 'successor' AND level = 'icb' GROUP BY target)
    SELECT codes.org AS code, named.name, regions.region, merged.formed, merged.predecessors
    FROM codes LEFT JOIN named USING (org) LEFT JOIN regions ON regions.icb = codes.org LEFT JOIN merged USING (org)
    ORDER BY codes.org`);
}

/** Every organisation a statistical publication lists: latest name, last month and region. */
export function publishedOrgRows(store: Store): Promise<{ org: string; name: string; last: string; region: string | null }[]> {
  return store.all<{ org: string; name: string; last: string; region: string | null }>(
    `SELECT org, arg_max(name, period) AS name, max(period) AS last,
            arg_max(parent, period) FILTER (WHERE parent_level = 'region') AS region
     FROM current_org_facts WHERE collection <> 'ods' GROUP BY org`);
}

/** Each organisation's region in one collection's publication of a month. */
export async function regionsAt(store: Store, collection: string, period: string): Promise<Map<string, string>> {
  const rows = await store.all<{ org: string; parent: string }>(
    "SELECT org, any_value(parent) AS parent FROM current_org_facts WHERE collection = $1 AND period = $2 AND parent_level = 'region' GROUP BY org",
    [collection, period]);
  return new Map(rows.map((row) => [row.org, row.parent]));
}
