import { sql } from 'kysely';
import { z } from 'zod';
import { PlanwatchError } from '../errors.js';
import { recordAudit } from './audit.js';
import type { Caller, InterfaceContext } from './context.js';
import { refuseNhsNumbers } from './nhs-number.js';
import { decoyHash, hashPassword, verifyPassword } from './passwords.js';
import { ROLES, type AccountRow, type Role } from './schema.js';
import { ODS_CODE, parseForm } from './validation.js';

/** An account as administrators see it: never the password hash. */
export interface Account {
  id: number;
  email: string;
  displayName: string;
  role: Role;
  organisationCode: string | null;
  hasPassword: boolean;
  oidcLinked: boolean;
  disabled: boolean;
}

export const ACCOUNT_FORM = 'account';
export const ACCOUNT_LABELS = {
  email: 'E-mail address',
  displayName: 'Name',
  role: 'Role',
  organisationCode: 'Organisation code',
  password: 'Password',
} as const;

const MIN_PASSWORD_LENGTH = 12;
const password = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `use at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(200, 'use 200 characters or fewer');

const accountSchema = z.object({
  email: z.string({ error: 'enter an e-mail address' }).trim().toLowerCase().pipe(z.email({ error: 'enter an e-mail address, like name@nhs.net' })),
  displayName: z.string({ error: 'enter a name' }).trim().min(1, 'enter a name').max(120, 'use 120 characters or fewer'),
  role: z.enum(ROLES, { error: 'choose a role' }),
  organisationCode: z.string().trim().toUpperCase().optional(),
  password: password.optional(),
});

export type AccountInput = z.input<typeof accountSchema>;

/** An administrator opens an account for a practice, a trust lead, an ICB reviewer or another administrator. */
export async function createAccount(ctx: InterfaceContext, caller: Caller | 'start-up' | 'command line', input: AccountInput): Promise<Account> {
  if (typeof caller !== 'string' && caller.role !== 'administrator') {
    throw new PlanwatchError('E_FORBIDDEN', 'Only an administrator can open accounts.');
  }
  // Names and addresses are shown on pages and kept in the audit log: no NHS number in either.
  refuseNhsNumbers(ACCOUNT_FORM, { email: input.email, displayName: input.displayName }, ACCOUNT_LABELS);
  const account = parseForm(ACCOUNT_FORM, accountSchema, input, ACCOUNT_LABELS);
  const scope = await scopeFor(ctx, account.role, account.organisationCode);
  const passwordHash = account.password === undefined ? null : await hashPassword(account.password, ctx.passwordCost);
  const now = ctx.clock();
  return ctx.db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('accounts').select('id').where('email', '=', account.email).executeTakeFirst();
    if (existing) throw new PlanwatchError('E_CONFLICT', `${ACCOUNT_LABELS.email}: there is already an account for ${account.email}.`, { file: ACCOUNT_FORM, column: 'email' });
    const row = await trx
      .insertInto('accounts')
      .values({ email: account.email, display_name: account.displayName, role: account.role, ...scope, password_hash: passwordHash, created_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { actor: caller, at: now, action: 'account.create', entity: 'account', entityId: row.id, before: null, after: toAccount(row) });
    return toAccount(row);
  });
}

/**
 * Makes sure the first administrator exists, from configuration at start-up, so a new
 * installation can be signed in to. Does nothing when the address already has an account.
 */
export async function ensureAdministrator(ctx: InterfaceContext, input: { email: string; displayName: string; password: string }): Promise<void> {
  const email = input.email.trim().toLowerCase();
  const existing = await ctx.db.selectFrom('accounts').select('id').where('email', '=', email).executeTakeFirst();
  if (existing) return;
  await createAccount(ctx, 'start-up', { ...input, email, role: 'administrator' });
}

/**
 * Local sign-in. Returns the caller, or undefined for an unknown address, a wrong password or a
 * disabled account alike, taking the same time for each so sign-in reveals nothing.
 */
export async function signInWithPassword(ctx: InterfaceContext, email: string, candidate: string): Promise<Caller | undefined> {
  const row = await ctx.db.selectFrom('accounts').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
  const isMatch = await verifyPassword(candidate, row?.password_hash ?? (await decoyHash(ctx.passwordCost)));
  if (!row || row.password_hash === null || !isMatch || row.disabled_at !== null) return undefined;
  return toCaller(row);
}

export interface OidcIdentity {
  issuer: string;
  subject: string;
  email: string | undefined;
}

/**
 * Sign-in through the configured OpenID Connect provider. Nobody gets a role by signing in: the
 * identity must belong to an account an administrator opened. The first sign-in links the
 * provider's subject to the account with the same e-mail address; later ones match the subject,
 * so a changed address at the provider does not lock anyone out or let anyone in.
 */
export async function signInWithOidc(ctx: InterfaceContext, identity: OidcIdentity): Promise<Caller | undefined> {
  const linked = await ctx.db
    .selectFrom('accounts')
    .selectAll()
    .where('oidc_issuer', '=', identity.issuer)
    .where('oidc_subject', '=', identity.subject)
    .executeTakeFirst();
  if (linked) return linked.disabled_at === null ? toCaller(linked) : undefined;
  if (!identity.email) return undefined;
  const email = identity.email.trim().toLowerCase();
  const now = ctx.clock();
  return ctx.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('accounts').selectAll().where('email', '=', email).where('oidc_subject', 'is', null).forUpdate().executeTakeFirst();
    if (!before || before.disabled_at !== null) return undefined;
    const after = await trx
      .updateTable('accounts')
      .set({ oidc_issuer: identity.issuer, oidc_subject: identity.subject })
      .where('id', '=', before.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const caller = toCaller(after);
    await recordAudit(trx, { actor: caller, at: now, action: 'account.link_oidc', entity: 'account', entityId: after.id, before: toAccount(before), after: toAccount(after) });
    return caller;
  });
}

/** The caller behind a session: reloaded on every request, so a disabled account stops at once. */
export async function callerForAccount(ctx: InterfaceContext, accountId: number): Promise<Caller | undefined> {
  const row = await ctx.db.selectFrom('accounts').selectAll().where('id', '=', accountId).executeTakeFirst();
  return row && row.disabled_at === null ? toCaller(row) : undefined;
}

/**
 * Who may manage accounts: an administrator signed in, or the operator at the command line
 * (`planwatch interface …`), audited under that name.
 */
export type AccountManager = Caller | 'command line';

function requireManager(actor: AccountManager, what: string): void {
  if (actor !== 'command line' && actor.role !== 'administrator') throw new PlanwatchError('E_FORBIDDEN', `Only an administrator can ${what}.`);
}

const checkPassword = (value: string) => parseForm(ACCOUNT_FORM, z.object({ password }), { password: value }, ACCOUNT_LABELS).password;

/**
 * An administrator sets a new password for someone (who has forgotten theirs, or whose account
 * may be known to others). Every session of that account ends with it.
 */
export async function setPassword(ctx: InterfaceContext, actor: AccountManager, accountId: number, newPassword: string): Promise<void> {
  if (actor !== 'command line' && actor.accountId !== accountId) requireManager(actor, "set someone else's password");
  const passwordHash = await hashPassword(checkPassword(newPassword), ctx.passwordCost);
  const isOwn = actor !== 'command line' && actor.accountId === accountId;
  await changeAccount(ctx, actor, accountId, isOwn ? 'account.change_password' : 'account.reset_password', { password_hash: passwordHash }, { endSessions: !isOwn });
}

/** Changes one's own password, given the current one; the person's other sessions end. */
export async function changeOwnPassword(ctx: InterfaceContext, caller: Caller, current: string, newPassword: string, keepSession?: string): Promise<void> {
  const row = await ctx.db.selectFrom('accounts').select('password_hash').where('id', '=', caller.accountId).executeTakeFirst();
  const isMatch = await verifyPassword(current, row?.password_hash ?? (await decoyHash(ctx.passwordCost)));
  if (!row?.password_hash || !isMatch) {
    throw new PlanwatchError('E_INVALID', `${PASSWORD_LABELS.current}: enter your current password.`, { file: PASSWORD_FORM, column: 'current' });
  }
  const checked = parseForm(PASSWORD_FORM, z.object({ password }), { password: newPassword }, PASSWORD_LABELS).password;
  const passwordHash = await hashPassword(checked, ctx.passwordCost);
  await changeAccount(ctx, caller, caller.accountId, 'account.change_password', { password_hash: passwordHash }, { endSessions: true, keepSession });
}

export const PASSWORD_FORM = 'password';
export const PASSWORD_LABELS = { current: 'Current password', password: 'New password' } as const;

/** Disables an account: every session ends at once, and it cannot sign in until re-enabled. */
export async function disableAccount(ctx: InterfaceContext, actor: AccountManager, accountId: number): Promise<void> {
  requireManager(actor, 'disable accounts');
  if (actor !== 'command line' && actor.accountId === accountId) throw new PlanwatchError('E_CONFLICT', 'You cannot disable your own account.');
  await changeAccount(ctx, actor, accountId, 'account.disable', { disabled_at: ctx.clock() }, { endSessions: true });
}

export async function enableAccount(ctx: InterfaceContext, actor: AccountManager, accountId: number): Promise<void> {
  requireManager(actor, 're-enable accounts');
  await changeAccount(ctx, actor, accountId, 'account.enable', { disabled_at: null });
}

/** A signed-in session as people see it: never the cookie, only its hash's first characters. */
export interface SessionSummary {
  id: string;
  expiresAt: Date;
}

/** The sessions of an account: one's own, or anyone's for an administrator. */
export async function listSessions(ctx: InterfaceContext, actor: AccountManager, accountId: number): Promise<SessionSummary[]> {
  if (actor !== 'command line' && actor.accountId !== accountId) requireManager(actor, "see someone else's sessions");
  const rows = await ctx.db
    .selectFrom('sessions')
    .select(['id_hash', 'expires_at'])
    .where('account_id', '=', accountId)
    .where('expires_at', '>', ctx.clock())
    .orderBy('expires_at', 'desc')
    .execute();
  return rows.map((row) => ({ id: row.id_hash.slice(0, SESSION_ID_LENGTH), expiresAt: row.expires_at }));
}

const SESSION_ID_LENGTH = 16;

/** Ends one session of an account (by the id listSessions gives), or all of them; audited. */
export async function endSessions(ctx: InterfaceContext, actor: AccountManager, accountId: number, sessionId?: string): Promise<number> {
  if (actor !== 'command line' && actor.accountId !== accountId) requireManager(actor, "end someone else's sessions");
  if (sessionId !== undefined && !/^[0-9a-f]{16}$/.test(sessionId)) throw new PlanwatchError('E_NOT_FOUND', `There is no session ${sessionId}.`);
  const now = ctx.clock();
  return ctx.db.transaction().execute(async (trx) => {
    let query = trx.deleteFrom('sessions').where('account_id', '=', accountId);
    if (sessionId !== undefined) query = query.where(sql<string>`substr(id_hash, 1, ${SESSION_ID_LENGTH})`, '=', sessionId);
    const ended = (await query.returning('id_hash').execute()).length;
    if (sessionId !== undefined && ended === 0) throw new PlanwatchError('E_NOT_FOUND', `There is no session ${sessionId} of account ${accountId}.`);
    await recordAudit(trx, { actor, at: now, action: 'account.end_sessions', entity: 'account', entityId: accountId, before: null, after: { ended, ...(sessionId ? { session: sessionId } : {}) } });
    return ended;
  });
}

/** One account by its address, for the command line. */
export async function findAccount(ctx: InterfaceContext, email: string): Promise<Account> {
  const row = await ctx.db.selectFrom('accounts').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
  if (!row) throw new PlanwatchError('E_NOT_FOUND', `There is no account for ${email.trim().toLowerCase()}.`);
  return toAccount(row);
}

export async function getAccount(ctx: InterfaceContext, actor: AccountManager, accountId: number): Promise<Account> {
  requireManager(actor, 'see accounts');
  const row = await ctx.db.selectFrom('accounts').selectAll().where('id', '=', accountId).executeTakeFirst();
  if (!row) throw new PlanwatchError('E_NOT_FOUND', `There is no account ${accountId}.`);
  return toAccount(row);
}

export async function listAccounts(ctx: InterfaceContext, caller: Caller): Promise<Account[]> {
  if (caller.role !== 'administrator') throw new PlanwatchError('E_FORBIDDEN', 'Only an administrator can list accounts.');
  const rows = await ctx.db.selectFrom('accounts').selectAll().orderBy('email').execute();
  return rows.map(toAccount);
}

async function changeAccount(
  ctx: InterfaceContext,
  actor: AccountManager,
  accountId: number,
  action: string,
  change: Partial<Pick<AccountRow, 'password_hash' | 'disabled_at'>>,
  { endSessions = false, keepSession }: { endSessions?: boolean; keepSession?: string | undefined } = {},
): Promise<void> {
  const now = ctx.clock();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('accounts').selectAll().where('id', '=', accountId).forUpdate().executeTakeFirst();
    if (!before) throw new PlanwatchError('E_NOT_FOUND', `There is no account ${accountId}.`);
    const after = await trx.updateTable('accounts').set(change).where('id', '=', accountId).returningAll().executeTakeFirstOrThrow();
    // In the same transaction: the change and the end of the sessions it calls for are one.
    let ended = 0;
    if (endSessions) {
      let query = trx.deleteFrom('sessions').where('account_id', '=', accountId);
      if (keepSession !== undefined) query = query.where('id_hash', '<>', keepSession);
      ended = (await query.returning('id_hash').execute()).length;
    }
    await recordAudit(trx, { actor, at: now, action, entity: 'account', entityId: accountId, before: toAccount(before), after: { ...toAccount(after), ...(endSessions ? { sessionsEnded: ended } : {}) } });
  });
}

/** The organisation columns for a role, checked against ODS code shapes and the trust → ICB table. */
async function scopeFor(ctx: InterfaceContext, role: Role, code: string | undefined) {
  const none = { practice_code: null, trust_code: null, icb_code: null };
  const refuse = (problem: string) =>
    new PlanwatchError('E_INVALID', `${ACCOUNT_LABELS.organisationCode}: ${problem}`, { file: ACCOUNT_FORM, column: 'organisationCode' });
  switch (role) {
    case 'administrator':
      return none;
    case 'practice':
      if (!code || !ODS_CODE.practice.test(code)) throw refuse("enter the practice's ODS code, like A81001.");
      return { ...none, practice_code: code };
    case 'trust_lead': {
      const trust = code && (await ctx.db.selectFrom('trust_icb').select('trust_code').where('trust_code', '=', code).executeTakeFirst());
      if (!trust) throw refuse(`enter the ODS code of a known NHS trust, like RXX${code ? ` (${code} is not one)` : ''}.`);
      return { ...none, trust_code: trust.trust_code };
    }
    case 'icb_reviewer': {
      const icb = code && (await ctx.db.selectFrom('trust_icb').select('icb_code').where('icb_code', '=', code).executeTakeFirst());
      if (!icb) throw refuse(`enter the ODS code of an ICB with trusts, like QWE${code ? ` (${code} is not one)` : ''}.`);
      return { ...none, icb_code: icb.icb_code };
    }
  }
}

function toCaller(row: AccountRow): Caller {
  const base = { accountId: row.id, label: `${row.display_name} <${row.email}>` };
  switch (row.role) {
    case 'practice':
      return { ...base, role: 'practice', practiceCode: requireScope(row, row.practice_code) };
    case 'trust_lead':
      return { ...base, role: 'trust_lead', trustCode: requireScope(row, row.trust_code) };
    case 'icb_reviewer':
      return { ...base, role: 'icb_reviewer', icbCode: requireScope(row, row.icb_code) };
    case 'administrator':
      return { ...base, role: 'administrator' };
  }
}

// The table's check constraints make this unreachable; the throw keeps a broken row from ever
// becoming an unscoped caller.
function requireScope(row: AccountRow, code: string | null): string {
  if (code === null) throw new Error(`Account ${row.id} (${row.role}) has no organisation code`);
  return code;
}

function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    organisationCode: row.practice_code ?? row.trust_code ?? row.icb_code,
    hasPassword: row.password_hash !== null,
    oidcLinked: row.oidc_subject !== null,
    disabled: row.disabled_at !== null,
  };
}
