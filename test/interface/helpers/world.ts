import { callerForAccount, createAccount, ensureAdministrator } from '../../../src/interface/accounts.js';
import type { Caller, InterfaceContext } from '../../../src/interface/context.js';
import type { ReportInput } from '../../../src/interface/issues.js';
import { upsertTrustIcbMapping } from '../../../src/interface/trusts.js';
import type { Backend, TestStore } from './stores.js';

/**
 * A small made-up world: ICB QAA with trusts RA1 and RA2, ICB QBB with trust RB1; two practices;
 * a lead per trust; a reviewer per ICB; an administrator. Codes and names are synthetic.
 */
export interface World {
  admin: Caller;
  practiceA: Caller;
  practiceB: Caller;
  leadRA1: Caller;
  leadRA2: Caller;
  leadRB1: Caller;
  reviewerQAA: Caller;
  reviewerQBB: Caller;
}

/** A fresh store on `backend` with the world seeded in it. */
export async function openSeeded(backend: Backend): Promise<{ test: TestStore; world: World }> {
  const test = await backend.open();
  return { test, world: await seedWorld(test.ctx) };
}

export const ADMIN_PASSWORD = 'synthetic admin password';

export async function seedWorld(ctx: InterfaceContext): Promise<World> {
  await upsertTrustIcbMapping(ctx, [
    { trustCode: 'RA1', trustName: 'Alpha General Hospital NHS Trust', icbCode: 'QAA', icbName: 'NHS Alpha Integrated Care Board' },
    { trustCode: 'RA2', trustName: 'Alpha Community NHS Trust', icbCode: 'QAA', icbName: 'NHS Alpha Integrated Care Board' },
    { trustCode: 'RB1', trustName: 'Beta Teaching Hospitals NHS Foundation Trust', icbCode: 'QBB', icbName: 'NHS Beta Integrated Care Board' },
  ]);
  await ensureAdministrator(ctx, { email: 'admin@example.nhs.uk', displayName: 'Synthetic Administrator', password: ADMIN_PASSWORD });
  const admin = await callerByEmail(ctx, 'admin@example.nhs.uk');
  const open = async (email: string, role: 'practice' | 'trust_lead' | 'icb_reviewer', organisationCode: string) => {
    const account = await createAccount(ctx, admin, { email, displayName: `Synthetic ${organisationCode}`, role, organisationCode });
    return mustCaller(ctx, account.id);
  };
  return {
    admin,
    practiceA: await open('practice.a@example.nhs.uk', 'practice', 'A81001'),
    practiceB: await open('practice.b@example.nhs.uk', 'practice', 'B82002'),
    leadRA1: await open('lead.ra1@example.nhs.uk', 'trust_lead', 'RA1'),
    leadRA2: await open('lead.ra2@example.nhs.uk', 'trust_lead', 'RA2'),
    leadRB1: await open('lead.rb1@example.nhs.uk', 'trust_lead', 'RB1'),
    reviewerQAA: await open('reviewer.qaa@example.nhs.uk', 'icb_reviewer', 'QAA'),
    reviewerQBB: await open('reviewer.qbb@example.nhs.uk', 'icb_reviewer', 'QBB'),
  };
}

async function callerByEmail(ctx: InterfaceContext, email: string): Promise<Caller> {
  const row = await ctx.db.selectFrom('accounts').select('id').where('email', '=', email).executeTakeFirstOrThrow();
  return mustCaller(ctx, row.id);
}

async function mustCaller(ctx: InterfaceContext, accountId: number): Promise<Caller> {
  const caller = await callerForAccount(ctx, accountId);
  if (!caller) throw new Error(`account ${accountId} cannot sign in`);
  return caller;
}

/** A report with made-up text and no NHS number; override any field. */
export function syntheticReport(overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    trustCode: 'RA1',
    area: 'discharge_letter',
    specialty: 'Cardiology',
    occurredOn: '2025-01-03',
    whatHappened: 'Synthetic: discharge letter arrived without the medication changes.',
    workload: 'Synthetic: two calls to the ward and a GP appointment to reconcile medicines.',
    ...overrides,
  };
}
