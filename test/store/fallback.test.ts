import { describe, expect, it } from 'vitest';
import { ingestFile } from '../../src/store/ingest.js';
import type { Store } from '../../src/store/store.js';
import { aeWorkbook } from '../fixtures/ae/synthetic-ae-xls.js';
import { ingestFixture, memoryStore } from '../helpers/store.js';

/**
 * The NHS-R tidy A&E file is a fallback layout (src/store/README.md): current only for months no
 * NHS England file covers, in either ingest order. The synthetic tidy file holds January and
 * February 2017; the synthetic 2017 workbook holds January 2017.
 */
const current = (store: Store) =>
  store.all<{ period: string; layout: string }>(
    `SELECT p.period, f.layout FROM file_periods p JOIN files f USING (file_id)
     WHERE p.collection = 'ae' AND p.superseded_by IS NULL ORDER BY p.period`);

const ingestWorkbook = (store: Store) => ingestFile(store, { name: 'synthetic-ae-xls-2017.xls', bytes: aeWorkbook('ae-xls-2017') });
const ingestTidy = (store: Store) => ingestFixture(store, 'ae', 'synthetic-ae-nhsr-tidy.csv');

describe('ingestFile(store, file) with a fallback layout', () => {
  it.each([
    ['the tidy file first', true],
    ['the workbook first', false],
  ])('keeps NHS England\'s workbook current for its month and the tidy file for the other, %s', async (_, tidyFirst) => {
    const store = await memoryStore();
    if (tidyFirst) {
      await ingestTidy(store);
      expect((await ingestWorkbook(store)).replaced).toEqual(['synthetic-ae-nhsr-tidy.csv']);
    } else {
      await ingestWorkbook(store);
      expect((await ingestTidy(store)).replaced).toEqual([]);
    }
    expect(await current(store)).toEqual([
      { period: '2017-01', layout: 'ae-xls-2017' },
      { period: '2017-02', layout: 'ae-nhsr-tidy' },
    ]);
  });
});
