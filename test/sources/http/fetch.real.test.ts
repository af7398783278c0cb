import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AE_LANDING_PATH, discoverAe } from '../../../src/sources/ae/discover.js';
import type { Effects } from '../../../src/sources/contract.js';
import { fetchPublications, type FetchedPublication } from '../../../src/sources/http/fetch.js';
import { realDataDir } from '../../helpers/real-data.js';
import { fetchOnly, startLocalServer, type LocalServer } from '../../helpers/local-server.js';

/**
 * The real A&E CSVs, served under their published names from a local server behind a page
 * that links them all, go through discovery and the download cache byte for byte: each
 * cached file has the SHA-256 that data/SHA256SUMS records (BOMs and CRLFs intact), and each
 * is given the data month its shared-folder prefix states.
 */
describe.skipIf(!realDataDir)('discoverAe + fetchPublications over the real A&E CSVs', () => {
  const dir = path.join(realDataDir ?? '', 'ae_monthly');
  const files = realDataDir ? readdirSync(dir).filter((file) => file.endsWith('.csv')) : [];
  const published = (file: string) => file.replace(/^\d{4}-\d{2}_/, '');
  const yearPage = `/${AE_LANDING_PATH}ae-attendances-and-emergency-admissions-2019-20-to-2025-26/`;
  let server: LocalServer;
  let cacheDir: string;
  let results: FetchedPublication[];

  beforeAll(async () => {
    server = await startLocalServer((request, response) => {
      const at = decodeURIComponent(new URL(request.url ?? '/', 'http://local').pathname);
      if (at === `/${AE_LANDING_PATH}`) {
        response.end(`<a href="${yearPage}">Monthly A&amp;E Attendances and Emergency Admissions</a>`);
      } else if (at === yearPage) {
        response.end(files.map((file) => `<p><a href="/statistics/wp-content/uploads/sites/2/${published(file)}">CSV</a></p>`).join('\n'));
      } else {
        const file = files.find((candidate) => at.endsWith(`/${published(candidate)}`));
        if (file) response.end(readFileSync(path.join(dir, file)));
        else response.writeHead(404).end();
      }
    });
    cacheDir = await mkdtemp(path.join(tmpdir(), 'planwatch-real-fetch-'));
    const io: Effects = { fetch: fetchOnly(server.origin), logger: { info() {}, warn() {}, debug() {} } as unknown as Effects['logger'], now: () => new Date() };
    results = [];
    const discovered = discoverAe({ baseUrl: server.origin, retry: { attempts: 1, delayMs: 0 } }, io);
    for await (const result of fetchPublications(discovered, cacheDir, io, undefined, { minIntervalMs: 0 })) results.push(result);
  });

  afterAll(async () => {
    await server?.close();
    if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
  });

  it('finds and downloads all 75 files (August 2025 in two editions)', () => {
    expect(results).toHaveLength(files.length);
    expect(files).toHaveLength(75);
  });

  it('keeps every byte: checksums equal data/SHA256SUMS', async () => {
    const sums = new Map(
      readFileSync(path.join(realDataDir!, 'SHA256SUMS'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => line.split(/\s+\.\//))
        .map(([sum, file]) => [path.basename(file!), sum!]),
    );
    for (const result of results) {
      const file = files.find((candidate) => published(candidate) === result.publication.name)!;
      expect(result.sha256, file).toBe(sums.get(file));
      expect((await readFile(result.path)).equals(readFileSync(path.join(dir, file))), file).toBe(true);
    }
  });

  it('gives each the data month of its name, in order', () => {
    expect(results.map((r) => r.publication.period)).toEqual(files.map((file) => file.slice(0, 7)));
  });
});
