import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DownloadCache, safeFileName, type FileProgress } from '../../../src/sources/http/download.js';
import type { RetryPolicy } from '../../../src/sources/http/request.js';
import { siteEffects, startAeSite, syntheticAeCsv, UPLOADS, type AeSite } from '../../helpers/ae-site.js';
import { expectPlanwatchError } from '../../helpers/errors.js';

const NO_DELAY: RetryPolicy = { attempts: 2, delayMs: 0 };
const FILE = `${UPLOADS}2024/05/Monthly-AE-April-2024.csv`;

let site: AeSite;
let cacheDir: string;
beforeEach(async () => {
  site = await startAeSite();
  cacheDir = await mkdtemp(path.join(tmpdir(), 'planwatch-cache-'));
});
afterEach(async () => {
  await site.close();
  await rm(cacheDir, { recursive: true, force: true });
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function download(at = FILE, progress?: (p: FileProgress) => void) {
  const cache = await DownloadCache.open(cacheDir, siteEffects(site));
  const url = `${site.origin}${at}`;
  return cache.download({ url, name: at.split('/').pop()! }, siteEffects(site), progress, NO_DELAY);
}

/** Everything in the cache folder apart from the index: no partial file may remain. */
async function cachedFiles(): Promise<string[]> {
  const entries = await readdir(cacheDir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile() && entry.name !== 'index.json').map((entry) => entry.name);
}

describe('DownloadCache.download(target, io)', () => {
  it('stores the bytes under their checksum and records them in the index', async () => {
    const result = await download();
    const body = syntheticAeCsv(FILE);
    expect(result).toMatchObject({ sha256: sha256(body), bytes: Buffer.byteLength(body), fromCache: false });
    expect(result.path).toBe(path.join(cacheDir, 'files', sha256(body), 'Monthly-AE-April-2024.csv'));
    expect(await readFile(result.path, 'utf8')).toBe(body);

    const index = JSON.parse(await readFile(path.join(cacheDir, 'index.json'), 'utf8'));
    expect(index.entries[`${site.origin}${FILE}`]).toEqual({
      file: path.join('files', sha256(body), 'Monthly-AE-April-2024.csv'),
      sha256: sha256(body),
      bytes: Buffer.byteLength(body),
      etag: expect.stringMatching(/^".+"$/),
      lastModified: 'Thu, 14 Aug 2025 08:30:00 GMT',
      fetchedAt: '2026-06-11T09:30:00.000Z',
      checkedAt: '2026-06-11T09:30:00.000Z',
    });
  });

  it('sends a descriptive User-Agent', async () => {
    await download();
    expect(site.requests[0]?.headers['user-agent']).toMatch(/^Planwatch\/\S+ \(.+\)/);
  });

  it('asks again conditionally and keeps the cached copy on 304', async () => {
    const first = await download();
    const second = await download();
    expect(second).toEqual({ ...first, fromCache: true });
    const [, conditional] = site.requests;
    expect(conditional?.headers['if-none-match']).toMatch(/^".+"$/);
    expect(conditional?.headers['if-modified-since']).toBe('Thu, 14 Aug 2025 08:30:00 GMT');
  });

  it('uses If-Modified-Since alone when the server sends no ETag', async () => {
    site.validators = 'last-modified';
    await download();
    const second = await download();
    expect(second.fromCache).toBe(true);
    expect(site.requests[1]?.headers['if-none-match']).toBeUndefined();
  });

  it('downloads again without conditions when the server gives no validators', async () => {
    site.validators = 'none';
    await download();
    const second = await download();
    expect(second.fromCache).toBe(false);
    expect(site.requests[1]?.headers['if-modified-since']).toBeUndefined();
  });

  it('keeps a changed file beside the old one, under its new checksum', async () => {
    const first = await download();
    site.setBody(FILE, syntheticAeCsv('changed content'));
    const second = await download();
    expect(second.fromCache).toBe(false);
    expect(second.sha256).toBe(sha256(syntheticAeCsv('changed content')));
    expect(second.sha256).not.toBe(first.sha256);
    expect(await readFile(first.path, 'utf8')).toBe(syntheticAeCsv(FILE));
    expect((await DownloadCache.open(cacheDir, siteEffects(site))).entry(`${site.origin}${FILE}`)?.sha256).toBe(second.sha256);
  });

  it('stores the same bytes under two URLs once', async () => {
    const other = `${UPLOADS}2025/07/Monthly-AE-June-2025-1-1.csv`;
    site.setBody(other, syntheticAeCsv(FILE));
    const first = await download(FILE);
    const second = await download(other);
    expect(second.path).toBe(first.path);
    expect(await cachedFiles()).toEqual(['Monthly-AE-April-2024.csv']);
  });

  it('downloads again when the cached file has gone or been altered', async () => {
    const first = await download();
    await writeFile(first.path, 'tampered');
    const second = await download();
    expect(second.fromCache).toBe(false);
    expect(await readFile(second.path, 'utf8')).toBe(syntheticAeCsv(FILE));
    expect(site.requests[1]?.headers['if-none-match']).toBeUndefined();
  });

  it('starts a new index when the old one is unreadable, with a warning', async () => {
    await writeFile(path.join(cacheDir, 'index.json'), '{ not json');
    const io = siteEffects(site);
    const cache = await DownloadCache.open(cacheDir, io);
    expect(cache.entry(`${site.origin}${FILE}`)).toBeUndefined();
    expect(io.warnings[0]).toContain('unreadable');
  });

  it('reports bytes received against the Content-Length', async () => {
    const seen: FileProgress[] = [];
    const result = await download(FILE, (p) => seen.push(p));
    expect(seen.at(-1)).toEqual({ url: `${site.origin}${FILE}`, name: 'Monthly-AE-April-2024.csv', received: result.bytes, total: result.bytes });
  });
});

describe('DownloadCache.download failures', () => {
  it('turns a 404 into E_FETCH naming the URL and status, and stores nothing', async () => {
    const missing = `${UPLOADS}2024/05/Monthly-AE-April-2024.xlsx`;
    const error = await expectPlanwatchError(() => download(missing), 'E_FETCH', { file: `${site.origin}${missing}` });
    expect(error.message).toBe(`Could not fetch ${site.origin}${missing}: HTTP 404 Not Found.`);
    expect(site.requests).toHaveLength(1);
    expect(await cachedFiles()).toEqual([]);
  });

  it('refuses a body cut off before its Content-Length and leaves no partial file', async () => {
    site.fail(FILE, 'truncate');
    const error = await expectPlanwatchError(() => download(), 'E_FETCH', { file: `${site.origin}${FILE}` });
    expect(error.message).toMatch(/the download stopped after \d+ of \d+ bytes/);
    expect(site.requests).toHaveLength(2);
    expect(await cachedFiles()).toEqual([]);
    expect(await DownloadCache.open(cacheDir, siteEffects(site)).then((cache) => cache.entry(`${site.origin}${FILE}`))).toBeUndefined();
  });

  it('checks the Content-Length even when the connection itself reports no error', async () => {
    // A fetch that ends the body early without an error, which Node's own fetch never does.
    const io = { ...siteEffects(site), fetch: async () => new Response('Period,Org Code', { headers: { 'content-length': '400' } }) };
    const cache = await DownloadCache.open(cacheDir, io);
    const url = `${site.origin}${FILE}`;
    const error = await expectPlanwatchError(() => cache.download({ url, name: 'x.csv' }, io, undefined, NO_DELAY), 'E_FETCH', { file: url });
    expect(error.message).toBe(`Could not fetch ${url}: the download stopped after 15 of 400 bytes.`);
    expect(await cachedFiles()).toEqual([]);
  });

  it('turns a connection the server closes into E_FETCH', async () => {
    site.fail(FILE, 'close');
    const error = await expectPlanwatchError(() => download(), 'E_FETCH', { file: `${site.origin}${FILE}` });
    expect(error.message).toContain('the connection failed');
    expect(await cachedFiles()).toEqual([]);
  });

  it('refuses an empty file', async () => {
    site.fail(FILE, 'empty');
    const error = await expectPlanwatchError(() => download(), 'E_FETCH');
    expect(error.message).toContain('empty');
  });

  it('recovers when a second attempt succeeds', async () => {
    site.fail(FILE, 'truncate', 1);
    const result = await download();
    expect(await readFile(result.path, 'utf8')).toBe(syntheticAeCsv(FILE));
    expect(site.requests).toHaveLength(2);
  });

  it('keeps the cached copy when a later check fails', async () => {
    const first = await download();
    site.fail(FILE, 'close');
    await expectPlanwatchError(() => download(), 'E_FETCH');
    expect(await readFile(first.path, 'utf8')).toBe(syntheticAeCsv(FILE));
  });
});

describe('safeFileName(name)', () => {
  it.each([
    ['Monthly-AE-June-2025-1-1.csv', 'Monthly-AE-June-2025-1-1.csv'],
    ['../../etc/passwd', 'passwd'],
    ['A&E data March 2024.csv', 'A_E_data_March_2024.csv'],
    ['.hidden', 'hidden'],
    ['', 'download'],
  ])('%s → %s', (name, safe) => {
    expect(safeFileName(name)).toBe(safe);
  });
});
