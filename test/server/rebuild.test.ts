import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { guidanceYearOfDay } from '../../src/assessment/guidance-years.js';
import { refreshMeasureValues } from '../../src/assessment/measure-table.js';
import { buildApp, PREBUILT } from '../../src/server/app.js';
import { cacheKey } from '../../src/server/cache.js';
import { ingestFile } from '../../src/store/ingest.js';
import type { Store } from '../../src/store/store.js';
import { syntheticAeMonth, syntheticStore } from '../helpers/synthetic-ae.js';

let store: Store;
let server: FastifyInstance;
beforeAll(async () => {
  store = await syntheticStore(6, '2025-03');
  server = await buildApp({ store, warm: true });
});
afterAll(async () => {
  await server.close();
  store.close();
});

const england = cacheKey('/org/:code', { code: 'ENG', guidanceYear: guidanceYearOfDay(new Date()) });
const held = () => server.responseCache.latest(england)?.body;

describe('a warmed server after an ingest while it serves', () => {
  it('builds the prebuilt pages again once the measure values are in, before anyone asks', async () => {
    expect(PREBUILT).toContain('/org/ENG');
    expect(held()).toContain('March 2025');
    // Synthetic: a seventh month of the synthetic trusts.
    await ingestFile(store, { name: 'synthetic-ae-2025-04.csv', bytes: new TextEncoder().encode(syntheticAeMonth('2025-04', 6)) });
    // A new version: the pages held are of the one before, and none of this one is built yet.
    expect(held()).toBeUndefined();
    await refreshMeasureValues(store);
    await vi.waitFor(() => expect(held()).toContain('April 2025'), { timeout: 20_000, interval: 20 });
    const page = await server.inject({ url: '/org/ENG' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toBe(held());
  });
});
