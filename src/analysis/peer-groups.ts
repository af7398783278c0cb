/**
 * Peer groups of NHS trusts, from what the publications themselves show about each trust: whether
 * it runs a type 1 (major) emergency department, an ambulance service, mostly mental-health beds,
 * specialist services. ODS's trust extract carries no trust type, so the groups are read from the
 * data, month by month: a trust that opens or closes its emergency department moves group.
 */
export type PeerGroupId = 'type1' | 'acute' | 'specialist' | 'community' | 'mental_health' | 'ambulance';

export interface PeerGroupDefinition {
  id: PeerGroupId;
  title: string;
  /** The rule, in words, as pages and the CLI show it. */
  rule: string;
}

export const PEER_GROUPS: readonly PeerGroupDefinition[] = [
  { id: 'type1', title: 'Trusts with a major emergency department', rule: 'trusts that reported type 1 (major emergency department) attendances that month' },
  { id: 'acute', title: 'Acute trusts', rule: 'trusts with a type 1 emergency department, and specialist acute trusts' },
  { id: 'specialist', title: 'Specialist trusts', rule: 'acute trusts without a type 1 emergency department: a single-specialty (type 2) department, or cancer waiting-time figures and 50+ general, acute and maternity beds' },
  { id: 'community', title: 'Community trusts', rule: 'NHS trusts in the publications that fit none of the other groups: minor injury units and urgent treatment centres, community beds' },
  { id: 'mental_health', title: 'Mental health trusts', rule: 'trusts whose overnight beds (KH03) are mostly mental illness and learning disability beds, 50 or more' },
  { id: 'ambulance', title: 'Ambulance trusts', rule: 'trusts in the Ambulance Quality Indicators (AmbSYS)' },
];

export function isPeerGroupId(text: string): text is PeerGroupId {
  return PEER_GROUPS.some((group) => group.id === text);
}

/** What the publications say about one trust; null = not in that publication. */
export interface TrustFacts {
  org: string;
  type1Attendances: number | null;
  type2Attendances: number | null;
  /** KH03 overnight beds available (quarterly averages). */
  generalAcuteBeds: number | null;
  maternityBeds: number | null;
  /** Mental illness plus learning disability beds. */
  mentalHealthBeds: number | null;
  isAmbulance: boolean;
  /** Has provider figures in the cancer waiting times. */
  reportsCancer: boolean;
}

/** Acute care needs beds: fewer general, acute and maternity beds than this is a community hospital's scale. */
export const SPECIALIST_MIN_BEDS = 50;
/**
 * Community trusts run a few learning disability or mental illness beds (Derbyshire Community
 * Health Services had 38 in Q1 2025-26 and no other overnight beds); mental health trusts run
 * hundreds (Cornwall Partnership, one of the smallest, 116).
 */
export const MENTAL_HEALTH_MIN_BEDS = 50;

/**
 * Each trust's peer groups. Type 1 needs only the A&E month; mental health, specialist and
 * community need the beds return, so without it (`hasBeds` false) those groups stay empty rather
 * than guessing: a mental health trust would otherwise land among community trusts.
 */
export function classifyTrusts(facts: readonly TrustFacts[], hasBeds: boolean): Map<string, PeerGroupId[]> {
  const groups = new Map<string, PeerGroupId[]>();
  for (const trust of facts) {
    // The Isle of Wight NHS Trust runs the island's ambulance service and its emergency department.
    const own: PeerGroupId[] = trust.isAmbulance ? ['ambulance'] : [];
    if ((trust.type1Attendances ?? 0) > 0) own.push('type1', 'acute');
    else if (hasBeds && !trust.isAmbulance) {
      const acuteBeds = (trust.generalAcuteBeds ?? 0) + (trust.maternityBeds ?? 0);
      const mentalHealthBeds = trust.mentalHealthBeds ?? 0;
      const mentalHealth = mentalHealthBeds >= MENTAL_HEALTH_MIN_BEDS && mentalHealthBeds > acuteBeds;
      const specialist = !mentalHealth && ((trust.type2Attendances ?? 0) > 0 || (trust.reportsCancer && acuteBeds >= SPECIALIST_MIN_BEDS));
      if (mentalHealth) own.push('mental_health');
      else if (specialist) own.push('specialist', 'acute');
      else own.push('community');
    }
    groups.set(trust.org, own);
  }
  return groups;
}
