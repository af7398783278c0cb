import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { OIDC_CALLBACK_PATH } from '../../../config.js';
import { signInWithOidc, signInWithPassword } from '../../../interface/index.js';
import { field, localPath } from './forms.js';
import { SESSION_COOKIE, type AddRoutes } from './context.js';
import { homeOf } from './present.js';
import { MAX_EMAIL_LENGTH, SignInLimiter, signInKeys } from './sign-in-limiter.js';

/**
 * Signing in and out. Local accounts check an e-mail address and password (scrypt); the
 * configured OpenID Connect provider signs people in to accounts an administrator opened. Each
 * sign-in starts a new session (no fixation). Failed sign-ins are counted per account from one
 * address, per account and per address (sign-in-limiter.ts).
 *
 * Nobody gets a session by looking at the sign-in page: its form is protected by a signed
 * double-submit token instead (a random value in a short-lived cookie, and its HMAC in the
 * form), so visits and bots leave no rows in the sessions table. The session starts at sign-in.
 */
const SIGN_IN = '/interface/sign-in';
export const SIGN_IN_COOKIE = 'planwatch_sign_in';
const SIGN_IN_COOKIE_MAX_AGE_S = 60 * 60;
const signInForm = z.object({ email: z.string().max(MAX_EMAIL_LENGTH), password: z.string().max(200) });
// An address and a password fit in far less; anything bigger is refused before it is parsed.
const SIGN_IN_BODY_LIMIT = 16 * 1024;

function csrfRefusal(): Error {
  return Object.assign(new Error('The sign-in form has expired or did not come from Planwatch.'), { code: 'FST_CSRF_INVALID_TOKEN', statusCode: 403 });
}

export const authRoutes: AddRoutes = (fastify, routes) => {
  const { ctx, oidc, signInLimits, show } = routes;
  const limiter = new SignInLimiter(signInLimits);
  const tooMany = (seconds: number) =>
    Object.assign(new Error(`Too many attempts to sign in. Wait ${waitText(seconds)} and try again.`), { statusCode: 429 });

  const tokenFor = (nonce: string) => createHmac('sha256', routes.signInSecret).update(`sign-in|${nonce}`).digest('base64url');
  const nonceOf = (request: FastifyRequest) => {
    const nonce = request.cookies[SIGN_IN_COOKIE];
    return nonce && /^[A-Za-z0-9_-]{43}$/.test(nonce) ? nonce : undefined;
  };
  /** The sign-in form's token: the visitor's cookie is reused, or set for an hour. */
  const signInToken = (request: FastifyRequest, reply: FastifyReply): string => {
    let nonce = nonceOf(request);
    if (!nonce) {
      nonce = randomBytes(32).toString('base64url');
      const secure = routes.secureCookies === 'always' || request.protocol === 'https';
      reply.setCookie(SIGN_IN_COOKIE, nonce, { path: SIGN_IN, httpOnly: true, sameSite: 'lax', secure, maxAge: SIGN_IN_COOKIE_MAX_AGE_S });
    }
    return tokenFor(nonce);
  };
  const checkSignInToken = (request: FastifyRequest) => {
    const nonce = nonceOf(request);
    const sent = Buffer.from(field(request.body, '_csrf'));
    const expected = nonce ? Buffer.from(tokenFor(nonce)) : undefined;
    if (!expected || sent.length !== expected.length || !timingSafeEqual(sent, expected)) throw csrfRefusal();
  };
  const showSignIn = (request: FastifyRequest, reply: FastifyReply, context: Record<string, unknown>, status = 200) =>
    show(request, reply, 'interface/sign-in.njk', { title: 'Sign in', values: {}, ...context, csrfToken: signInToken(request, reply) }, status);

  fastify.get<{ Querystring: { next?: string } }>(SIGN_IN, async (request, reply) => {
    const next = localPath(request.query.next);
    if (request.caller) return reply.redirect(next ?? homeOf(request.caller), 303);
    return showSignIn(request, reply, { next });
  });

  fastify.post(SIGN_IN, { bodyLimit: SIGN_IN_BODY_LIMIT, config: { signInToken: true } }, async (request, reply) => {
    checkSignInToken(request);
    const next = localPath(field(request.body, 'next'));
    const email = field(request.body, 'email');
    const keys = signInKeys(email, request.ip);
    const wait = limiter.waitSeconds(keys);
    if (wait > 0) {
      reply.header('retry-after', wait);
      throw tooMany(wait);
    }
    const form = signInForm.safeParse({ email, password: field(request.body, 'password') });
    const caller = form.success && form.data.email && form.data.password ? await signInWithPassword(ctx, form.data.email, form.data.password) : undefined;
    if (!caller) {
      limiter.fail(keys);
      const text = 'Enter the e-mail address and password of your Planwatch account. If you have forgotten your password, ask your administrator.';
      return showSignIn(request, reply, {
        next,
        values: { email: email.slice(0, MAX_EMAIL_LENGTH) },
        errors: { email: 'Enter a correct e-mail address and password.' },
        errorList: [{ text, href: '#email' }],
      }, 401);
    }
    limiter.succeed(keys);
    await request.session.regenerate();
    request.session.accountId = caller.accountId;
    reply.clearCookie(SIGN_IN_COOKIE, { path: SIGN_IN });
    return reply.redirect(next ?? homeOf(caller), 303);
  });

  fastify.get<{ Querystring: { next?: string } }>(`${SIGN_IN}/oidc`, async (request, reply) => {
    if (!oidc) return reply.callNotFound();
    let started;
    try {
      started = await oidc.start(localPath(request.query.next) ?? '');
    } catch (error) {
      request.log.error({ err: error }, 'OpenID Connect provider unreachable');
      const text = 'Your organisation’s sign-in service could not be reached. Try again later, or sign in with your Planwatch e-mail address and password.';
      return showSignIn(request, reply, { errorList: [{ text }] }, 503);
    }
    request.session.oidc = started.check;
    return reply.redirect(started.url.href, 303);
  });

  fastify.get(OIDC_CALLBACK_PATH, async (request, reply) => {
    if (!oidc) return reply.callNotFound();
    const check = request.session.oidc;
    const refuse = (text: string, status: number) => showSignIn(request, reply, { errorList: [{ text }] }, status);
    if (!check) return refuse('Signing in with your organisation account took too long or was started elsewhere. Start again.', 400);
    request.session.oidc = undefined;
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    let identity;
    try {
      identity = await oidc.finish(query, check);
    } catch (error) {
      request.log.warn({ err: error }, 'OpenID Connect sign-in failed');
      return refuse('Your organisation account could not sign you in. Try again, or sign in with your Planwatch e-mail address and password.', 400);
    }
    const caller = await signInWithOidc(ctx, identity);
    if (!caller) {
      const who = identity.email ? `for ${identity.email}` : 'for your organisation account (it did not share an e-mail address)';
      return refuse(`There is no Planwatch account ${who}. Ask your Planwatch administrator to open one.`, 403);
    }
    await request.session.regenerate();
    request.session.accountId = caller.accountId;
    return reply.redirect(localPath(check.next) ?? homeOf(caller), 303);
  });

  fastify.get('/interface/sign-out', { preHandler: routes.signedIn }, async (request, reply) =>
    show(request, reply, 'interface/sign-out.njk', { title: 'Sign out' }));

  fastify.post('/interface/sign-out', async (request, reply) => {
    await request.session.destroy();
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/interface?signed-out=1', 303);
  });
};

/** "15 minutes", "1 minute", "40 seconds": how long to wait, rounded up to a minute past one. */
function waitText(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
