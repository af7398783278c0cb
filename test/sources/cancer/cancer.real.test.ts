import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { levelOfCode } from '../../../src/dimensions.js';
import { measureById } from '../../../src/measures/index.js';
import { measureValues } from '../../../src/measures/query.js';
import { cwt, cwtCommissioner } from '../../../src/sources/cancer/index.js';
import type { Observation } from '../../../src/sources/contract.js';
import { ingestPath } from '../../../src/store/ingest.js';
import type { Store } from '../../../src/store/store.js';
import { collect, sourceFile } from '../../helpers/fixtures.js';
import { realDataDir, realPath } from '../../helpers/real-data.js';
import { memoryStore } from '../../helpers/store.js';

const folder = (name: string) => (realDataDir ? readdirSync(realPath('cancer_cwt', name)).sort().map((file) => realPath('cancer_cwt', name, file)) : []);
const providers = folder('provider');
const commissioners = folder('commissioner');
const extract = (prefix: string) => folder('data_extract_provider').find((file) => path.basename(file).startsWith(prefix))!;
const STANDARDS = ['cwt_fds', 'cwt_31d', 'cwt_62d', 'cwt_62d_over_104d'];

async function observationsOf(file: string, plugin = cwt): Promise<Observation[]> {
  const { items } = await collect(plugin.parse(sourceFile(path.basename(file), readFileSync(file)), plugin.options.parse({})));
  return items.flatMap((item) => (item.kind === 'observation' ? [item.observation] : []));
}

describe.skipIf(!realDataDir)('Cancer Waiting Times on the real NHS England files', () => {
  let store: Store;
  // April – September 2024 (to compare with the Final extract of those months) and March 2025.
  const inStore = providers.filter((file) => /\/(2024-0[4-9]|2025-03)_/.test(file));

  beforeAll(async () => {
    store = await memoryStore();
    for (const file of [...inStore, commissioners.find((file) => path.basename(file).startsWith('2025-03'))!]) await ingestPath(store, file);
  }, 300_000);

  it('gives England\'s March 2025 headlines as NHS England published them: FDS 78.97%, 62-day 71.43%', async () => {
    const [fds] = await measureValues(store, measureById('cwt_fds'), { level: 'england', from: '2025-03', to: '2025-03' });
    const [d62] = await measureValues(store, measureById('cwt_62d'), { level: 'england', from: '2025-03', to: '2025-03' });
    expect(fds!.value!.toFixed(2)).toBe('78.97');
    expect(d62!.value!.toFixed(2)).toBe('71.43');
    // The 62-day counts carry shared patients' halves.
    expect(Number.isInteger(d62!.denominator)).toBe(false);
  });

  it('matches the file\'s own England row with the sum of all its providers, independent providers included, every month and standard', async () => {
    for (const id of STANDARDS) {
      const measure = measureById(id);
      const sums = await measureValues(store, measure, { level: 'england' });
      expect(sums).toHaveLength(inStore.length);
      for (const sum of sums) {
        const published = await store.all<{ metric: string; value: number }>(
          "SELECT metric, value FROM current_observations WHERE collection = 'cwt' AND org = 'ENG' AND period = $1", [sum.period]);
        const of = (field: string | undefined) => published.find((row) => row.metric === field)?.value;
        expect([id, sum.period, sum.numerator]).toEqual([id, sum.period, of(measure.numerator[0]!.field)]);
        if (measure.denominator) expect([id, sum.period, sum.denominator]).toEqual([id, sum.period, of(measure.denominator[0]!.field)]);
        expect(sum.members!.some((org) => levelOfCode(org) === 'provider')).toBe(true);
      }
    }
  });

  it('reads every provider and commissioner workbook of October 2023 – September 2025, each reconciled with its England row', async () => {
    expect([providers.length, commissioners.length]).toEqual([24, 24]);
    for (const file of providers) expect((await observationsOf(file)).some((o) => o.org === 'ENG'), path.basename(file)).toBe(true);
    for (const file of commissioners) expect((await observationsOf(file, cwtCommissioner)).some((o) => o.org === 'ENG'), path.basename(file)).toBe(true);
  }, 600_000);

  it('gives the commissioner basis the same England figures, split by ICB, commissioning hub and unknown', async () => {
    const [icbSide] = await measureValues(store, measureById('cwt_62d_commissioner'), { level: 'england', from: '2025-03', to: '2025-03' });
    const [providerSide] = await measureValues(store, measureById('cwt_62d'), { level: 'england', from: '2025-03', to: '2025-03' });
    expect([icbSide!.numerator, icbSide!.denominator]).toEqual([providerSide!.numerator, providerSide!.denominator]);
    const icbs = await measureValues(store, measureById('cwt_62d_commissioner'), { level: 'icb', from: '2025-03', to: '2025-03' });
    expect(icbs.length).toBeGreaterThan(40);
    const rows = await store.all<{ org: string }>("SELECT DISTINCT org FROM current_observations WHERE collection = 'cwt_commissioner' AND org <> 'ENG'");
    expect(rows.some((row) => row.org === 'UNKNOWN')).toBe(true);
    expect(rows.some((row) => /^1[0-9][A-Z]$/.test(row.org))).toBe(true);
  });

  it('finds the Final April – September 2024 extract equal, provider by provider, to the Final workbooks', async () => {
    const fromExtract = await observationsOf(extract('2024-04'));
    expect(new Set(fromExtract.map((o) => o.period)).size).toBe(6);
    const stored = await store.all<{ metric: string; org: string; period: string; value: number }>(
      "SELECT metric, org, period, value FROM current_observations WHERE collection = 'cwt' AND period BETWEEN '2024-04' AND '2024-09' AND metric <> 'd62_after_104' AND org <> 'ENG'");
    const key = (o: { metric: string; org: string; period: string }) => `${o.period} ${o.org} ${o.metric}`;
    expect(new Map(fromExtract.map((o) => [key(o), o.value]))).toEqual(new Map(stored.map((o) => [key(o), o.value])));
  });

  it('finds the October 2024 – March 2025 extract provisional: its March 2025 figures are not the Final workbook\'s', async () => {
    const march = (await observationsOf(extract('2024-10'))).filter((o) => o.period === '2025-03' && o.metric === 'fds_total');
    const [final] = await measureValues(store, measureById('cwt_fds'), { level: 'england', from: '2025-03', to: '2025-03' });
    const extractTotal = march.reduce((sum, o) => sum + o.value!, 0);
    expect(extractTotal).not.toBe(final!.denominator);
  });
});
