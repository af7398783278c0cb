import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAeSite, type AeSite } from '../helpers/ae-site.js';
import { runCli, tempDb } from '../helpers/cli.js';

describe('planwatch fetch ae', () => {
  let site: AeSite;
  const saved = { ...process.env };
  beforeEach(async () => {
    site = await startAeSite();
    process.env.PLANWATCH_BASE_URL = site.baseUrl;
  });
  afterEach(async () => {
    process.env = { ...saved };
    await site.close();
  });

  it('discovers, downloads and ingests the monthly CSVs, and a second run changes nothing', async () => {
    const db = tempDb();
    const first = await runCli('fetch', 'ae', '--since', '2025-01', '--db', db, '--json');
    expect(first.code, first.stderr).toBe(0);
    const outcomes = JSON.parse(first.stdout) as { url: string; fromCache: boolean; result: { status: string; periods: string[] } }[];
    expect(outcomes.length).toBeGreaterThan(0);
    // One fixture file's name carries no month (discovery dates it by its heading), so the
    // synthetic server cannot put a real month inside it.
    const early = outcomes.filter((o) => o.result.periods[0]! < '2025-01').map((o) => o.url.split('/').pop());
    expect(early).toEqual(['Monthly-AE-CSV-synthetic-x7Yq2.csv']);
    expect(outcomes.some((o) => o.result.status === 'ingested')).toBe(true);

    const second = JSON.parse((await runCli('fetch', 'ae', '--since', '2025-01', '--db', db, '--json')).stdout) as typeof outcomes;
    expect(second.every((o) => o.fromCache && o.result.status === 'unchanged')).toBe(true);
  }, 30_000);

  it('spaces its downloads by PLANWATCH_FETCH_INTERVAL_MS', async () => {
    // Far above the default (250 ms) and above the ingest between two downloads, so that a fetch
    // ignoring the setting would show shorter gaps.
    process.env.PLANWATCH_FETCH_INTERVAL_MS = '800';
    const run = await runCli('fetch', 'ae', '--since', '2026-02', '--db', tempDb(), '--json');
    expect(run.code, run.stderr).toBe(0);
    const downloads = site.requests.filter((request) => request.path.endsWith('.csv')).map((request) => request.at);
    expect(downloads.length).toBeGreaterThan(1);
    const gaps = downloads.slice(1).map((at, index) => at - downloads[index]!);
    // The synthetic site notes a request when its handler runs, on the event loop this in-process
    // CLI shares, so one request can be noted late and the next gap looks short by that much (a
    // CI run saw 793.7 ms). The bound allows for that and stays far above the default of 250 ms.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(600);
  });

  it('exits 4 when NHS England cannot be reached', async () => {
    process.env.PLANWATCH_BASE_URL = 'http://127.0.0.1:9/';
    const run = await runCli('fetch', 'ae', '--db', tempDb());
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('127.0.0.1:9');
  });

  it('refuses a collection that cannot be fetched', async () => {
    const run = await runCli('fetch', 'nonsense', '--db', tempDb());
    expect(run.code).toBe(2);
  });
});
