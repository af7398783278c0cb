import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getStatus } from '../../../src/assessment/index.js';
import { measureById } from '../../../src/measures/index.js';
import { measureValues } from '../../../src/measures/query.js';
import { bandQuantile } from '../../../src/measures/waiting-time.js';
import { cellText } from '../../../src/sources/cells.js';
import { readCsv } from '../../../src/sources/csv/read.js';
import { parseBandHeader } from '../../../src/sources/rtt/bands.js';
import { readSheets } from '../../../src/sources/workbook.js';
import { ingestPath, ingestFile } from '../../../src/store/ingest.js';
import { Store } from '../../../src/store/store.js';
import { runCli, tempDb } from '../../helpers/cli.js';
import { realDataDir, realPath } from '../../helpers/real-data.js';

const SUBSET = ['rtt', 'full_extract_subset', '2024-11_20241130-RTT-November-2024-RBD.csv'];
const NON_ADMITTED = ['rtt', 'provider_workbooks', '2025-09_NonAdmitted-Provider-Sep25-XLSX-4M-87700.xlsx'];

describe.skipIf(!realDataDir)('RTT full CSV extract, one-trust subset (real data)', () => {
  let store: Store;
  beforeAll(async () => {
    store = await Store.open(':memory:');
    await ingestPath(store, realPath(...SUBSET));
  });
  afterAll(() => store.close());

  it("gives RBD's November 2024 waiting list as 21,702", async () => {
    const [rbd] = await measureValues(store, measureById('rtt_waiting'), { level: 'trust', orgs: ['RBD'] });
    expect(rbd).toMatchObject({ period: '2024-11', value: 21702 });
  });

  it('agrees with the file\'s own rows: C_999 over commissioners, and the treatment functions summed', async () => {
    const [header, ...rows] = readCsv('subset', await readFile(realPath(...SUBSET)));
    const at = (name: string) => header!.cells.indexOf(name);
    const incomplete = rows.filter((row) => row.cells[at('RTT Part Type')] === 'Part_2');
    const sum = (selected: typeof rows) => selected.reduce((total, row) => total + Number(row.cells[at('Total All')]), 0);
    const allFunctions = sum(incomplete.filter((row) => row.cells[at('Treatment Function Code')] === 'C_999'));
    const byFunction = sum(incomplete.filter((row) => row.cells[at('Treatment Function Code')] !== 'C_999'));
    expect(allFunctions).toBe(byFunction);
    const [ours] = await measureValues(store, measureById('rtt_waiting'), { level: 'trust', orgs: ['RBD'] });
    expect(ours!.value).toBe(allFunctions);
    // One trust's rows are not England's waiting list: no England figure, and the reason given.
    const [england] = await measureValues(store, measureById('rtt_waiting'), { level: 'england' });
    expect(england).toMatchObject({ value: null, note: expect.stringContaining('only 1 provider of the national extract') });
  });

  it('counts long waiters and the 18-week share from the same bands', async () => {
    const value = async (id: string) => (await measureValues(store, measureById(id), { level: 'trust', orgs: ['RBD'] }))[0]!.value!;
    const within = await value('rtt_18wk');
    const over52 = await value('rtt_52wk');
    expect(await value('rtt_52wk_share')).toBeCloseTo((100 * over52) / 21702, 10);
    expect(within).toBeGreaterThan(0);
    expect(await value('rtt_65wk')).toBeLessThanOrEqual(over52);
    expect(await value('rtt_78wk')).toBeLessThanOrEqual(await value('rtt_65wk'));
  });

  it("sets RBD's 2025/26 threshold at max(60, its November 2024 share within 18 weeks + 5)", async () => {
    const [baseline] = await measureValues(store, measureById('rtt_18wk'), { level: 'trust', orgs: ['RBD'], from: '2024-11', to: '2024-11' });
    const expected = Math.max(60, baseline!.value! + 5);
    const line = (await getStatus(store, 'RBD', { period: '2024-11' })).lines.find((l) => l.targetId === 'pg2526-rtt-18wk-trust');
    expect(line).toMatchObject({ threshold: expected, value: baseline!.value, final: false });
  });

  it('prints that threshold in `planwatch status RBD --period 2024-11`', async () => {
    const db = tempDb();
    expect((await runCli('ingest', '--db', db, realPath(...SUBSET))).code).toBe(0);
    const run = await runCli('status', 'RBD', '--period', '2024-11', '--db', db);
    expect(run.code, run.stderr).toBe(0);
    const [baseline] = await measureValues(store, measureById('rtt_18wk'), { level: 'trust', orgs: ['RBD'] });
    const line = run.stdout.split('\n').find((text) => text.startsWith('Each trust 5 points above'));
    expect(line).toContain(`>= ${Math.max(60, baseline!.value! + 5).toFixed(1)}%`);
    expect(line).toMatch(/Over 65 weeks: \d+; Over 78 weeks: \d+; Over 104 weeks: \d+/);
  });
});

describe.skipIf(!realDataDir)('RTT completed-pathway workbooks (real data)', () => {
  it('reproduces every median and 95th percentile NHS England publishes in the non-admitted provider workbook', async () => {
    const name = NON_ADMITTED.at(-1)!;
    const sheets = await readSheets(name, await readFile(realPath(...NON_ADMITTED)), ['Provider', 'IS Provider']);
    let checked = 0;
    for (const sheet of sheets) {
      const headerAt = sheet.rows.findIndex((row) => row.map(cellText).includes('>0-1'));
      const header = sheet.rows[headerAt]!.map(cellText);
      const bands = header.flatMap((column, index) => {
        const bounds = parseBandHeader(column);
        return bounds ? [{ ...bounds, index }] : [];
      });
      const median = header.indexOf('Average (median) waiting time (in weeks)');
      const p95 = header.indexOf('95th percentile waiting time (in weeks)');
      for (const row of sheet.rows.slice(headerAt + 1)) {
        // "-" where a provider completed no pathways in a treatment function.
        if (typeof row[median] !== 'number' || typeof row[p95] !== 'number') continue;
        const counted = bands.map((band) => ({ from: band.from, to: band.to, count: row[band.index] as number }));
        expect(bandQuantile(counted, 0.5)).toBeCloseTo(row[median] as number, 6);
        expect(bandQuantile(counted, 0.95)).toBeCloseTo(row[p95] as number, 6);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(3000);
  });

  it('turns the completed-pathway workbooks away as a different measure, storing nothing', async () => {
    const store = await Store.open(':memory:');
    try {
      for (const parts of [NON_ADMITTED, ['rtt', 'commissioner_workbooks', '2024-12_Admitted-Commissioner-Dec24-XLSX-2M-revised.xlsx']]) {
        const bytes = await readFile(realPath(...parts));
        await expect(ingestFile(store, { name: parts.at(-1)!, bytes })).rejects.toMatchObject({ code: 'E_UNKNOWN_COLLECTION', message: expect.stringMatching(/completed (non-)?admitted pathways/) });
      }
      expect((await store.one<{ n: bigint }>('SELECT count(*) AS n FROM observations'))!.n).toBe(0n);
    } finally {
      store.close();
    }
  });
});
