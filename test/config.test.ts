import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

describe('loadConfig(flags, env)', () => {
  it('defaults to an embedded store in the working folder', () => {
    const config = loadConfig({}, {});
    expect(config.dbPath).toBe('planwatch.duckdb');
    expect(config.port).toBe(3000);
    expect(config.source).toBeUndefined();
  });

  it('prefers flags over the environment', () => {
    const config = loadConfig({ db: 'flag.duckdb' }, { PLANWATCH_DB: 'env.duckdb', PLANWATCH_SOURCE: 'data' });
    expect(config.dbPath).toBe('flag.duckdb');
    expect(config.source).toBe('data');
  });

  it('keeps the cache and the interface store beside the DuckDB file', () => {
    const config = loadConfig({ db: '/tmp/x/store.duckdb' }, {});
    expect(config.cacheDir).toBe('/tmp/x/.planwatch/cache');
    expect(config.interfaceDir).toBe('/tmp/x/store.interface');
  });

  it('rejects a port that is not a number', () => {
    expect(() => loadConfig({ port: 'abc' }, {})).toThrow(/port/);
  });

  it('returns a frozen object', () => {
    expect(Object.isFrozen(loadConfig({}, {}))).toBe(true);
  });
});

describe('loadConfig(flags, env): the interface log\'s sign-in', () => {
  const oidc = {
    PLANWATCH_OIDC_ISSUER: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0',
    PLANWATCH_OIDC_CLIENT_ID: 'synthetic-client',
    PLANWATCH_OIDC_CLIENT_SECRET: 'synthetic-secret',
    PLANWATCH_OIDC_REDIRECT_URL: 'https://planwatch.example.nhs.uk/interface/sign-in/oidc/callback',
  };

  it('has no OpenID Connect provider, cookies secure over HTTPS only, and no trusted proxy by default', () => {
    const config = loadConfig({}, {});
    expect(config.oidc).toBeUndefined();
    expect(config.sessionSecret).toBeUndefined();
    expect(config.secureCookies).toBe('auto');
    expect(config.trustProxy).toBe(false);
  });

  it('reads the provider from all four PLANWATCH_OIDC_ variables', () => {
    expect(loadConfig({}, oidc).oidc).toEqual({
      issuer: oidc.PLANWATCH_OIDC_ISSUER,
      clientId: 'synthetic-client',
      clientSecret: 'synthetic-secret',
      redirectUrl: oidc.PLANWATCH_OIDC_REDIRECT_URL,
    });
  });

  it('names the variables missing from a half-configured provider', () => {
    const { PLANWATCH_OIDC_CLIENT_SECRET: _secret, PLANWATCH_OIDC_REDIRECT_URL: _redirect, ...half } = oidc;
    expect(() => loadConfig({}, half)).toThrow('set PLANWATCH_OIDC_CLIENT_SECRET, PLANWATCH_OIDC_REDIRECT_URL as well');
  });

  it('refuses a provider or a way back over plain HTTP, except on this machine', () => {
    expect(() => loadConfig({}, { ...oidc, PLANWATCH_OIDC_ISSUER: 'http://login.example.com/tenant' })).toThrow(/PLANWATCH_OIDC_ISSUER must be an https:\/\/ address/);
    expect(() => loadConfig({}, { ...oidc, PLANWATCH_OIDC_REDIRECT_URL: 'http://planwatch.example.nhs.uk/interface/sign-in/oidc/callback' })).toThrow(/PLANWATCH_OIDC_REDIRECT_URL must be an https/);
    const local = loadConfig({}, { ...oidc, PLANWATCH_OIDC_ISSUER: 'http://127.0.0.1:4000', PLANWATCH_OIDC_REDIRECT_URL: 'http://localhost:3000/interface/sign-in/oidc/callback' });
    expect(local.oidc?.issuer).toBe('http://127.0.0.1:4000');
  });

  it('refuses a redirect URL that does not end at the callback', () => {
    expect(() => loadConfig({}, { ...oidc, PLANWATCH_OIDC_REDIRECT_URL: 'https://planwatch.example.nhs.uk/callback' })).toThrow(/followed by \/interface\/sign-in\/oidc\/callback/);
    expect(() => loadConfig({}, { ...oidc, PLANWATCH_OIDC_ISSUER: 'not a url' })).toThrow(/oidc\.issuer/);
  });

  it('takes a session secret of 32 characters or more, and refuses a shorter one', () => {
    expect(loadConfig({}, { PLANWATCH_SESSION_SECRET: 'x'.repeat(32) }).sessionSecret).toBe('x'.repeat(32));
    expect(() => loadConfig({}, { PLANWATCH_SESSION_SECRET: 'short' })).toThrow(/sessionSecret: use at least 32 characters/);
  });

  it('reads secure cookies and trusted proxies', () => {
    expect(loadConfig({}, { PLANWATCH_SECURE_COOKIES: 'always' }).secureCookies).toBe('always');
    expect(() => loadConfig({}, { PLANWATCH_SECURE_COOKIES: 'sometimes' })).toThrow(/secureCookies/);
    // Only named proxies: "true" or a hop count would believe any client's X-Forwarded-For.
    expect(() => loadConfig({}, { PLANWATCH_TRUST_PROXY: '1' })).toThrow(/must list the proxy addresses/);
    expect(() => loadConfig({}, { PLANWATCH_TRUST_PROXY: 'true' })).toThrow(/must list the proxy addresses/);
    expect(loadConfig({}, { PLANWATCH_TRUST_PROXY: '10.0.0.1, 10.0.0.2' }).trustProxy).toBe('10.0.0.1, 10.0.0.2');
  });

  it("leaves the password-hash cost to its default unless PLANWATCH_SCRYPT_N is a power of two from 1024", () => {
    expect(loadConfig({}, {}).scryptN).toBeUndefined();
    expect(loadConfig({}, { PLANWATCH_SCRYPT_N: '1024' }).scryptN).toBe(1024);
    expect(() => loadConfig({}, { PLANWATCH_SCRYPT_N: '3000' })).toThrow('Invalid configuration: scryptN: use a power of two');
    expect(() => loadConfig({}, { PLANWATCH_SCRYPT_N: '512' })).toThrow(/scryptN/);
    expect(() => loadConfig({}, { PLANWATCH_SCRYPT_N: 'fast' })).toThrow(/scryptN/);
  });
});

