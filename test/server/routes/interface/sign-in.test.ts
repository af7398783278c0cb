import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disableAccount } from '../../../../src/interface/accounts.js';
import { buildApp } from '../../../../src/server/app.js';
import { SIGN_IN_LIMITS } from '../../../../src/server/routes/interface/index.js';
import { Store } from '../../../../src/store/store.js';
import { openWebWorld, PASSWORD, pageText, Visitor, type WebWorld } from '../../../helpers/interface-web.js';
import { backends, OPEN_TIMEOUT_MS } from '../../../interface/helpers/stores.js';

/**
 * Signing in and out: sessions in the database, cookies a script cannot read and other sites do
 * not send, a new session id at every sign-in, sign-out that really ends the session, sign-in
 * rate-limited per account and per address, no way to be sent off-site afterwards.
 */
function cookieHeader(response: LightMyRequestResponse, name: string): string {
  const header = [response.headers['set-cookie'] ?? []].flat().find((cookie) => cookie.startsWith(`${name}=`));
  if (!header) throw new Error(`no ${name} cookie in the ${response.statusCode} answer`);
  return header;
}

function sessionCookie(response: LightMyRequestResponse): string {
  return cookieHeader(response, 'planwatch_session');
}

describe.each(backends)('signing in and out on $name', (backend) => {
  let web: WebWorld;
  beforeAll(async () => {
    web = await openWebWorld(backend);
  }, OPEN_TIMEOUT_MS);
  afterAll(() => web?.close());

  it('starts a session only at sign-in, in an HttpOnly, SameSite=Lax cookie, not Secure over plain HTTP', async () => {
    const visitor = web.visitor();
    await visitor.get('/interface/sign-in');
    // The sign-in page's form is protected without a session.
    expect(visitor.cookies.has('planwatch_session')).toBe(false);
    expect(visitor.cookies.has('planwatch_sign_in')).toBe(true);
    const response = await visitor.post('/interface/sign-in', { email: 'practice.a@example.nhs.uk', password: PASSWORD });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/interface/reports');
    const cookie = sessionCookie(response);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).not.toMatch(/; Secure/);
    expect(visitor.cookies.has('planwatch_session')).toBe(true);
    expect((await visitor.get('/interface/reports')).statusCode).toBe(200);
  });

  it('marks the cookie Secure when a trusted proxy says the request came over HTTPS, or when told to always', async () => {
    const duck = await Store.open(':memory:');
    const behindProxy = await buildApp({ store: duck, trustProxy: '127.0.0.1', interface: { store: web.test.store, clock: web.test.clock, passwordCost: web.test.ctx.passwordCost } });
    const always = await buildApp({ store: duck, interface: { store: web.test.store, clock: web.test.clock, passwordCost: web.test.ctx.passwordCost, secureCookies: 'always' } });
    try {
      const https = { 'x-forwarded-proto': 'https' };
      const viaProxy = await new Visitor(behindProxy, '127.0.0.1', https).signIn('practice.a@example.nhs.uk');
      expect(viaProxy.cookies.has('planwatch_session')).toBe(true);
      const signIn = await new Visitor(behindProxy, '127.0.0.1', https).get('/interface/sign-in');
      expect(cookieHeader(signIn, 'planwatch_sign_in')).toMatch(/; Secure/);
      // Always Secure: over plain HTTP the browser would not send it back, so none is set.
      const plain = await new Visitor(always).get('/interface/sign-in');
      expect(cookieHeader(plain, 'planwatch_sign_in')).toMatch(/; Secure/);
    } finally {
      await behindProxy.close();
      await always.close();
      duck.close();
    }
  });

  it('refuses a wrong password without saying whether the address has an account', async () => {
    const visitor = web.visitor('10.0.0.20');
    await visitor.get('/interface/sign-in');
    const wrong = await visitor.post('/interface/sign-in', { email: 'practice.a@example.nhs.uk', password: 'not the password at all' });
    const unknown = await visitor.post('/interface/sign-in', { email: 'nobody@example.nhs.uk', password: 'not the password at all' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(pageText(wrong.body).replace('practice.a', 'X')).toBe(pageText(unknown.body).replace('nobody', 'X'));
    expect(wrong.body).toContain('href="#email"');
  });

  it('ends the session at sign-out: the old cookie no longer signs anyone in', async () => {
    const visitor = await web.visitor().signIn('lead.ra1@example.nhs.uk');
    const cookie = visitor.cookies.get('planwatch_session')!;
    const sessions = () => web.test.ctx.db.selectFrom('sessions').select('id_hash').execute();
    const before = (await sessions()).length;
    const response = await visitor.post('/interface/sign-out', {});
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/interface?signed-out=1');
    expect((await sessions()).length).toBe(before - 1);
    const replay = await web.app.inject({ method: 'GET', url: '/interface/reports', cookies: { planwatch_session: cookie } });
    expect(replay.statusCode).toBe(303);
    expect(replay.headers.location).toBe('/interface/sign-in?next=%2Finterface%2Freports');
  });

  it('ends the sessions of an account an administrator disables, at their next request', async () => {
    const visitor = await web.visitor().signIn('practice.b@example.nhs.uk');
    expect((await visitor.get('/interface/reports')).statusCode).toBe(200);
    await disableAccount(web.test.ctx, web.world.admin, web.world.practiceB.accountId);
    const after = await visitor.get('/interface/reports');
    expect(after.statusCode).toBe(303);
    expect(after.headers.location).toBe('/interface/sign-in?next=%2Finterface%2Freports');
  });

  it('refuses to sign out without the CSRF token', async () => {
    const visitor = await web.visitor().signIn('lead.ra1@example.nhs.uk');
    expect((await visitor.post('/interface/sign-out', {}, { token: '' })).statusCode).toBe(403);
    expect((await visitor.get('/interface/reports')).statusCode).toBe(200);
  });

  it('refuses a sign-in form without its CSRF token', async () => {
    const visitor = web.visitor();
    await visitor.get('/interface/sign-in');
    const response = await visitor.post('/interface/sign-in', { email: 'practice.a@example.nhs.uk', password: PASSWORD }, { token: '' });
    expect(response.statusCode).toBe(403);
    expect(response.headers.location).toBeUndefined();
  });

  it('goes back to the page that asked for sign-in, but never to another site', async () => {
    const visitor = web.visitor();
    const asked = await visitor.get('/interface/reports/new');
    expect(asked.headers.location).toBe('/interface/sign-in?next=%2Finterface%2Freports%2Fnew');
    await visitor.get(asked.headers.location as string);
    const back = await visitor.post('/interface/sign-in', { email: 'practice.a@example.nhs.uk', password: PASSWORD, next: '/interface/reports/new' });
    expect(back.headers.location).toBe('/interface/reports/new');
    for (const next of ['//evil.example/', 'https://evil.example/', '/\\evil.example', ' /interface', '/interface/\u0100', '/caf\u00e9', '/\u{1F600}']) {
      const elsewhere = web.visitor();
      await elsewhere.get('/interface/sign-in');
      const response = await elsewhere.post('/interface/sign-in', { email: 'practice.a@example.nhs.uk', password: PASSWORD, next });
      expect(response.headers.location, next).toBe('/interface/reports');
    }
  }, 60_000);

  it(`rate-limits sign-in: after ${SIGN_IN_LIMITS.perAccount} tries at one account from one address, even the right password is refused`, async () => {
    const attacker = web.visitor('10.0.0.66');
    await attacker.get('/interface/sign-in');
    for (let attempt = 1; attempt <= SIGN_IN_LIMITS.perAccount; attempt += 1) {
      const response = await attacker.post('/interface/sign-in', { email: 'reviewer.qaa@example.nhs.uk', password: `guess number ${attempt}` });
      expect(response.statusCode, `attempt ${attempt}`).toBe(401);
    }
    const limited = await attacker.post('/interface/sign-in', { email: 'reviewer.qaa@example.nhs.uk', password: PASSWORD });
    expect(limited.statusCode).toBe(429);
    expect(pageText(limited.body)).toContain('Too many attempts to sign in. Wait 15 minutes and try again.');
    expect(limited.headers['retry-after']).toBeDefined();
    // The account's owner, from their own address, is not locked out by someone else's guessing.
    expect((await web.visitor('10.0.0.67').signIn('reviewer.qaa@example.nhs.uk')).cookies.has('planwatch_session')).toBe(true);
  }, 60_000);
});

describe('signing in, per-address limit', () => {
  let web: WebWorld;
  beforeAll(async () => {
    web = await openWebWorld(backends[0]!, { signInLimits: { perAccount: 10, perAddress: 4, windowMs: 60_000 } });
  }, OPEN_TIMEOUT_MS);
  afterAll(() => web?.close());

  it('refuses an address that tries many accounts', async () => {
    const sprayer = web.visitor('10.0.0.99');
    await sprayer.get('/interface/sign-in');
    const statuses: number[] = [];
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      statuses.push((await sprayer.post('/interface/sign-in', { email: `${name}@example.nhs.uk`, password: 'synthetic guess' })).statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
  }, 60_000);
});

describe.each(backends)('sign-in that holds against abuse on $name', (backend) => {
  let web: WebWorld;
  beforeAll(async () => {
    web = await openWebWorld(backend, { signInLimits: { perAccount: 5, perAccountAnywhere: 8, perAddress: 12, windowMs: 60_000 } });
  }, OPEN_TIMEOUT_MS);
  afterAll(() => web?.close());

  const sessionRows = async () => (await web.test.ctx.db.selectFrom('sessions').select('id_hash').execute()).length;

  it('keeps no session for 1,000 anonymous views of the sign-in page', async () => {
    const before = await sessionRows();
    for (let view = 0; view < 1000; view += 1) {
      const response = await web.app.inject({ method: 'GET', url: '/interface/sign-in', remoteAddress: `10.1.${view % 250}.${Math.floor(view / 250) + 1}` });
      expect(response.statusCode).toBe(200);
    }
    expect(await sessionRows()).toBe(before);
  }, 300_000);

  it('expires a session nobody signed in to within minutes, not hours', async () => {
    const { writeSession } = await import('../../../../src/interface/sessions.js');
    const { databaseSessionStore } = await import('../../../../src/server/routes/interface/session-store.js');
    const { ANONYMOUS_SESSION_MAX_AGE_MS, SESSION_MAX_AGE_MS } = await import('../../../../src/server/routes/interface/index.js');
    expect(writeSession).toBeDefined();
    const store = databaseSessionStore({ db: web.test.ctx.db, clock: () => new Date() }, SESSION_MAX_AGE_MS, ANONYMOUS_SESSION_MAX_AGE_MS);
    const cookie = { expires: new Date(Date.now() + SESSION_MAX_AGE_MS) };
    await new Promise<void>((resolve, reject) => store.set('synthetic-anonymous', { cookie, oidc: { state: 's' } } as never, (error) => (error ? reject(error) : resolve())));
    const row = await web.test.ctx.db.selectFrom('sessions').select('expires_at').orderBy('expires_at', 'desc').where('account_id', 'is', null).executeTakeFirstOrThrow();
    expect(new Date(row.expires_at).getTime() - Date.now()).toBeLessThanOrEqual(ANONYMOUS_SESSION_MAX_AGE_MS);
  });

  it('refuses a 1 MB address before reading it, again and again, and still lets people in', async () => {
    const visitor = web.visitor('10.2.0.1');
    await visitor.get('/interface/sign-in');
    const huge = `${'a'.repeat(1_000_000)}@example.nhs.uk`;
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const response = await visitor.post('/interface/sign-in', { email: huge, password: 'synthetic guess' });
      expect(response.statusCode).toBe(413);
    }
    await visitor.signIn('practice.a@example.nhs.uk');
    expect(visitor.cookies.has('planwatch_session')).toBe(true);
  }, 60_000);

  it('does not let a rotating X-Forwarded-For from a client that is not a proxy get past the limit', async () => {
    const visitor = web.visitor('10.3.0.1');
    await visitor.get('/interface/sign-in');
    const statuses: number[] = [];
    for (let attempt = 1; attempt <= 6; attempt += 1) {
      const forwarded = { 'x-forwarded-for': `198.51.100.${attempt}` };
      const attacker = new Visitor(web.app, '10.3.0.1', forwarded);
      attacker.cookies.set('planwatch_sign_in', visitor.cookies.get('planwatch_sign_in')!);
      attacker.csrf = visitor.csrf;
      statuses.push((await attacker.post('/interface/sign-in', { email: 'lead.ra2@example.nhs.uk', password: `guess ${attempt}` })).statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  }, 60_000);

  it('behind a configured proxy, limits the client it forwards for, not the proxy, whatever the client adds', async () => {
    const duck = await Store.open(':memory:');
    const proxied = await buildApp({ store: duck, trustProxy: '10.9.9.9', interface: { store: web.test.store, clock: web.test.clock, passwordCost: web.test.ctx.passwordCost, signInLimits: { perAccount: 5, perAddress: 7, windowMs: 60_000 } } });
    try {
      const through = (client: string, spoofed = '') => new Visitor(proxied, '10.9.9.9', { 'x-forwarded-for': spoofed ? `${spoofed}, ${client}` : client });
      const statuses: number[] = [];
      for (let attempt = 1; attempt <= 8; attempt += 1) {
        // The attacker rotates what it writes in the header; the proxy appends its real address.
        const attacker = through('203.0.113.5', `192.0.2.${attempt}`);
        await attacker.get('/interface/sign-in');
        statuses.push((await attacker.post('/interface/sign-in', { email: `sprayed.${attempt}@example.nhs.uk`, password: 'synthetic guess' })).statusCode);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401, 429]);
      // Everyone else behind the same proxy still signs in.
      const colleague = await through('203.0.113.6').signIn('practice.b@example.nhs.uk');
      expect(colleague.cookies.has('planwatch_session')).toBe(true);
    } finally {
      await proxied.close();
      duck.close();
    }
  }, 60_000);

  it('answers a next address with characters a header cannot carry with a safe redirect, not an error', async () => {
    const visitor = await web.visitor('10.4.0.1').signIn('practice.a@example.nhs.uk');
    for (const next of ['/%C4%80', '/caf%C3%A9', '/%F0%9F%98%80', '/interface/reports%0d%0aX:1']) {
      const response = await visitor.get(`/interface/sign-in?next=${next}`);
      expect(response.statusCode, next).toBe(303);
      expect(response.headers.location, next).toBe('/interface/reports');
    }
  }, 60_000);
});

