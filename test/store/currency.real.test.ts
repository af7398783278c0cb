import { describe, expect, it } from 'vitest';
import { ingestPath } from '../../src/store/ingest.js';
import { Store } from '../../src/store/store.js';
import { runCli, tempDb } from '../helpers/cli.js';
import { realDataDir, realPath } from '../helpers/real-data.js';

const FIRST = '2025-08_August-2025-CSV-g5tyh-v2.0.csv';
const REVISED = '2025-08_August-2025-CSV-revised.csv';

interface Version {
  file: string;
  published: string | null;
  edition: string | null;
  current: boolean;
  value: number | null;
}

describe.skipIf(!realDataDir)('latest publication wins, on the real files', () => {
  it.each([
    ['first release, then revision', [FIRST, REVISED]],
    ['revision, then first release', [REVISED, FIRST]],
  ])('keeps the August 2025 A&E revision current (%s) and history lists both', async (_order, files) => {
    const db = tempDb();
    for (const file of files) {
      const run = await runCli('ingest', '--db', db, realPath('ae_monthly', file));
      expect(run.code, run.stderr).toBe(0);
    }
    // RTD is the trust whose cells the revision changed (attendances at other A&E departments).
    const run = await runCli('history', 'RTD', 'ae_attendances', '--period', '2025-08', '--db', db, '--json');
    expect(run.code, run.stderr).toBe(0);
    const versions = JSON.parse(run.stdout) as Version[];
    expect(versions.map((v) => [v.file, v.edition, v.current])).toEqual([
      [FIRST, null, false],
      [REVISED, 'revised', true],
    ]);
    expect(versions[0]!.value).not.toBe(versions[1]!.value);
    const series = await runCli('series', 'RTD', 'ae_attendances', '--from', '2025-08', '--to', '2025-08', '--db', db, '--json');
    expect(JSON.parse(series.stdout)[0].value).toBe(versions[1]!.value);
    const table = await runCli('history', 'RTD', 'ae_attendances', '--period', '2025-08', '--db', db);
    expect(table.stdout).toMatch(/revised\s+.*current/);
  });

  it('does not let the provisional CWT extract replace the Final July 2025 workbook', async () => {
    const store = await Store.open(':memory:');
    const workbook = await ingestPath(store, realPath('cancer_cwt', 'provider', '2025-07_JULY-2025-CWT-CRS-PROVIDER-WORKBOOK-FINAL.xlsx'));
    const extract = await ingestPath(store, realPath('cancer_cwt', 'data_extract_provider', '2025-04_to_2025-07_CWT-CRS-Apr-2025-to-Jul-2025-Data-Extract-Provider.xlsx'));
    expect(workbook.publication).toEqual({ edition: 'final' });
    expect(extract.publication).toEqual({ edition: 'provisional' });
    expect(extract.collection).toBe(workbook.collection);
    // The extract is the only publication of April to June here, so those months are its.
    expect(extract.changed).toEqual(['2025-04', '2025-05', '2025-06']);
    const current = await store.all<{ period: string; name: string }>(
      `SELECT p.period, f.name FROM file_periods p JOIN files f USING (file_id) WHERE p.superseded_by IS NULL AND p.collection = $1 ORDER BY p.period`, [workbook.collection]);
    expect(current.find((row) => row.period === '2025-07')?.name).toBe('2025-07_JULY-2025-CWT-CRS-PROVIDER-WORKBOOK-FINAL.xlsx');
    store.close();
  });

  it.each([
    ['2024-08_Monthly-Diagnostics-Web-File-Provider-August-2024.xls', { published: '2025-07-10', edition: 'revised', source: 'file' }],
    ['2025-07_Monthly-Diagnostics-Web-File-Provider-July-2025_L8FLO.xls', { published: '2025-09-11', edition: 'first', source: 'file' }],
  ])('reads the publication date and edition from the DM01 cover rows of %s', async (name, publication) => {
    const store = await Store.open(':memory:');
    expect((await ingestPath(store, realPath('diagnostics_dm01', name))).publication).toEqual(publication);
    store.close();
  });

});
