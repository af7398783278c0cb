import { z } from 'zod';
import { OIDC_CALLBACK_PATH } from '../../../config.js';
import { signInWithOidc, signInWithPassword } from '../../../interface/index.js';
import { field, localPath } from './forms.js';
import { SESSION_COOKIE, type AddRoutes } from './context.js';
import { homeOf } from './present.js';

/**
 * Signing in and out. Local accounts check an e-mail address and password (scrypt); the
 * configured OpenID Connect provider signs people in to accounts an administrator opened. Each
 * sign-in starts a new session (no fixation), and is rate-limited twice: per account from one
 * address, so one person cannot be guessed at, and per address, so many cannot.
 */
const SIGN_IN = '/interface/sign-in';
const signInForm = z.object({ email: z.string().max(320), password: z.string().max(200) });

export const authRoutes: AddRoutes = (fastify, routes) => {
  const { ctx, oidc, signInLimits, show } = routes;
  const tooMany = (seconds: number) =>
    Object.assign(new Error(`Too many attempts to sign in. Wait ${waitText(seconds)} and try again.`), { statusCode: 429 });
  // One limiter per route is all @fastify/rate-limit runs, so the per-account one is applied by
  // hand after the body is parsed, when the key can name the account being tried.
  const perAccount = fastify.createRateLimit({
    max: signInLimits.perAccount,
    timeWindow: signInLimits.windowMs,
    keyGenerator: (request) => `${request.ip}|${field(request.body, 'email').trim().toLowerCase()}`,
  });

  fastify.get<{ Querystring: { next?: string } }>(SIGN_IN, async (request, reply) => {
    const next = localPath(request.query.next);
    if (request.caller) return reply.redirect(next ?? homeOf(request.caller), 303);
    return show(request, reply, 'interface/sign-in.njk', { title: 'Sign in', hasForm: true, next, values: {} });
  });

  fastify.post(
    SIGN_IN,
    {
      config: { rateLimit: { max: signInLimits.perAddress, timeWindow: signInLimits.windowMs, errorResponseBuilder: (_request, context) => tooMany(Math.ceil(context.ttl / 1000)) } },
      preHandler: async (request, reply) => {
        const limit = await perAccount(request);
        if (!limit.isAllowed && limit.isExceeded) {
          reply.header('retry-after', limit.ttlInSeconds);
          throw tooMany(limit.ttlInSeconds);
        }
      },
    },
    async (request, reply) => {
      const next = localPath(field(request.body, 'next'));
      const form = signInForm.safeParse({ email: field(request.body, 'email'), password: field(request.body, 'password') });
      const caller = form.success && form.data.email && form.data.password ? await signInWithPassword(ctx, form.data.email, form.data.password) : undefined;
      if (!caller) {
        const text = 'Enter the e-mail address and password of your Planwatch account. If you have forgotten your password, ask your administrator.';
        return show(request, reply, 'interface/sign-in.njk', {
          title: 'Sign in',
          hasForm: true,
          next,
          values: { email: field(request.body, 'email') },
          errors: { email: 'Enter a correct e-mail address and password.' },
          errorList: [{ text, href: '#email' }],
        }, 401);
      }
      await request.session.regenerate();
      request.session.accountId = caller.accountId;
      return reply.redirect(next ?? homeOf(caller), 303);
    },
  );

  fastify.get<{ Querystring: { next?: string } }>(`${SIGN_IN}/oidc`, async (request, reply) => {
    if (!oidc) return reply.callNotFound();
    let started;
    try {
      started = await oidc.start(localPath(request.query.next) ?? '');
    } catch (error) {
      request.log.error({ err: error }, 'OpenID Connect provider unreachable');
      const text = 'Your organisation’s sign-in service could not be reached. Try again later, or sign in with your Planwatch e-mail address and password.';
      return show(request, reply, 'interface/sign-in.njk', { title: 'Sign in', hasForm: true, values: {}, errorList: [{ text }] }, 503);
    }
    request.session.oidc = started.check;
    return reply.redirect(started.url.href, 303);
  });

  fastify.get(OIDC_CALLBACK_PATH, async (request, reply) => {
    if (!oidc) return reply.callNotFound();
    const check = request.session.oidc;
    const refuse = (text: string, status: number) =>
      show(request, reply, 'interface/sign-in.njk', { title: 'Sign in', hasForm: true, values: {}, errorList: [{ text }] }, status);
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
