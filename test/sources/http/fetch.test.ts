import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverAe } from '../../../src/sources/ae/discover.js';
import type { Effects, Publication } from '../../../src/sources/contract.js';
import { fetchPublications, type FetchedPublication, type FetchOptions, type FetchProgress } from '../../../src/sources/http/fetch.js';
import { siteEffects, startAeSite, syntheticAeCsv, UPLOADS, type AeSite } from '../../helpers/ae-site.js';
import { expectPlanwatchError } from '../../helpers/errors.js';

const FAST: FetchOptions = { retry: { attempts: 2, delayMs: 0 }, minIntervalMs: 0 };

let site: AeSite;
let cacheDir: string;
beforeEach(async () => {
  site = await startAeSite();
  cacheDir = await mkdtemp(path.join(tmpdir(), 'planwatch-fetch-'));
});
afterEach(async () => {
  await site.close();
  await rm(cacheDir, { recursive: true, force: true });
});

async function fetchAe(since = '2025-04', onProgress?: (p: FetchProgress) => void, options = FAST, io: Effects = siteEffects(site)) {
  const results: FetchedPublication[] = [];
  const discovered = discoverAe({ since, baseUrl: site.baseUrl, retry: FAST.retry! }, io);
  for await (const result of fetchPublications(discovered, cacheDir, io, onProgress, options)) results.push(result);
  return results;
}

const uploads = () => site.requests.filter((request) => request.path.startsWith(UPLOADS));

describe('fetchPublications(discoverAe(…), cacheDir, io)', () => {
  it('downloads each discovered CSV into the cache, in discovery order', async () => {
    const results = await fetchAe();
    expect(results.map((r) => r.publication.period)).toEqual(['2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-11', '2026-02', '2026-03']);
    expect(results.every((r) => !r.fromCache)).toBe(true);
    for (const result of results) {
      expect(await readFile(result.path, 'utf8')).toBe(syntheticAeCsv(new URL(result.publication.url).pathname));
    }
  });

  it('on a second run makes only conditional requests and downloads nothing', async () => {
    const first = await fetchAe();
    const before = uploads().length;
    const second = await fetchAe();
    const again = uploads().slice(before);
    expect(again).toHaveLength(first.length);
    expect(again.every((request) => request.headers['if-none-match'] !== undefined)).toBe(true);
    expect(second.every((r) => r.fromCache)).toBe(true);
    expect(second.map((r) => [r.path, r.sha256])).toEqual(first.map((r) => [r.path, r.sha256]));
  });

  it('downloads a publication again when its content changed, with the new checksum', async () => {
    const first = await fetchAe();
    const changed = `${UPLOADS}2025/06/Monthly-AE-May-2025.csv`;
    site.setBody(changed, syntheticAeCsv('May 2025, corrected'));
    const second = await fetchAe();
    const fresh = second.filter((r) => !r.fromCache);
    expect(fresh.map((r) => r.publication.name)).toEqual(['Monthly-AE-May-2025.csv']);
    expect(fresh[0]?.sha256).not.toBe(first.find((r) => r.publication.name === 'Monthly-AE-May-2025.csv')?.sha256);
  });

  it('reports progress per file and overall', async () => {
    const updates: FetchProgress[] = [];
    const results = await fetchAe('2025-04', (p) => updates.push(p));
    const last = updates.at(-1)!;
    expect(last.filesDone).toBe(8);
    expect(last.files).toBe(8);
    expect(last.received).toBe(results.reduce((sum, r) => sum + r.bytes, 0));
    expect(updates.every((u, i) => i === 0 || u.filesDone >= updates[i - 1]!.filesDone)).toBe(true);
    expect(updates.some((u) => u.file.total !== undefined && u.file.received === u.file.total && u.filesDone < u.files)).toBe(true);

    const cached: FetchProgress[] = [];
    await fetchAe('2025-04', (p) => cached.push(p));
    expect(cached.at(-1)).toMatchObject({ filesDone: 8, files: 8, received: 0 });
  });

  it('stops at the first file it cannot fetch, after yielding the ones before it', async () => {
    site.fail(`${UPLOADS}2025/07/Monthly-AE-June-2025-1-1.csv`, 'not-found');
    const results: FetchedPublication[] = [];
    const io = siteEffects(site);
    const run = async () => {
      for await (const result of fetchPublications(discoverAe({ since: '2025-04', baseUrl: site.baseUrl }, io), cacheDir, io, undefined, FAST)) {
        results.push(result);
      }
    };
    const error = await expectPlanwatchError(run, 'E_FETCH');
    expect(error.message).toContain('Monthly-AE-June-2025-1-1.csv: HTTP 404');
    expect(results.map((r) => r.publication.period)).toEqual(['2025-04', '2025-05']);
  });

  it('spaces its requests by minIntervalMs', async () => {
    const publications: Publication[] = ['A', 'B', 'C'].map((letter) => ({
      collection: 'ae',
      url: `${site.origin}${UPLOADS}2025/01/Synthetic-${letter}.csv`,
      name: `Synthetic-${letter}.csv`,
    }));
    const io = { ...siteEffects(site), now: () => new Date() };
    const started = Date.now();
    const results: FetchedPublication[] = [];
    for await (const result of fetchPublications(toAsync(publications), cacheDir, io, undefined, { ...FAST, minIntervalMs: 60 })) results.push(result);
    expect(results).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(120);
  });
});

async function* toAsync<T>(items: T[]): AsyncIterable<T> {
  yield* items;
}
