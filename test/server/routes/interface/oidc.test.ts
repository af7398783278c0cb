import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, OIDC_CALLBACK_PATH } from '../../../../src/config.js';
import { openWebWorld, pageText, type Visitor, type WebWorld } from '../../../helpers/interface-web.js';
import { startLocalServer, type LocalServer } from '../../../helpers/local-server.js';
import { backends, OPEN_TIMEOUT_MS } from '../../../interface/helpers/stores.js';

/**
 * Sign-in through OpenID Connect, against a small provider on 127.0.0.1 that speaks the parts of
 * the protocol Planwatch uses: discovery, the authorization redirect, the token endpoint (which
 * checks the PKCE verifier and the client secret) and an RS256-signed ID token with its key set.
 * It is not Microsoft Entra ID: what this proves is our side of the exchange — what we send, what
 * we check, and that signing in only ever links to an account an administrator opened.
 */
const CLIENT_ID = 'synthetic-planwatch-client';
const CLIENT_SECRET = 'synthetic-client-secret';

interface Grant {
  subject: string;
  email: string | undefined;
  nonce: string;
  challenge: string;
}

interface FakeProvider {
  server: LocalServer;
  issuer: string;
  /** What the provider will answer for a code, as if the person had signed in there. */
  grants: Map<string, Grant>;
  tokenRequests: URLSearchParams[];
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function startFakeProvider(): Promise<FakeProvider> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'synthetic-key', alg: 'RS256', use: 'sig' };
  const grants = new Map<string, Grant>();
  const tokenRequests: URLSearchParams[] = [];
  const provider = { grants, tokenRequests } as FakeProvider;
  const json = (response: import('node:http').ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  provider.server = await startLocalServer(async (request, response) => {
    const issuer = provider.issuer;
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    if (path === '/tenant/.well-known/openid-configuration') {
      return json(response, 200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/keys`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
        code_challenge_methods_supported: ['S256'],
      });
    }
    if (path === '/tenant/keys') return json(response, 200, { keys: [jwk] });
    if (path === '/tenant/token' && request.method === 'POST') {
      const form = new URLSearchParams(await readBody(request));
      tokenRequests.push(form);
      const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? '');
      const [id, secret] = basic ? Buffer.from(basic[1]!, 'base64').toString().split(':').map(decodeURIComponent) : [form.get('client_id'), form.get('client_secret')];
      if (id !== CLIENT_ID || secret !== CLIENT_SECRET) return json(response, 401, { error: 'invalid_client' });
      const grant = grants.get(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      if (!grant || createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) return json(response, 400, { error: 'invalid_grant' });
      grants.delete(form.get('code')!);
      const now = Math.floor(Date.now() / 1000);
      const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
      const signed = `${encode({ alg: 'RS256', kid: 'synthetic-key', typ: 'JWT' })}.${encode({
        iss: issuer,
        sub: grant.subject,
        aud: CLIENT_ID,
        iat: now,
        exp: now + 300,
        nonce: grant.nonce,
        ...(grant.email ? { email: grant.email } : {}),
      })}`;
      const idToken = `${signed}.${sign('sha256', Buffer.from(signed), privateKey).toString('base64url')}`;
      return json(response, 200, { access_token: 'synthetic-access-token', token_type: 'Bearer', expires_in: 300, id_token: idToken });
    }
    return json(response, 404, { error: 'not_found' });
  });
  provider.issuer = `${provider.server.origin}/tenant`;
  return provider;
}

describe('signing in with OpenID Connect (a fake provider on 127.0.0.1)', () => {
  let provider: FakeProvider;
  let web: WebWorld;
  const redirectUrl = `http://127.0.0.1:3000${OIDC_CALLBACK_PATH}`;

  beforeAll(async () => {
    provider = await startFakeProvider();
    // Through the same normaliser as `planwatch serve`, so the settings the test uses are valid ones.
    const config = loadConfig({}, {
      PLANWATCH_OIDC_ISSUER: provider.issuer,
      PLANWATCH_OIDC_CLIENT_ID: CLIENT_ID,
      PLANWATCH_OIDC_CLIENT_SECRET: CLIENT_SECRET,
      PLANWATCH_OIDC_REDIRECT_URL: redirectUrl,
    });
    web = await openWebWorld(backends[0]!, { oidc: config.oidc! });
  }, OPEN_TIMEOUT_MS);
  afterAll(async () => {
    await web?.close();
    await provider?.server.close();
  });

  /** Starts sign-in and returns the provider's sign-in address Planwatch sent the browser to. */
  async function start(visitor: Visitor, next = ''): Promise<URL> {
    const response = await visitor.get(`/interface/sign-in/oidc${next ? `?next=${encodeURIComponent(next)}` : ''}`);
    expect(response.statusCode).toBe(303);
    return new URL(String(response.headers.location));
  }

  /** The provider signs the person in and sends them back with a code. */
  function comeBack(visitor: Visitor, authorize: URL, who: { subject: string; email?: string }, overrides: Record<string, string> = {}) {
    const code = `code-${Math.random().toString(36).slice(2)}`;
    provider.grants.set(code, { subject: who.subject, email: who.email, nonce: authorize.searchParams.get('nonce')!, challenge: authorize.searchParams.get('code_challenge')! });
    const query = new URLSearchParams({ code, state: authorize.searchParams.get('state')!, ...overrides });
    return visitor.get(`${OIDC_CALLBACK_PATH}?${query}`);
  }

  it('offers the organisation account on the sign-in page', async () => {
    const page = await web.visitor().get('/interface/sign-in');
    expect(page.body).toContain('href="/interface/sign-in/oidc"');
    expect(pageText(page.body)).toContain('Sign in with your organisation account');
  });

  it('sends the browser to the provider with the code flow, PKCE (S256), state and nonce, and the configured way back', async () => {
    const authorize = await start(web.visitor());
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${provider.issuer}/authorize`);
    const params = Object.fromEntries(authorize.searchParams);
    expect(params).toMatchObject({ response_type: 'code', client_id: CLIENT_ID, redirect_uri: redirectUrl, code_challenge_method: 'S256' });
    expect(params.scope?.split(' ')).toEqual(expect.arrayContaining(['openid', 'email']));
    for (const name of ['state', 'nonce', 'code_challenge']) expect(params[name]?.length, name).toBeGreaterThanOrEqual(22);
    expect(params.client_secret).toBeUndefined();
  });

  it("links the provider's identity to the account an administrator opened for that address, and signs in", async () => {
    const visitor = web.visitor();
    const authorize = await start(visitor, '/interface/reports/new');
    const back = await comeBack(visitor, authorize, { subject: 'synthetic-subject-a', email: 'practice.a@example.nhs.uk' });
    expect(back.statusCode).toBe(303);
    expect(back.headers.location).toBe('/interface/reports/new');
    expect((await visitor.get('/interface/reports/new')).statusCode).toBe(200);
    const token = provider.tokenRequests.at(-1)!;
    expect(token.get('redirect_uri')).toBe(redirectUrl);
    expect(token.get('grant_type')).toBe('authorization_code');
    const account = await web.test.ctx.db.selectFrom('accounts').select(['oidc_issuer', 'oidc_subject']).where('email', '=', 'practice.a@example.nhs.uk').executeTakeFirstOrThrow();
    expect(account).toEqual({ oidc_issuer: provider.issuer, oidc_subject: 'synthetic-subject-a' });
  });

  it('signs the same person in by their subject later, whatever address the provider now gives', async () => {
    const visitor = web.visitor();
    const back = await comeBack(visitor, await start(visitor), { subject: 'synthetic-subject-a', email: 'renamed.practice.a@example.nhs.uk' });
    expect(back.statusCode).toBe(303);
    expect(pageText((await visitor.get('/interface/reports')).body)).toContain('Reports from practice A81001');
  });

  it('opens no account for an identity nobody opened one for', async () => {
    const visitor = web.visitor();
    const back = await comeBack(visitor, await start(visitor), { subject: 'synthetic-stranger', email: 'stranger@example.nhs.uk' });
    expect(back.statusCode).toBe(403);
    expect(pageText(back.body)).toContain('There is no Planwatch account for stranger@example.nhs.uk. Ask your Planwatch administrator to open one.');
    expect(await web.test.ctx.db.selectFrom('accounts').select('id').where('email', '=', 'stranger@example.nhs.uk').executeTakeFirst()).toBeUndefined();
    expect((await visitor.get('/interface/reports')).statusCode).toBe(303);
  });

  it('refuses a way back whose state is not the one it sent, and one it never started', async () => {
    const visitor = web.visitor();
    const forged = await comeBack(visitor, await start(visitor), { subject: 'synthetic-subject-b', email: 'practice.b@example.nhs.uk' }, { state: 'forged-state' });
    expect(forged.statusCode).toBe(400);
    const stranger = web.visitor();
    const unasked = await stranger.get(`${OIDC_CALLBACK_PATH}?code=anything&state=anything`);
    expect(unasked.statusCode).toBe(400);
    expect(pageText(unasked.body)).toContain('Start again.');
    const linked = await web.test.ctx.db.selectFrom('accounts').select('oidc_subject').where('email', '=', 'practice.b@example.nhs.uk').executeTakeFirstOrThrow();
    expect(linked.oidc_subject).toBeNull();
  });

  it('says so when the provider cannot be reached, and keeps the password form', async () => {
    const config = loadConfig({}, {
      PLANWATCH_OIDC_ISSUER: 'http://127.0.0.1:9/tenant',
      PLANWATCH_OIDC_CLIENT_ID: CLIENT_ID,
      PLANWATCH_OIDC_CLIENT_SECRET: CLIENT_SECRET,
      PLANWATCH_OIDC_REDIRECT_URL: redirectUrl,
    });
    const down = await openWebWorld(backends[0]!, { oidc: config.oidc! });
    try {
      const response = await down.visitor().get('/interface/sign-in/oidc');
      expect(response.statusCode).toBe(503);
      expect(pageText(response.body)).toContain('Your organisation’s sign-in service could not be reached.');
      expect(response.body).toContain('name="password"');
    } finally {
      await down.close();
    }
  }, OPEN_TIMEOUT_MS);
});

describe('signing in without OpenID Connect configured', () => {
  let web: WebWorld;
  beforeAll(async () => {
    web = await openWebWorld(backends[0]!);
  }, OPEN_TIMEOUT_MS);
  afterAll(() => web?.close());

  it('offers only the password form, and has no provider routes', async () => {
    const page = await web.visitor().get('/interface/sign-in');
    expect(page.body).not.toContain('/interface/sign-in/oidc');
    expect((await web.visitor().get('/interface/sign-in/oidc')).statusCode).toBe(404);
    expect((await web.visitor().get(OIDC_CALLBACK_PATH)).statusCode).toBe(404);
  });
});
