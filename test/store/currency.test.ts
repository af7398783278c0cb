import { describe, expect, it } from 'vitest';
import { recomputeCurrent } from '../../src/store/currency.js';
import { Store } from '../../src/store/store.js';
import { tempDb } from '../helpers/cli.js';
import { ingestFixture, memoryStore } from '../helpers/store.js';

const ORIGINAL = 'synthetic-ae-2020-booked.csv';
const REVISED = 'synthetic-ae-2020-booked-revised.csv';

async function currentFiles(store: Store): Promise<string[]> {
  const rows = await store.all<{ name: string }>('SELECT DISTINCT name FROM current_files ORDER BY name');
  return rows.map((row) => row.name);
}

describe('recomputeCurrent(store, collection, periods)', () => {
  it('makes the file that runs to a later month current where two undated files share months', async () => {
    const store = await memoryStore();
    // Two re-issues of one series (as AmbSYS is re-issued with one more month): neither dated, so
    // the one running to March wins its shared months, though its name sorts first.
    await store.transaction(async () => {
      for (const [id, name, periods] of [[1, 'z-to-february.csv', ['2024-01', '2024-02']], [2, 'a-to-march.csv', ['2024-01', '2024-02', '2024-03']]] as const) {
        await store.run(`INSERT INTO files (file_id, collection, name, sha256, layout, ingested_at, observations, orgs) VALUES ($1, 'ae', $2, $3, 'ae-2020', now(), 0, 0)`, [id, name, `sha-${id}`]);
        await store.run(`INSERT INTO file_periods SELECT $1, 'ae', unnest(from_json($2, '["VARCHAR"]')), NULL`, [id, JSON.stringify(periods)]);
      }
      // Both were current for January and February until now: those two months changed.
      expect(await recomputeCurrent(store, 'ae', ['2024-01', '2024-02', '2024-03'])).toEqual(['2024-01', '2024-02']);
    });
    const rows = await store.all<{ file_id: number; period: string; superseded_by: number | null }>(
      'SELECT file_id, period, superseded_by FROM file_periods ORDER BY period, file_id');
    expect(rows).toEqual([
      { file_id: 1, period: '2024-01', superseded_by: 2 }, { file_id: 2, period: '2024-01', superseded_by: null },
      { file_id: 1, period: '2024-02', superseded_by: 2 }, { file_id: 2, period: '2024-02', superseded_by: null },
      { file_id: 2, period: '2024-03', superseded_by: null },
    ]);
    store.close();
  });
});

describe('recomputeCurrent(store, collection, periods) through ingest', () => {
  it('keeps a revision current when its original is ingested after it', async () => {
    const store = await memoryStore();
    const revised = await ingestFixture(store, 'ae', REVISED);
    const original = await ingestFixture(store, 'ae', ORIGINAL);
    expect(revised).toMatchObject({ changed: ['2024-09'], publication: { edition: 'revised' } });
    expect(original).toMatchObject({ status: 'ingested', replaced: [], changed: [] });
    expect(await currentFiles(store)).toEqual([REVISED]);
    store.close();
  });

  it('gives the same store whichever order the two are ingested in', async () => {
    const forwards = await memoryStore();
    const backwards = await memoryStore();
    await ingestFixture(forwards, 'ae', ORIGINAL);
    const revised = await ingestFixture(forwards, 'ae', REVISED);
    await ingestFixture(backwards, 'ae', REVISED);
    await ingestFixture(backwards, 'ae', ORIGINAL);
    expect(revised).toMatchObject({ replaced: [ORIGINAL], changed: ['2024-09'] });
    const values = (store: Store) => store.all('SELECT org, metric, period, value FROM current_observations ORDER BY ALL');
    expect(await values(backwards)).toEqual(await values(forwards));
    expect(await currentFiles(forwards)).toEqual([REVISED]);
    forwards.close();
    backwards.close();
  });

  it('reports a new month as changed and an identical re-ingest as changing nothing', async () => {
    const store = await memoryStore();
    expect((await ingestFixture(store, 'ae', 'synthetic-ae-2020.csv')).changed).toEqual(['2020-05']);
    expect((await ingestFixture(store, 'ae', 'synthetic-ae-2020.csv', 'copy.csv'))).toMatchObject({ status: 'unchanged', changed: [] });
    store.close();
  });
});

describe('Store.open(path) on a store made before publication dates were kept', () => {
  it('adds the columns and decides every month again by publication, not ingest order', async () => {
    const db = tempDb();
    const old = await Store.open(db);
    await ingestFixture(old, 'ae', REVISED);
    await ingestFixture(old, 'ae', ORIGINAL);
    // What the previous version left: no publication columns, no rule recorded, and the file
    // ingested last marked current.
    await old.run(`UPDATE file_periods SET superseded_by = CASE WHEN file_id = 2 THEN NULL ELSE 2 END`);
    await old.run(`DELETE FROM meta WHERE key = 'currency_rule'`);
    for (const column of ['published', 'edition', 'published_from']) await old.run(`ALTER TABLE files DROP COLUMN ${column}`);
    old.close();

    const store = await Store.open(db);
    expect(await currentFiles(store)).toEqual([REVISED]);
    expect(await store.one(`SELECT edition FROM files WHERE name = $1`, [REVISED])).toEqual({ edition: 'revised' });
    store.close();
  });
});