describe('loadConfig(flags, env): the refresh interval', () => {
  it('is a day unless set, and off with --no-refresh or PLANWATCH_REFRESH=off', () => {
    expect(loadConfig({}, {}).refreshMs).toBe(86_400_000);
    expect(loadConfig({ refresh: false }, { PLANWATCH_REFRESH: '1h' }).refreshMs).toBeNull();
    expect(loadConfig({}, { PLANWATCH_REFRESH: 'off' }).refreshMs).toBeNull();
  });

  it('reads 30s, 15m, 6h, 2d and a bare number of seconds, the flag before the environment', () => {
    expect(['30s', '15m', '6h', '2d', '90'].map((text) => loadConfig({ refresh: text }, {}).refreshMs)).toEqual([30_000, 900_000, 21_600_000, 172_800_000, 90_000]);
    expect(loadConfig({ refresh: '2h' }, { PLANWATCH_REFRESH: '1h' }).refreshMs).toBe(7_200_000);
  });

  it('refuses an interval it cannot read, or one under a second, naming where it came from', () => {
    expect(() => loadConfig({}, { PLANWATCH_REFRESH: 'daily' })).toThrow(/PLANWATCH_REFRESH: expected an interval such as 30m/);
    expect(() => loadConfig({ refresh: '10ms' }, {})).toThrow(/--refresh/);
  });
});
