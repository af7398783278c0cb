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
