import { PlanwatchError } from '../errors.js';
import { recordAudit } from './audit.js';
import type { InterfaceContext } from './context.js';
import { ODS_CODE } from './validation.js';

export interface TrustIcb {
  trustCode: string;
  trustName: string;
  icbCode: string;
  icbName: string;
}

/**
 * Replaces the trust → ICB mapping with what the ODS source published. Trusts it no longer lists
 * are kept: their reports and register stay readable after a merger. Only rows that changed are
 * written and audited.
 */
export async function upsertTrustIcbMapping(ctx: InterfaceContext, rows: readonly TrustIcb[], actor = 'ods source'): Promise<number> {
  for (const row of rows) {
    if (!ODS_CODE.trust.test(row.trustCode) || !ODS_CODE.icb.test(row.icbCode)) {
      throw new PlanwatchError('E_INVALID', `Trust ${row.trustCode} → ICB ${row.icbCode}: not ODS codes (a trust is 3 to 5 letters or digits, an ICB Q and two more, or a 2026 code like Z9B2Z).`, {
        file: 'trust to ICB mapping',
      });
    }
  }
  const now = ctx.clock();
  return ctx.db.transaction().execute(async (trx) => {
    let changed = 0;
    for (const row of rows) {
      const before = await trx.selectFrom('trust_icb').selectAll().where('trust_code', '=', row.trustCode).forUpdate().executeTakeFirst();
      const after = { trust_code: row.trustCode, trust_name: row.trustName, icb_code: row.icbCode, icb_name: row.icbName };
      if (before && before.trust_name === after.trust_name && before.icb_code === after.icb_code && before.icb_name === after.icb_name) continue;
      await trx
        .insertInto('trust_icb')
        .values({ ...after, updated_at: now })
        .onConflict((conflict) => conflict.column('trust_code').doUpdateSet({ ...after, updated_at: now }))
        .execute();
      await recordAudit(trx, { actor, at: now, action: 'trust_icb.upsert', entity: 'trust_icb', entityId: row.trustCode, before: before ?? null, after });
      changed += 1;
    }
    return changed;
  });
}

export async function findTrust(ctx: InterfaceContext, trustCode: string): Promise<TrustIcb | undefined> {
  const row = await ctx.db.selectFrom('trust_icb').selectAll().where('trust_code', '=', trustCode).executeTakeFirst();
  return row && toTrustIcb(row);
}

/** Every trust the log knows, by ICB then trust name: the register's index and the report form's choices. */
export async function listTrusts(ctx: InterfaceContext): Promise<TrustIcb[]> {
  const rows = await ctx.db.selectFrom('trust_icb').selectAll().orderBy('icb_name').orderBy('trust_name').execute();
  return rows.map(toTrustIcb);
}

export async function trustsOfIcb(ctx: InterfaceContext, icbCode: string): Promise<TrustIcb[]> {
  const rows = await ctx.db.selectFrom('trust_icb').selectAll().where('icb_code', '=', icbCode).orderBy('trust_name').execute();
  return rows.map(toTrustIcb);
}

function toTrustIcb(row: { trust_code: string; trust_name: string; icb_code: string; icb_name: string }): TrustIcb {
  return { trustCode: row.trust_code, trustName: row.trust_name, icbCode: row.icb_code, icbName: row.icb_name };
}
