import { DOUBLE, INTEGER, VARCHAR } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { appendColumns } from '../../src/store/append.js';
import { memoryStore } from '../helpers/store.js';

type Row = { file_id: number; metric: string; org: string; period: string; value: number | null; row_number: number };

async function stored(store: Awaited<ReturnType<typeof memoryStore>>): Promise<Row[]> {
  return store.all<Row>('SELECT file_id, metric, org, period, value, row_number FROM observations ORDER BY rowid');
}

describe('appendColumns(store, table, types, columns)', () => {
  it('stores repeated and one-off text exactly as given, in order', async () => {
    const store = await memoryStore();
    // 3,000 rows: more than one chunk; metric and period repeat (sent as an ENUM), org is mostly
    // different from row to row (sent as text), and the odd values ('', accents, emoji) must survive.
    const metrics = ['attendances_type1', '', 'naïve 😀 metric', 'toString'];
    const rows: Row[] = Array.from({ length: 3000 }, (_, i) => ({
      file_id: 7, metric: metrics[i % metrics.length]!, org: i % 10 === 0 ? '' : `R${i}`, period: i < 2500 ? '2024-01' : '2024-02',
      value: i % 7 === 0 ? null : i / 4, row_number: i + 2,
    }));
    await store.transaction(() => appendColumns(store, 'observations', [INTEGER, VARCHAR, VARCHAR, VARCHAR, DOUBLE, INTEGER],
      (['file_id', 'metric', 'org', 'period', 'value', 'row_number'] as const).map((key) => rows.map((row) => row[key]))));
    expect(await stored(store)).toEqual(rows);
    store.close();
  });

  it('leaves nothing of a rolled-back transaction in the appender it keeps for the next', async () => {
    const store = await memoryStore();
    const append = (metric: string) => appendColumns(store, 'observations', [INTEGER, VARCHAR, VARCHAR, VARCHAR, DOUBLE, INTEGER],
      [[1, 1], [metric, metric], ['RAA', 'RBB'], ['2024-01', '2024-01'], [1, 2], [2, 3]]);
    await expect(store.transaction(async () => {
      await append('refused');
      throw new Error('fails after appending');
    })).rejects.toThrow('fails after appending');
    await store.transaction(() => append('kept'));
    expect((await stored(store)).map((row) => `${row.metric} ${row.org}`)).toEqual(['kept RAA', 'kept RBB']);
    store.close();
  });
});
