import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestPaths } from '../../src/cli/commands/ingest.js';
import { ingestFile } from '../../src/store/ingest.js';
import { expectPlanwatchError } from '../helpers/errors.js';
import { fixturePath, fixtureText } from '../helpers/fixtures.js';
import { ingestFixture, memoryStore, rowCounts } from '../helpers/store.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('ingestFile(store, file)', () => {
  it('stores every figure with its provenance', async () => {
    const store = await memoryStore();
    const result = await ingestFixture(store, 'ae', 'synthetic-ae-2020.csv');
    expect(result).toMatchObject({ status: 'ingested', collection: 'ae', layout: 'ae-2020', periods: ['2020-05'], orgs: 3, rows: 36, replaced: [] });
    const row = await store.one(`SELECT f.name, f.sha256, f.ingested_at IS NOT NULL AS dated, o.row_number, c.column_name
      FROM observations o JOIN files f USING (file_id) JOIN file_columns c ON c.file_id = o.file_id AND c.metric = o.metric
      WHERE o.org = 'RCC' AND o.metric = 'over4_type1'`);
    expect(row).toMatchObject({ name: 'synthetic-ae-2020.csv', dated: true, row_number: 3, column_name: 'Attendances over 4hrs Type 1' });
    expect(row!.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes nothing when the same file is ingested again', async () => {
    const store = await memoryStore();
    await ingestFixture(store, 'ae', 'synthetic-ae-2020.csv');
    const before = await rowCounts(store);
    const again = await ingestFixture(store, 'ae', 'synthetic-ae-2020.csv', 'renamed-copy.csv');
    expect(again.status).toBe('unchanged');
    expect(await rowCounts(store)).toEqual(before);
  });

  it('finds a copy of a file ingested earlier in the same batch unchanged, giving it no file id', async () => {
    const store = await memoryStore();
    const dir = mkdtempSync(path.join(tmpdir(), 'planwatch-ingest-'));
    try {
      copyFileSync(fixturePath('ae', 'synthetic-ae-2020.csv'), path.join(dir, 'a.csv'));
      copyFileSync(fixturePath('ae', 'synthetic-ae-2020.csv'), path.join(dir, 'b-copy.csv'));
      copyFileSync(fixturePath('ae', 'synthetic-ae-2019.csv'), path.join(dir, 'c.csv'));
      const outcomes = await ingestPaths(store, [dir], undefined, { measureValues: 'later' });
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['ingested', 'unchanged', 'ingested']);
      const files = await store.all<{ file_id: number; name: string }>('SELECT file_id, name FROM files ORDER BY file_id');
      expect(files).toEqual([{ file_id: 1, name: 'a.csv' }, { file_id: 2, name: 'c.csv' }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      store.close();
    }
  });

  it('lets a revised publication replace its month and keeps the earlier version queryable', async () => {
    const store = await memoryStore();
    await ingestFixture(store, 'ae', 'synthetic-ae-2020-booked.csv');
    const revised = await ingestFixture(store, 'ae', 'synthetic-ae-2020-booked-revised.csv');
    expect(revised.replaced).toEqual(['synthetic-ae-2020-booked.csv']);
    const current = await store.all<{ value: number }>("SELECT value FROM current_observations WHERE org = 'RAA' AND metric = 'attendances_type1'");
    const all = await store.all<{ name: string; value: number; superseded: boolean }>(`SELECT f.name, o.value, p.superseded_by IS NOT NULL AS superseded
      FROM observations o JOIN files f USING (file_id) JOIN file_periods p ON p.file_id = o.file_id AND p.period = o.period
      WHERE o.org = 'RAA' AND o.metric = 'attendances_type1' ORDER BY f.file_id`);
    expect(current).toHaveLength(1);
    expect(all).toHaveLength(2);
    expect(all[0]!.superseded).toBe(true);
    expect(all[1]!.value - all[0]!.value).toBe(100);
    expect(current[0]!.value).toBe(all[1]!.value);
  });

  it.each([
    ['a wrong header', (t: string) => t.replace('Attendances over 4hrs Type 1', 'Over four hours'), 'E_HEADER'],
    ['text in a number field', (t: string) => t.replace(/(RCC,[^,]+,[^,]+,)\d+/, '$1twelve'), 'E_NUMBER'],
    ['a truncated file', (t: string) => t.slice(0, t.indexOf('TOTAL')), 'E_TRUNCATED'],
    ['an empty file', () => '', 'E_EMPTY'],
    ['a duplicated organisation row', (t: string) => t.replace(/(\r\n)(MSitAE-MAY-2020,RCC[^\r]*)/, '$1$2$1$2'), 'E_DUPLICATE'],
    ['a CSV of some other kind', () => 'period,value\n2024-01,3\n', 'E_UNKNOWN_COLLECTION'],
  ] as const)('refuses %s and leaves the store row-for-row unchanged', async (_case, mutate, code) => {
    const store = await memoryStore();
    await ingestFixture(store, 'ae', 'synthetic-ae-2019.csv');
    const before = await rowCounts(store);
    const text = mutate(fixtureText('ae', 'synthetic-ae-2020.csv'));
    await expectPlanwatchError(() => ingestFile(store, { name: 'bad.csv', bytes: bytes(text) }), code, { file: 'bad.csv' });
    expect(await rowCounts(store)).toEqual(before);
  });
});

describe('Store.transaction(work)', () => {
  it('rolls back rows already appended when the work fails part-way', async () => {
    const store = await memoryStore();
    const before = await rowCounts(store);
    await expect(store.transaction(async () => {
      const appender = await store.connection.createAppender('observations');
      appender.appendInteger(1);
      appender.appendVarchar('m');
      appender.appendVarchar('RAA');
      appender.appendVarchar('2024-01');
      appender.appendDouble(1);
      appender.appendInteger(2);
      appender.endRow();
      appender.closeSync();
      throw new Error('fails after appending');
    })).rejects.toThrow('fails after appending');
    expect(await rowCounts(store)).toEqual(before);
  });
});
