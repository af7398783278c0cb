import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureById } from '../../src/measures/index.js';
import { measureValues } from '../../src/measures/query.js';
import { bandQuantile } from '../../src/measures/waiting-time.js';
import { ingestFile } from '../../src/store/ingest.js';
import { Store } from '../../src/store/store.js';
import { HEADER, IS_ROWS, PROVIDER_ROWS, incompleteProviderSheets } from '../fixtures/rtt/synthetic-incomplete-provider.js';
import { writeWorkbook, type FixtureCell } from '../helpers/xlsx.js';

/** Band counts of a fixture C_999 row, as the week bands the measures use. */
function bandsOf(...rows: FixtureCell[][]) {
  const first = HEADER.indexOf('>0-1');
  return Array.from({ length: 105 }, (_, i) => ({
    from: i, to: i < 104 ? i + 1 : null,
    count: rows.reduce((sum, row) => sum + (row[first + i] as number), 0),
  }));
}

describe('RTT measures over levels (synthetic Incomplete Provider workbook)', () => {
  let store: Store;
  const r0x = PROVIDER_ROWS[2]!;
  const r2x = PROVIDER_ROWS[4]!;
  const nt9 = IS_ROWS[1]!;

  beforeAll(async () => {
    store = await Store.open(':memory:');
    await ingestFile(store, { name: 'Incomplete-Provider-Nov24-synthetic.xlsx', bytes: await writeWorkbook(incompleteProviderSheets()) });
  });
  afterAll(() => store.close());

  const one = async (id: string, level: 'england' | 'region' | 'provider', org: string) =>
    (await measureValues(store, measureById(id), { level, orgs: [org] }))[0]?.value;

  it('adds up waiting lists and long waiters for regions and England', async () => {
    expect(await one('rtt_waiting', 'england', 'ENG')).toBe(53);
    expect(await one('rtt_waiting', 'region', 'Y56')).toBe(43);
    expect(await one('rtt_65wk', 'england', 'ENG')).toBe(3);
  });

  it('takes percentages from summed numerators and denominators', async () => {
    expect(await one('rtt_18wk', 'england', 'ENG')).toBeCloseTo((100 * (18 + 10 + 12)) / 53, 10);
    expect(await one('rtt_52wk_share', 'region', 'Y56')).toBeCloseTo((100 * 5) / 43, 10);
  });

  it('recomputes the median and 92nd percentile from summed bands, never averaging them', async () => {
    expect(await one('rtt_median_weeks', 'provider', 'R0X')).toBeCloseTo(bandQuantile(bandsOf(r0x), 0.5)!, 10);
    expect(await one('rtt_median_weeks', 'england', 'ENG')).toBeCloseTo(bandQuantile(bandsOf(r0x, r2x, nt9), 0.5)!, 10);
    expect(await one('rtt_p92_weeks', 'region', 'Y56')).toBeCloseTo(bandQuantile(bandsOf(r0x, nt9), 0.92)!, 10);
    const averaged = ((bandQuantile(bandsOf(r0x), 0.5)! + bandQuantile(bandsOf(r2x), 0.5)! + bandQuantile(bandsOf(nt9), 0.5)!) / 3);
    expect(await one('rtt_median_weeks', 'england', 'ENG')).not.toBeCloseTo(averaged, 3);
  });
});
