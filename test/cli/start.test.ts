import { mkdtempSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
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
    const run = await runCli('start', '--db', tempDb());
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('2 ingested, 0 already in the store, 0 skipped');
    expect(run.stdout).toMatch(/England — position as of 2024-09/);
    expect(run.stdout).toContain('Best trusts');
    expect(run.stdout).toContain('Worst trusts');
  });

  it('downloads the publications when the store is empty and no folder is named', async () => {
    site = await startAeSite();
    delete process.env.PLANWATCH_SOURCE;
    process.env.PLANWATCH_BASE_URL = site.baseUrl;
    // Keep ODS on this machine too: its reports are not served by the fixture site, so that
    // collection fails to fetch and start carries on with the others.
    process.env.PLANWATCH_ODS_URL = `${site.origin}/ods/getReport`;
    const run = await runCli('start', '--db', tempDb());
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/\d+ ae publications ingested/);
    expect(run.stdout).toContain('could not fetch ods');
    expect(run.stdout).toContain('England — position as of');
  }, 60_000);
});
