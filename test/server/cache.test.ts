import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { guidanceYearOfDay } from '../../src/assessment/guidance-years.js';
import { buildApp } from '../../src/server/app.js';
import { ResponseCache, cacheKey } from '../../src/server/cache.js';
import type { Store } from '../../src/store/store.js';
import { syntheticAeMonth, syntheticStore } from '../helpers/synthetic-ae.js';
import { ingestFile } from '../../src/store/ingest.js';

let store: Store;
let server: FastifyInstance;
beforeAll(async () => {
  store = await syntheticStore(6, '2025-03');
  server = await buildApp({ store });
});
afterAll(async () => {
  await server.close();
  store.close();
});

const get = (url: string) => server.inject({ method: 'GET', url });

describe('the response cache (sendCached)', () => {
  it('keys a page by its route and path parameters, so ?x=… query strings add no entry and evict nothing', async () => {
    const page = await get('/org/RBB');
    expect(page.statusCode).toBe(200);
    const before = server.responseCache.stats;
    for (let i = 0; i < 200; i++) {
      const response = await get(`/org/RBB?x=${i}`);
      expect(response.statusCode).toBe(200);
      expect(response.body).toBe(page.body);
    }
    expect(server.responseCache.stats).toEqual(before);
    // An organisation's page is kept per guidance year too: it leads with the year of the day.
    expect(server.responseCache.has(cacheKey('/org/:code', { code: 'RBB', guidanceYear: guidanceYearOfDay(new Date()) }))).toBe(true);
  });

  it('keys an API answer by its validated query: unknown parameters are ignored, declared ones kept apart', async () => {
    const plain = await get('/api/v1/league/ae_4hr');
    expect(plain.statusCode).toBe(200);
    const entries = server.responseCache.stats.entries;
    expect((await get('/api/v1/league/ae_4hr?x=1&y=2')).body).toBe(plain.body);
    expect(server.responseCache.stats.entries).toBe(entries);
    const csv = await get('/api/v1/league/ae_4hr?format=csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(server.responseCache.stats.entries).toBe(entries + 1);
  });

  it('when full, evicts the least recently used answers one by one instead of emptying', async () => {
    const cache = new ResponseCache(store, 10_000);
    const page = async () => ({ type: 'text/plain', body: 'x'.repeat(2000) });
    await cache.get('a', page);
    await cache.get('b', page);
    await cache.get('a', page);
    await cache.get('c', page);
    expect([cache.has('a'), cache.has('b'), cache.has('c')]).toEqual([true, false, true]);
    expect(cache.stats.bytes).toBeLessThanOrEqual(10_000);
  });
});

describe('cacheKey(route, input)', () => {
  it('answers a cached page of the latest version without opening a read snapshot, and a new month with one', async () => {
    const first = await get('/api/v1/series/RBB/ae_attendances');
    const snapshot = vi.spyOn(store, 'snapshot');
    try {
      expect((await get('/api/v1/series/RBB/ae_attendances')).body).toBe(first.body);
      expect(snapshot).not.toHaveBeenCalled();
      await ingestFile(store, { name: 'synthetic-ae-2025-04.csv', bytes: new TextEncoder().encode(syntheticAeMonth('2025-04', 6)) });
      const after = await get('/api/v1/series/RBB/ae_attendances');
      expect(snapshot).toHaveBeenCalledTimes(1);
      expect(after.body).toContain('2025-04');
      expect(first.body).not.toContain('2025-04');
    } finally {
      snapshot.mockRestore();
    }
  });

  it('is the same whatever order the parameters come in, and drops undefined ones', () => {
    expect(cacheKey('/league/:metric', { metric: 'ae_4hr', level: 'trust', period: undefined }))
      .toBe(cacheKey('/league/:metric', { level: 'trust', metric: 'ae_4hr' }));
    expect(cacheKey('/league/:metric', { metric: 'ae_4hr', level: 'icb' })).not.toBe(cacheKey('/league/:metric', { metric: 'ae_4hr', level: 'trust' }));
  });
});
