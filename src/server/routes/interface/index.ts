import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifySession from '@fastify/session';
import type { FastifyPluginAsync } from 'fastify';
import type { Config, OidcConfig } from '../../../config.js';
import { callerForAccount, scryptCost, serverSecret, type Caller, type InterfaceContext, type InterfaceStore, type ScryptCost } from '../../../interface/index.js';
import { accountRoutes } from './accounts.js';
import { authRoutes } from './auth.js';
import { SESSION_COOKIE, type InterfaceRouteContext, type SignInLimits } from './context.js';
import { oidcProvider, type OidcCheck, type OidcProvider } from './oidc.js';
import { callerView, headerView } from './present.js';
import { registerRoutes } from './register.js';
import { reportRoutes } from './reports.js';
import { reviewRoutes } from './review.js';
import { databaseSessionStore } from './session-store.js';

/**
 * The interface log's pages (issue 7) as one Fastify plugin: the public register, sign-in (local
 * accounts, and OpenID Connect when configured), the practice's reports, the trust lead's inbox
 * and register, the ICB review and the administrator's accounts. Sessions, CSRF tokens and the
 * sign-in rate limit live inside this plugin only, so the performance pages stay cookie-free
 * and cacheable. Who may see or change what is decided by src/interface, never here: routes
 * pass the signed-in Caller and render what comes back.
 */
export interface InterfaceOptions {
  store: InterfaceStore;
  /** Timestamps of reports and their changes; tests pass a fixed clock. */
  clock?: () => Date;
  /** Signs session cookies; when absent, a secret kept in the interface database. */
  sessionSecret?: string;
  /** 'auto': Secure when the request came over HTTPS (directly or from a trusted proxy). */
  secureCookies?: 'auto' | 'always';
  oidc?: OidcConfig;
  signInLimits?: SignInLimits;
  /** The cost of new password hashes: OWASP's unless configured lower (tests). */
  passwordCost?: ScryptCost;
}

export const SIGN_IN_LIMITS: SignInLimits = { perAccount: 10, perAccountAnywhere: 50, perAddress: 100, windowMs: 15 * 60_000 };

/** A working day and a bit: people sign in once a day, and a lost cookie stops working by the next. */
export const SESSION_MAX_AGE_MS = 10 * 60 * 60_000;
/** A session nobody signed in to (an OpenID Connect sign-in under way) is gone after this. */
export const ANONYMOUS_SESSION_MAX_AGE_MS = 10 * 60_000;

export function interfaceOptions(config: Config, store: InterfaceStore): InterfaceOptions {
  return {
    store,
    secureCookies: config.secureCookies,
    passwordCost: scryptCost(config.scryptN),
    ...(config.sessionSecret ? { sessionSecret: config.sessionSecret } : {}),
    ...(config.oidc ? { oidc: config.oidc } : {}),
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in account, reloaded on every request; undefined when nobody is signed in. */
    caller: Caller | undefined;
  }
  interface Session {
    accountId?: number;
    oidc?: OidcCheck;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const interfaceRoutes: FastifyPluginAsync<InterfaceOptions> = async (fastify, options) => {
  const ctx: InterfaceContext = {
    db: options.store.db,
    clock: options.clock ?? (() => new Date()),
    ...(options.passwordCost ? { passwordCost: options.passwordCost } : {}),
  };
  // Session expiry follows the cookie's, which @fastify/session sets from the real clock.
  const sessionCtx: InterfaceContext = { db: options.store.db, clock: () => new Date() };
  const oidc = options.oidc ? oidcProvider(options.oidc) : undefined;

  await fastify.register(fastifyFormbody);
  await fastify.register(fastifyCookie);
  const secret = options.sessionSecret ?? (await serverSecret(sessionCtx, 'session-cookie'));
  await fastify.register(fastifySession, {
    secret,
    cookieName: SESSION_COOKIE,
    store: databaseSessionStore(sessionCtx, SESSION_MAX_AGE_MS, ANONYMOUS_SESSION_MAX_AGE_MS),
    saveUninitialized: false,
    rolling: false,
    cookie: { path: '/', httpOnly: true, sameSite: 'lax', secure: options.secureCookies === 'always' ? true : 'auto', maxAge: SESSION_MAX_AGE_MS },
  });
  await fastify.register(fastifyCsrf, { sessionPlugin: '@fastify/session' });

  fastify.decorateRequest('caller', undefined);
  fastify.addHook('onRequest', async (request) => {
    const accountId = request.session.accountId;
    if (accountId === undefined) return;
    request.caller = await callerForAccount(ctx, accountId);
    // A disabled or removed account ends its sessions at their next request.
    if (!request.caller) await request.session.destroy();
  });
  // Every form carries a CSRF token tied to the session; a POST without one changes nothing.
  // The sign-in form, shown before there is a session, checks its own token (auth.ts).
  fastify.addHook('preHandler', (request, reply, done) => {
    if (SAFE_METHODS.has(request.method) || (request.routeOptions.config as { signInToken?: boolean }).signInToken) done();
    else fastify.csrfProtection(request, reply, done);
  });
  // Pages here name people, practices and what happened: no shared cache may keep them.
  fastify.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  const routes: InterfaceRouteContext = {
    ctx,
    oidc,
    signInLimits: options.signInLimits ?? SIGN_IN_LIMITS,
    signInSecret: secret,
    secureCookies: options.secureCookies ?? 'auto',
    async show(request, reply, template, context = {}, status = 200) {
      // Only signed-in people get a session's CSRF token: making one saves a session.
      const csrfToken = (context.csrfToken as string | undefined) ?? (request.caller ? reply.generateCsrf() : undefined);
      const caller = callerView(request.caller);
      const chrome = headerView(caller, request.url.split('?')[0] ?? '');
      const body = await fastify.renderPage(template, { ...context, caller, chrome, csrfToken, hasOidc: oidc !== undefined });
      return reply.code(status).type('text/html; charset=utf-8').send(body);
    },
    async signedIn(request, reply) {
      if (request.caller) return undefined;
      return reply.redirect(`/interface/sign-in?next=${encodeURIComponent(request.url)}`, 303);
    },
  };
  for (const add of [authRoutes, registerRoutes, reportRoutes, reviewRoutes, accountRoutes]) add(fastify, routes);
};

