import type { SessionStore } from '@fastify/session';
import type { Session } from 'fastify';
import { deleteSession, readSession, writeSession, type InterfaceContext } from '../../../interface/index.js';

/**
 * @fastify/session's store, in the interface database (see src/interface/sessions.ts): sessions
 * outlive a restart, every instance on one PostgreSQL shares them, and signing out deletes the
 * row so the cookie is worthless everywhere at once.
 */
export function databaseSessionStore(ctx: InterfaceContext, maxAgeMs: number): SessionStore {
  return {
    set(sessionId, session, callback) {
      const expires = session.cookie.expires ? new Date(session.cookie.expires) : new Date(ctx.clock().getTime() + maxAgeMs);
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
