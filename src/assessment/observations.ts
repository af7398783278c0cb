import { observationRows, type ObservationQuery, type ObservationRow } from '../store/observations.js';
import type { Store } from '../store/store.js';
import { describeOrg, type Organisation } from './organisations.js';

/**
 * One organisation's figures as published (raw fields, not measures), current publications
 * only, each with the file, line and column it came from: what `/api/v1/observations/:org`
 * serves. An unknown organisation is a 404, as everywhere else.
 */
export async function getObservations(store: Store, code: string, query: Omit<ObservationQuery, 'org' | 'currentOnly'> = {}): Promise<{ org: Organisation; observations: ObservationRow[] }> {
  const org = await describeOrg(store, code);
  return { org, observations: await observationRows(store, { ...query, org: org.code }) };
}
