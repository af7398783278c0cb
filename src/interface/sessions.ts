import { createHash, randomBytes } from 'node:crypto';
import type { InterfaceContext } from './context.js';

/**
 * Sign-in sessions for the web server. A session's id lives in the person's cookie; the table
 * holds only its SHA-256, so reading the database gives nobody a way in. Expired sessions are
 * never returned and are swept away as new ones are written.
 */
export interface StoredSession {
  /** What the server keeps for the session (the signed-in account, CSRF secret, sign-in state). */
  data: unknown;
  accountId: number | null;
  expiresAt: Date;
}

/** How the sessions table names a session: the SHA-256 of the cookie's id. */
export function sessionIdHash(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex');
}

export async function readSession(ctx: InterfaceContext, sessionId: string): Promise<unknown> {
  const row = await ctx.db
    .selectFrom('sessions')
    .select('data')
    .where('id_hash', '=', sessionIdHash(sessionId))
    .where('expires_at', '>', ctx.clock())
    .executeTakeFirst();
  return row?.data;
}

export async function writeSession(ctx: InterfaceContext, sessionId: string, session: StoredSession): Promise<void> {
  const values = { data: JSON.stringify(session.data), account_id: session.accountId, expires_at: session.expiresAt };
  await ctx.db
    .insertInto('sessions')
    .values({ id_hash: sessionIdHash(sessionId), ...values })
    .onConflict((conflict) => conflict.column('id_hash').doUpdateSet(values))
    .execute();
  await ctx.db.deleteFrom('sessions').where('expires_at', '<=', ctx.clock()).execute();
}

export async function deleteSession(ctx: InterfaceContext, sessionId: string): Promise<void> {
  await ctx.db.deleteFrom('sessions').where('id_hash', '=', sessionIdHash(sessionId)).execute();
}

/**
 * The named secret, made (random, 48 bytes) the first time it is asked for. Every server
 * instance on the same database gets the same one, whichever asked first.
 */
export async function serverSecret(ctx: InterfaceContext, name: string): Promise<string> {
  await ctx.db
    .insertInto('server_secrets')
    .values({ name, value: randomBytes(48).toString('base64url'), created_at: ctx.clock() })
    .onConflict((conflict) => conflict.column('name').doNothing())
    .execute();
  const row = await ctx.db.selectFrom('server_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return row.value;
}
