import { mkdtempSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { leadingMonth } from '../../src/assessment/guidance-years.js';
import { startAeSite, type AeSite } from '../helpers/ae-site.js';
import { runCli, tempDb } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';

describe('planwatch start', () => {
  const saved = { ...process.env };
  let site: AeSite | undefined;
  afterEach(async () => {
    process.env = { ...saved };
    await site?.close();
    site = undefined;
  });

  it('ingests PLANWATCH_SOURCE and shows England\'s position with the best and worst trusts', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'planwatch-source-'));
    for (const name of ['synthetic-ae-2020.csv', 'synthetic-ae-2020-booked.csv']) copyFileSync(fixturePath('ae', name), path.join(folder, name));
    process.env.PLANWATCH_SOURCE = folder;
    // Today pinned to December 2026, the figures ending in September 2024: this guidance year's
    // targets lead (2026/27, whose A&E target falls due in March 2027), not the figures' year's.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-04T09:00:00Z'));
    let run: Awaited<ReturnType<typeof runCli>>;
    try {
      run = await runCli('start', '--no-serve', '--db', tempDb());
    } finally {
      vi.useRealTimers();
    }
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('2 ingested, 0 already in the store, 0 skipped');
    expect(run.stdout).toMatch(/England — position as of 2024-09/);
    const firstLine = run.stdout.split('England — position as of 2024-09\n')[1]!.split('\n')[0]!;
    expect(firstLine).toContain('within 4 hours in March 2027');
    expect(run.stdout).toMatch(/\(and \d+ targets? of guidance years before 2026\/27: `planwatch status ENG` lists them\)/);
    expect(run.stdout).toContain('Best trusts');
    expect(run.stdout).toContain('Worst trusts');
    // Only trusts running a major (type 1) emergency department are compared.
    expect(run.stdout).toMatch(/Best trusts \(.*trusts with a major emergency department/);
    expect(run.stdout).not.toContain('Y00001');
  });

  it('downloads the publications when the store is empty and no folder is named', async () => {
    site = await startAeSite();
    delete process.env.PLANWATCH_SOURCE;
    process.env.PLANWATCH_BASE_URL = site.baseUrl;
    // Keep ODS on this machine too: its reports are not served by the fixture site, so that
    // collection fails to fetch and start carries on with the others.
    process.env.PLANWATCH_ODS_URL = `${site.origin}/ods/getReport`;
    const run = await runCli('start', '--no-serve', '--db', tempDb());
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/\d+ ae publications ingested/);
    expect(run.stdout).toContain('could not fetch ods');
    expect(run.stdout).toContain('England — position as of');
    // The guidance year of today, or of the figures if later, leads (not the first targets file,
    // 2024/25): its A&E target falls due in the March that ends it.
    const period = /England — position as of (\d{4}-\d{2})/.exec(run.stdout)![1]!;
    const [year, month] = leadingMonth(period, new Date()).split('-').map(Number) as [number, number];
    const firstLine = run.stdout.split(/England — position as of \d{4}-\d{2}\n/)[1]!.split('\n')[0]!;
    expect(firstLine).toContain(`within 4 hours in March ${month >= 4 ? year + 1 : year}`);
  }, 60_000);
});

describe('npm start (planwatch start)', () => {
  it('ends by serving the dashboard, which answers on the address it prints', async () => {
    const { spawn } = await import('node:child_process');
    const folder = mkdtempSync(path.join(tmpdir(), 'planwatch-source-'));
    copyFileSync(fixturePath('ae', 'synthetic-ae-2020-booked.csv'), path.join(folder, 'synthetic-ae-2020-booked.csv'));
    const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('src/cli/main.ts'), 'start', '--db', tempDb()], {
      env: { ...process.env, PLANWATCH_SOURCE: folder, PORT: '0', HOST: '127.0.0.1', PLANWATCH_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /serving .* on (http:\/\/\S+)/.exec(out);
          if (match) resolve(match[1]!);
        });
        child.once('exit', (code) => reject(new Error(`start exited with ${code} before serving:\n${out}`)));
      });
      const response = await fetch(url.replace('localhost', '127.0.0.1'));
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('England against each target');
    } finally {
      child.kill('SIGTERM');
    }
  }, 60_000);
});
