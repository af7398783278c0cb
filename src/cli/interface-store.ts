import { listOrgs } from '../assessment/index.js';
import type { Config } from '../config.js';
import { interfaceTarget, ODS_CODE, openInterfaceStore, upsertTrustIcbMapping, type InterfaceContext, type InterfaceStore, type TrustIcb } from '../interface/index.js';
import type { Store } from '../store/store.js';

/**
 * Opens the interface log (a PGlite folder beside the DuckDB file, or DATABASE_URL) for a
 * command, and brings its trust → ICB table up to date from the ODS facts in the DuckDB store:
 * the table that scopes ICB reviewers and lists the trusts practices report about.
 */
export async function openInterfaceForCommand(config: Config, store: Store | undefined): Promise<InterfaceStore> {
  const interfaceStore = await openInterfaceStore(interfaceTarget(config));
  try {
    if (store) await syncTrusts({ db: interfaceStore.db, clock: () => new Date() }, store);
  } catch (error) {
    await interfaceStore.close();
    throw error;
  }
  return interfaceStore;
}

/**
 * Every open trust that ODS places in an ICB. Trusts that close stay in the interface log (their
 * reports and register remain readable); the mapping only adds and updates.
 */
export async function syncTrusts(ctx: InterfaceContext, store: Store): Promise<number> {
  const orgs = await listOrgs(store);
  const icbNames = new Map(orgs.filter((org) => org.level === 'icb').map((org) => [org.code, org.name]));
  const rows: TrustIcb[] = orgs
    .filter((org) => (org.level === 'trust' || org.level === 'ambulance_trust') && !org.closed && org.icb && ODS_CODE.icb.test(org.icb) && ODS_CODE.trust.test(org.code))
    .map((org) => ({ trustCode: org.code, trustName: org.name, icbCode: org.icb!, icbName: icbNames.get(org.icb!) ?? org.icb! }));
  return upsertTrustIcbMapping(ctx, rows);
}
