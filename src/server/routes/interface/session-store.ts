import type { SessionStore } from '@fastify/session';
import type { Session } from 'fastify';
import { deleteSession, readSession, writeSession, type InterfaceContext } from '../../../interface/index.js';

/**
 * @fastify/session's store, in the interface database (see src/interface/sessions.ts): sessions
 * outlive a restart, every instance on one PostgreSQL shares them, and signing out deletes the
 * row so the cookie is worthless everywhere at once.
 */
export function databaseSessionStore(ctx: InterfaceContext, maxAgeMs: number, anonymousMaxAgeMs: number): SessionStore {
  return {
    set(sessionId, session, callback) {
      // A session without an account only carries a sign-in under way: it goes quickly, so
      // visitors who never sign in leave nothing behind for long.
      const signedIn = session.cookie.expires ? new Date(session.cookie.expires) : new Date(ctx.clock().getTime() + maxAgeMs);
      const expires = session.accountId === undefined ? new Date(Math.min(signedIn.getTime(), ctx.clock().getTime() + anonymousMaxAgeMs)) : signedIn;
      writeSession(ctx, sessionId, { data: session, accountId: session.accountId ?? null, expiresAt: expires }).then(() => callback(), callback);
    },
    get(sessionId, callback) {
      readSession(ctx, sessionId).then((data) => callback(null, (data as Session | undefined) ?? null), callback);
    },
    destroy(sessionId, callback) {
      deleteSession(ctx, sessionId).then(() => callback(), callback);
    },
  };
}
