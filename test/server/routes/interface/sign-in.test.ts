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
function sessionCookie(response: LightMyRequestResponse): string {
  const header = [response.headers['set-cookie'] ?? []].flat().find((cookie) => cookie.startsWith('planwatch_session='));
  if (!header) throw new Error(`no session cookie in the ${response.statusCode} answer`);
  return header;
}

describe.each(backends)('signing in and out on $name', (backend) => {
  let web: WebWorld;
  beforeAll(async () => {
    web = await openWebWorld(backend);
  }, OPEN_TIMEOUT_MS);
  afterAll(() => web?.close());

  it('starts a new session at sign-in, in an HttpOnly, SameSite=Lax cookie, not Secure over plain HTTP', async () => {
    const visitor = web.visitor();
    await visitor.get('/interface/sign-in');
    const before = visitor.cookies.get('planwatch_session');
    expect(before).toBeDefined();
    const response = await visitor.post('/interface/sign-in', { email: 'practice.a@example.nhs.uk', password: PASSWORD });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/interface/reports');
    const cookie = sessionCookie(response);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).not.toMatch(/; Secure/);
    expect(visitor.cookies.get('planwatch_session')).not.toBe(before);
    expect((await visitor.get('/interface/reports')).statusCode).toBe(200);
  });

  it('marks the cookie Secure when a trusted proxy says the request came over HTTPS, or when told to always', async () => {
    const duck = await Store.open(':memory:');
    const behindProxy = await buildApp({ store: duck, trustProxy: true, interface: { store: web.test.store, clock: web.test.clock } });
    const always = await buildApp({ store: duck, interface: { store: web.test.store, clock: web.test.clock, secureCookies: 'always' } });
    try {
      const https = { 'x-forwarded-proto': 'https' };
      const viaProxy = await new Visitor(behindProxy, '127.0.0.1', https).signIn('practice.a@example.nhs.uk');
      expect(viaProxy.cookies.has('planwatch_session')).toBe(true);
      const signIn = await new Visitor(behindProxy, '127.0.0.1', https).get('/interface/sign-in');
      expect(sessionCookie(signIn)).toMatch(/; Secure/);
      // Always Secure: over plain HTTP the browser would not send it back, so none is set.
      const plain = await new Visitor(always).get('/interface/sign-in');
      expect(plain.headers['set-cookie']).toBeUndefined();
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
    for (const next of ['//evil.example/', 'https://evil.example/', '/\\evil.example', ' /interface']) {
      const elsewhere = web.visitor();
      await elsewhere.get('/interface/sign-in');
      const response = await elsewhere.post('/interface/sign-in', { email: 'practice.a@example.nhs.uk', password: PASSWORD, next });
      expect(response.headers.location, next).toBe('/interface/reports');
    }
  });

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
  });
});
