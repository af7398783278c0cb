import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PlanwatchError } from '../../../errors.js';
import type { Caller, InterfaceContext } from '../../../interface/index.js';
import type { OidcProvider } from './oidc.js';
import type { SignInLimits } from './sign-in-limiter.js';

/** The shared pieces of the interface routes: what each group receives, and small guards. */
export const SESSION_COOKIE = 'planwatch_session';

export type { SignInLimits } from './sign-in-limiter.js';

/** What each group of routes needs from the plugin. */
export interface InterfaceRouteContext {
  ctx: InterfaceContext;
  oidc: OidcProvider | undefined;
  signInLimits: SignInLimits;
  /** Keys the sign-in form's token (the session cookie's secret). */
  signInSecret: string;
  secureCookies: 'auto' | 'always';
  /** Renders an interface page with the signed-in person, their navigation and a CSRF token. */
  show(request: FastifyRequest, reply: FastifyReply, template: string, context?: Record<string, unknown>, status?: number): Promise<FastifyReply>;
  /** preHandler: sends people who are not signed in to the sign-in page, and back afterwards. */
  signedIn(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined>;
}

/** The signed-in caller of a route guarded by `signedIn`. */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new PlanwatchError('E_FORBIDDEN', 'Sign in to see this page.');
  return request.caller;
}

/** Route parameters that are report or contact ids: anything else is simply not found. */
export function idParam(value: string, what: string): number {
  const id = /^[1-9]\d{0,9}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(id) || id > 2_147_483_647) throw new PlanwatchError('E_NOT_FOUND', `There is no ${what} ${value}.`);
  return id;
}

/** Each group of routes adds itself to the plugin's instance. */
export type AddRoutes = (fastify: FastifyInstance, routes: InterfaceRouteContext) => void;
