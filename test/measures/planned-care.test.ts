import { describe, expect, it } from 'vitest';
import { MEASURES, measureById } from '../../src/measures/index.js';
import { measureValues } from '../../src/measures/query.js';
import { ingestFile } from '../../src/store/ingest.js';
import type { Store } from '../../src/store/store.js';
import { memoryStore } from '../helpers/store.js';
import { cwtSheets, writeXlsx } from '../fixtures/cancer/synthetic-cwt.js';
import { dm01Sheets, writeXls } from '../fixtures/diagnostics/synthetic-dm01.js';

async function plannedCareStore(): Promise<Store> {
  const store = await memoryStore();
  await ingestFile(store, { name: 'MARCH-2025-CWT-CRS-PROVIDER-WORKBOOK-FINAL.xlsx', bytes: await writeXlsx(cwtSheets()) });
  await ingestFile(store, { name: 'MARCH-2025-CWT-CRS-COMMISSIONER-WORKBOOK-FINAL.xlsx', bytes: await writeXlsx(cwtSheets('commissioner')) });
  await ingestFile(store, { name: 'Monthly-Diagnostics-Web-File-Provider-January-2025.xls', bytes: writeXls(dm01Sheets()) });
  return store;
}

describe('MEASURES — companions (counts of the longest waiters shown beside a percentage)', () => {
  it('are count measures of the same collection', () => {
    for (const measure of MEASURES) {
      for (const id of measure.companions ?? []) {
        const companion = measureById(id);
        expect([measure.id, companion.unit, companion.collection]).toEqual([measure.id, 'count', measure.collection]);
      }
    }
  });

  it('give every diagnostic test its 13+ week waiters beside its 6-week share', () => {
    const byTest = MEASURES.filter((m) => /^dm01_within_6wk_/.test(m.id));
    expect(byTest).toHaveLength(15);
    expect(byTest.every((m) => m.companions?.[0] === m.id.replace('within_6wk', '13wk'))).toBe(true);
  });
});

describe('measureValues(store, measure, query) — cancer and diagnostics', () => {
  it('sums providers for England without counting the file\'s own England row again', async () => {
    const store = await plannedCareStore();
    const [fds] = await measureValues(store, measureById('cwt_fds'), { level: 'england' });
    expect(fds).toMatchObject({ org: 'ENG', period: '2025-03', numerator: 563, denominator: 700 });
    expect(fds!.members).toEqual(['NZZ', 'RAA', 'RBB']);
    const [d62] = await measureValues(store, measureById('cwt_62d'), { level: 'england' });
    expect(d62).toMatchObject({ numerator: 40, denominator: 52 });
  });

  it('shows commissioner-basis figures as published, for ICBs and for England', async () => {
    const store = await plannedCareStore();
    const icbs = await measureValues(store, measureById('cwt_fds_commissioner'), { level: 'icb' });
    expect(icbs.map((v) => [v.org, v.numerator, v.denominator])).toEqual([['QAA', 310, 400], ['QBB', 205, 250]]);
    const [england] = await measureValues(store, measureById('cwt_fds_commissioner'), { level: 'england' });
    expect(england).toMatchObject({ org: 'ENG', numerator: 563, denominator: 700 });
    expect(england!.members).toBeUndefined();
  });

  it('computes the diagnostic 6-week share as 1 − 6+ weeks ÷ waiting, by provider, region and test', async () => {
    const store = await plannedCareStore();
    const [raa] = await measureValues(store, measureById('dm01_within_6wk'), { level: 'trust', orgs: ['RAA'] });
    expect(raa).toMatchObject({ numerator: 850, denominator: 1000, value: 85 });
    const [london] = await measureValues(store, measureById('dm01_within_6wk'), { level: 'region', orgs: ['Y56'] });
    expect(london).toMatchObject({ numerator: 1040, denominator: 1200 });
    const [mri] = await measureValues(store, measureById('dm01_within_6wk_mri'), { level: 'england' });
    expect(mri).toMatchObject({ numerator: 680, denominator: 900 });
    const [over13] = await measureValues(store, measureById('dm01_13wk'), { level: 'england' });
    expect(over13!.value).toBe(130);
  });
});
