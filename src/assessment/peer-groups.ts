import { classifyTrusts, PEER_GROUPS, type PeerGroupId, type TrustFacts } from '../analysis/peer-groups.js';
import { PlanwatchError } from '../errors.js';
import { collectionPeriods } from '../measures/query.js';
import type { Store } from '../store/store.js';
import { memoise, memoKey } from './memo.js';

export { PEER_GROUPS, isPeerGroupId, type PeerGroupId } from '../analysis/peer-groups.js';

/**
 * Which trusts are in which peer group in a month (analysis/peer-groups.ts has the rules). The
 * A&E league defaults to `type1`: community trusts whose only units are minor injury units
 * otherwise top it at 99%, which is not the comparison anyone means. The incentive-scheme
 * views of the targets use the same group.
 */
export interface PeerGroupMembers {
  group: PeerGroupId;
  title: string;
  rule: string;
  /** The A&E month the type 1 test read, and the KH03 quarter (its last month) the beds came from. */
  aePeriod?: string;
  bedsPeriod?: string;
  members: Set<string>;
}

/** The latest of `periods` at or before `period`, else the first (a month before any publication). */
function nearest(periods: readonly string[], period: string): string | undefined {
  return periods.filter((p) => p <= period).at(-1) ?? periods[0];
}

async function classification(store: Store, period: string) {
  return memoise(store, memoKey('peerGroups', period), async () => {
    const aePeriod = nearest(await collectionPeriods(store, 'ae'), period);
    const bedsPeriod = nearest(await collectionPeriods(store, 'beds'), period);
    const cwtPeriod = nearest(await collectionPeriods(store, 'cwt'), period);
    const rows = await store.all<{ org: string; t1: number | null; t2: number | null; ga: number | null; mat: number | null; mh: number | null; cancer: boolean; ambulance: boolean }>(`
      WITH trusts AS (
        SELECT DISTINCT org FROM current_org_facts WHERE regexp_matches(org, '^[RT][A-Z0-9]{2}$')
      ),
      ae AS (
        SELECT org,
          sum(value) FILTER (WHERE metric IN ('attendances_type1', 'booked_attendances_type1')) AS t1,
          sum(value) FILTER (WHERE metric IN ('attendances_type2', 'booked_attendances_type2')) AS t2
        FROM current_observations WHERE collection = 'ae' AND period = $ae GROUP BY org
      ),
      beds AS (
        SELECT org,
          sum(value) FILTER (WHERE metric = 'available_ga') AS ga,
          sum(value) FILTER (WHERE metric = 'available_maternity') AS mat,
          sum(value) FILTER (WHERE metric IN ('available_mental_illness', 'available_ld')) AS mh
        FROM current_observations WHERE collection = 'beds' AND period = $beds GROUP BY org
      ),
      cancer AS (SELECT DISTINCT org FROM current_observations WHERE collection = 'cwt' AND period = $cwt),
      ambulance AS (SELECT DISTINCT org FROM current_org_facts WHERE level = 'ambulance_trust')
      SELECT trusts.org, ae.t1, ae.t2, beds.ga, beds.mat, beds.mh,
        cancer.org IS NOT NULL AS cancer, ambulance.org IS NOT NULL AS ambulance
      FROM trusts LEFT JOIN ae USING (org) LEFT JOIN beds USING (org) LEFT JOIN cancer USING (org) LEFT JOIN ambulance USING (org)
      WHERE ae.org IS NOT NULL OR beds.org IS NOT NULL OR cancer.org IS NOT NULL OR ambulance.org IS NOT NULL
      ORDER BY trusts.org`, { ae: aePeriod ?? '', beds: bedsPeriod ?? '', cwt: cwtPeriod ?? '' });
    const facts: TrustFacts[] = rows.map((row) => ({
      org: row.org,
      type1Attendances: row.t1,
      type2Attendances: row.t2,
      generalAcuteBeds: row.ga,
      maternityBeds: row.mat,
      mentalHealthBeds: row.mh,
      isAmbulance: row.ambulance,
      reportsCancer: row.cancer,
    }));
    return { aePeriod, bedsPeriod, groups: classifyTrusts(facts, bedsPeriod !== undefined) };
  });
}

/** The trusts of one peer group as of `period` ('YYYY-MM'). */
export async function peerGroupMembers(store: Store, group: PeerGroupId, period: string): Promise<PeerGroupMembers> {
  const definition = PEER_GROUPS.find((candidate) => candidate.id === group)!;
  const { aePeriod, bedsPeriod, groups } = await classification(store, period);
  const needsBeds = group !== 'type1' && group !== 'ambulance' && group !== 'acute';
  if (group === 'type1' && !aePeriod) {
    throw new PlanwatchError('E_NOT_FOUND', 'The type 1 peer group is read from the A&E publications, and none is in the store: ingest them first.');
  }
  if (needsBeds && !bedsPeriod) {
    throw new PlanwatchError('E_NOT_FOUND', `The ${definition.title.toLowerCase()} peer group is read from the KH03 overnight beds return, and none is in the store: ingest it first.`);
  }
  const members = new Set([...groups].filter(([, own]) => own.includes(group)).map(([org]) => org));
  return {
    group, title: definition.title, rule: definition.rule, members,
    ...(aePeriod && group !== 'ambulance' ? { aePeriod } : {}),
    ...(bedsPeriod && needsBeds ? { bedsPeriod } : {}),
  };
}

/** Every trust's peer groups as of `period`. */
export async function peerGroupsOf(store: Store, period: string): Promise<Map<string, PeerGroupId[]>> {
  return (await classification(store, period)).groups;
}
