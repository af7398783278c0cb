import { REGION_CODES, regionName } from '../measures/hierarchy.js';
import type { Store } from '../store/store.js';

/** One row of the organisation list: what ODS and the publications say about it. */
export interface OrgListing {
  code: string;
  name: string;
  level: 'trust' | 'ambulance_trust' | 'icb' | 'region';
  /** Current parents: a trust's ICB and region (ODS), an ICB's region, a region's country. */
  icb?: string;
  region?: string;
  opened?: string;
  closed?: string;
  successors?: string[];
  /** ICBs formed by a merger: the month and the boards they were formed from (ODS successions). */
  formed?: { from: string; predecessors: string[] };
}

export interface OrgQuery {
  level?: 'trust' | 'icb' | 'region';
  search?: string;
}

/**
 * Organisations the store knows: trusts from ODS (with open and close dates and their ICB and
 * region now, or when they closed), ICBs named by the AmbSYS ICB lookup or seen in ODS links, and
 * the seven regions. Trusts that run ambulance services are listed as ambulance trusts.
 */
export async function listOrgs(store: Store, query: OrgQuery = {}): Promise<OrgListing[]> {
  const trusts = await store.all<{ code: string; name: string; opened: string | null; closed: string | null; ambulance: boolean; icb: string | null; region: string | null; successors: string[] | null }>(`
    WITH ods AS (
      SELECT org, arg_max(name, period) AS name, arg_max(opened, period) AS opened, arg_max(closed, period) AS closed
      FROM current_org_facts WHERE collection = 'ods' GROUP BY org),
    parents AS (
      SELECT org,
        arg_max(target, coalesce(valid_to, '9999-12')) FILTER (WHERE level = 'icb') AS icb,
        arg_max(target, coalesce(valid_to, '9999-12')) FILTER (WHERE level = 'region') AS region
      FROM current_org_links WHERE relation = 'parent' AND weight IS NULL GROUP BY org),
    successors AS (
      SELECT org, list(DISTINCT target ORDER BY target) AS successors FROM current_org_links WHERE relation = 'successor' GROUP BY org)
    SELECT ods.org AS code, ods.name, ods.opened, ods.closed,
      ods.org IN (SELECT org FROM current_org_facts WHERE level = 'ambulance_trust') AS ambulance,
      parents.icb, parents.region, successors.successors
    FROM ods LEFT JOIN parents USING (org) LEFT JOIN successors USING (org)
    ORDER BY ods.org`);
  const icbs = await store.all<{ code: string; name: string | null; region: string | null; formed: string | null; predecessors: string[] | null }>(`
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
  const rows: OrgListing[] = [
    ...REGION_CODES.map((code): OrgListing => ({ code, name: regionName(code)!, level: 'region' })),
    ...icbs.map((row): OrgListing => ({
      code: row.code, name: row.name ?? row.code, level: 'icb', ...(row.region ? { region: row.region } : {}),
      ...(row.formed && row.predecessors?.length ? { formed: { from: row.formed, predecessors: row.predecessors } } : {}),
    })),
    ...trusts.map((row): OrgListing => ({
      code: row.code, name: row.name, level: row.ambulance ? 'ambulance_trust' : 'trust',
      ...(row.icb ? { icb: row.icb } : {}), ...(row.region ? { region: row.region } : {}),
      ...(row.opened ? { opened: row.opened } : {}), ...(row.closed ? { closed: row.closed } : {}),
      ...(row.successors?.length ? { successors: row.successors } : {}),
    })),
  ];
  const search = query.search?.trim().toLowerCase();
  return rows.filter((row) => {
    if (query.level && !(row.level === query.level || (query.level === 'trust' && row.level === 'ambulance_trust'))) return false;
    return !search || row.code.toLowerCase().includes(search) || row.name.toLowerCase().includes(search);
  });
}
