import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/server/app.js';
import { freshnessResponse } from '../../../src/server/routes/api/schemas.js';
import { ingestFile } from '../../../src/store/ingest.js';
import { markRefreshFinished, markRefreshStarted } from '../../../src/store/refresh-state.js';
import type { Store } from '../../../src/store/store.js';
import { fixtureText } from '../../helpers/fixtures.js';
import { memoryStore } from '../../helpers/store.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A store with one synthetic A&E month (May 2020) that its page dates 11 June 2020. */
async function datedStore(): Promise<Store> {
  const store = await memoryStore();
  cleanups.push(() => store.close());
  await ingestFile(store, {
    name: 'synthetic-ae-2020.csv',
    bytes: new TextEncoder().encode(fixtureText('ae', 'synthetic-ae-2020.csv')),
    page: { published: '2020-06-11', source: 'page' },
  });
  return store;
}

async function appFor(store: Store, refreshMs: number | null = 86_400_000) {
  const app = await buildApp({ store, refreshMs });
  cleanups.push(() => app.close());
  return app;
}

describe('GET /api/v1/status', { timeout: 30_000 }, () => {
  it("gives each collection's newest month, its publication date and the refresher's state, as the schema says", async () => {
    const store = await datedStore();
    await markRefreshStarted(store, 'ambulance', '2026-01-08T09:30:00.000Z');
    await markRefreshFinished(store, 'ambulance', {
      at: '2026-01-08T09:30:05.000Z', checked: false, error: 'Could not fetch http://127.0.0.1/x: the server answered 503.', attempts: 2, nextDue: '2026-01-08T09:32:05.000Z', waiting: 0,
    });
    const response = await (await appFor(store)).inject('/api/v1/status');
    expect(response.statusCode).toBe(200);
    const body = freshnessResponse.parse(response.json());
    expect(body.refresh).toEqual({ enabled: true, interval: '1d' });
    expect(body.collections.find((c) => c.collection === 'ae')).toMatchObject({
      latestPeriod: '2020-05', latestLabel: 'May 2020', published: '2020-06-11', publishedLabel: '11 June 2020', lastChecked: null, waiting: 0, fetchable: true,
    });
    expect(body.collections.find((c) => c.collection === 'ambulance')).toMatchObject({
      latestPeriod: null, lastChecked: null, attempts: 2, lastError: expect.stringContaining('503'), nextCheck: '2026-01-08T09:32:05.000Z', running: false,
    });
  });

  it('is in the OpenAPI document and answers CSV', async () => {
    const app = await appFor(await datedStore());
    const openapi = (await app.inject('/api/v1/openapi.json')).json() as { paths: Record<string, unknown> };
    expect(Object.keys(openapi.paths)).toContain('/api/v1/status');
    const csv = await app.inject('/api/v1/status?format=csv');
    expect(csv.body.split('\n')[0]).toBe('collection,title,latest_period,published,edition,last_checked,last_error,attempts,next_check,waiting');
    expect(csv.body).toContain('ae,A&E Attendances and Emergency Admissions,2020-05,2020-06-11');
  });
});

describe('GET /status', { timeout: 30_000 }, () => {
  it('shows each collection, when its pages were checked, what went wrong and what is waiting', async () => {
    const store = await datedStore();
    await markRefreshStarted(store, 'ae', '2026-01-08T09:30:00.000Z');
    await markRefreshFinished(store, 'ae', { at: '2026-01-08T09:31:00.000Z', checked: true, error: null, attempts: 0, nextDue: '2026-01-09T09:31:00.000Z', waiting: 0 });
    await markRefreshStarted(store, 'rtt', '2026-01-08T09:31:00.000Z');
    await markRefreshFinished(store, 'rtt', { at: '2026-01-08T09:31:30.000Z', checked: false, error: 'Could not find any RTT year pages on http://127.0.0.1/rtt/.', attempts: 1, nextDue: '2026-01-08T09:32:30.000Z', waiting: 3 });
    const page = await (await appFor(store)).inject('/status');
    expect(page.statusCode).toBe(200);
    const text = page.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain('This server checks NHS England&#39;s publication pages every day and adds new and revised files as they appear.');
    expect(text).toMatch(/A&amp;E Attendances and Emergency Admissions Up to date/);
    expect(text).toContain('Figures to May 2020 Published 11 June 2020');
    expect(text).toContain('Pages last checked 8 January 2026 at 09:31 UTC');
    expect(text).toMatch(/Referral to Treatment \(RTT\) waiting times Cannot check/);
    expect(text).toContain('Publications waiting 3 found on the pages, not yet in the figures');
    expect(text).toContain('Could not find any RTT year pages on http://127.0.0.1/rtt/. (8 January 2026 at 09:31 UTC, 1 failed check in a row)');
  });

  it("keeps every cached page when the refresher records a check, yet shows the check at once", async () => {
    const store = await datedStore();
    const app = await appFor(store);
    const version = store.version;
    const before = await app.inject('/org/RCC');
    expect((await app.inject('/status')).body).not.toContain('Cannot check');
    await markRefreshStarted(store, 'ae', '2026-01-08T09:30:00.000Z');
    await markRefreshFinished(store, 'ae', { at: '2026-01-08T09:30:05.000Z', checked: false, error: 'Could not fetch http://127.0.0.1/ae/: the server answered 503.', attempts: 1, nextDue: '2026-01-08T09:31:05.000Z', waiting: 0 });
    // No figure changed: the store version, and so the page cache, stay as they were.
    expect(store.version).toBe(version);
    expect(store.bookkeepingVersion).toBe(2);
    const held = app.responseCache.stats.entries;
    expect(held).toBeGreaterThan(0);
    expect((await app.inject('/org/RCC')).body).toBe(before.body);
    expect(app.responseCache.stats.entries).toBe(held);
    expect((await app.inject('/status')).body).toContain('Cannot check');
    expect((await app.inject('/api/v1/status')).json().collections.find((c: { collection: string }) => c.collection === 'ae').attempts).toBe(1);
  });

  it('says when the server does not check the pages itself', async () => {
    const page = await (await appFor(await datedStore(), null)).inject('/status');
    expect(page.body).toContain('does not check the publication pages by itself');
  });
});

describe('freshness on the organisation and measure pages', { timeout: 30_000 }, () => {
  it('says how fresh the figures are, near the scorecard', async () => {
    const app = await appFor(await datedStore());
    for (const url of ['/org/RCC', '/org/RCC/ae_attendances']) {
      const page = await app.inject(url);
      expect(page.statusCode, url).toBe(200);
      expect(page.body, url).toContain('A&amp;E figures to May 2020, published 11 June 2020. <a href="/status">How fresh the data is</a>');
    }
  });
});
