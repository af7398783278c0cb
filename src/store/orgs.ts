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

/**
 * What describing an organisation reads, for every organisation at once (one pass over the links
 * and one over the facts): each succession (the first month of each pair: the cited list and the
 * ODS successor file can date one differently, RW6 → R0A April or October 2021), the ICB ODS
 * places each organisation in now (or last, if closed), every code a link names (an ICB known only
 * by its code), each organisation's region as its latest publication gives it, and each level a
 * collection's publications give it. Per organisation these were five queries, each evaluating
 * the whole of current_org_links.
 */
export interface OrgDescriptionRows {
  successions: { org: string; target: string; from: string }[];
  icbs: { org: string; target: string }[];
  linkTargets: string[];
  regions: { org: string; parent: string }[];
  levels: { org: string; level: string | null; collection: string }[];
}

export async function orgDescriptionRows(store: Store): Promise<OrgDescriptionRows> {
  const links = await store.all<{ kind: 'successor' | 'icb' | 'target'; org: string | null; target: string; from: string | null }>(`
    WITH links AS MATERIALIZED (SELECT org, relation, level, target, valid_from, valid_to, weight FROM current_org_links)
    SELECT 'successor' AS kind, org, target, min(valid_from) AS "from" FROM links WHERE relation = 'successor' GROUP BY org, target
    UNION ALL
    SELECT 'icb', org, arg_max(target, coalesce(valid_to, '9999-12')), NULL FROM links
      WHERE relation = 'parent' AND level = 'icb' AND weight IS NULL GROUP BY org HAVING arg_max(target, coalesce(valid_to, '9999-12')) IS NOT NULL
    UNION ALL
    SELECT DISTINCT 'target', NULL, target, NULL FROM links WHERE target IS NOT NULL`);
  const regions = await store.all<{ org: string; parent: string }>(
    "SELECT org, arg_max(parent, period) AS parent FROM current_org_facts WHERE parent_level = 'region' GROUP BY org HAVING arg_max(parent, period) IS NOT NULL");
  const levels = await store.all<{ org: string; level: string | null; collection: string }>('SELECT DISTINCT org, level, collection FROM current_org_facts');
  return {
    successions: links.filter((row) => row.kind === 'successor').map((row) => ({ org: row.org!, target: row.target, from: row.from! })),
    icbs: links.filter((row) => row.kind === 'icb').map((row) => ({ org: row.org!, target: row.target })),
    linkTargets: links.filter((row) => row.kind === 'target').map((row) => row.target),
    regions,
    levels,
  };
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
