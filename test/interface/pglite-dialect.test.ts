import { PGlite } from '@electric-sql/pglite';
import { Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGliteDialect } from '../../src/interface/pglite-dialect.js';
import { OPEN_TIMEOUT_MS } from './helpers/stores.js';

interface Scratch {
  notes: { id: number; body: string };
}

describe('PGliteDialect(pglite)', () => {
  let db: Kysely<Scratch>;

  beforeAll(async () => {
    db = new Kysely<Scratch>({ dialect: new PGliteDialect(await PGlite.create()) });
    await sql`create table notes (id integer primary key, body text not null)`.execute(db);
  }, OPEN_TIMEOUT_MS);
  afterAll(() => db.destroy());

  it('reports how many rows an update changed, including none', async () => {
    await db.insertInto('notes').values([{ id: 1, body: 'a' }, { id: 2, body: 'b' }]).execute();
    const [all] = await db.updateTable('notes').set({ body: 'c' }).execute();
    const [none] = await db.updateTable('notes').set({ body: 'd' }).where('id', '=', 99).execute();
    expect([all?.numUpdatedRows, none?.numUpdatedRows]).toEqual([2n, 0n]);
    await db.deleteFrom('notes').execute();
  });

  it('keeps queries from elsewhere out of an open transaction', async () => {
    let releaseTransaction!: () => void;
    const held = new Promise<void>((resolve) => (releaseTransaction = resolve));
    let insideStarted!: () => void;
    const started = new Promise<void>((resolve) => (insideStarted = resolve));
    const transaction = db.transaction().execute(async (trx) => {
      await trx.insertInto('notes').values({ id: 10, body: 'inside' }).execute();
      insideStarted();
      await held;
      await trx.insertInto('notes').values({ id: 11, body: 'inside' }).execute();
    });
    await started;
    let outsideDone = false;
    const outside = db
      .selectFrom('notes')
      .select('id')
      .execute()
      .then((rows) => {
        outsideDone = true;
        return rows;
      });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(outsideDone).toBe(false);
    releaseTransaction();
    await transaction;
    expect((await outside).map((row) => row.id)).toEqual([10, 11]);
    await db.deleteFrom('notes').execute();
  });

  it('rolls a failed transaction back and serves the next caller', async () => {
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('notes').values({ id: 20, body: 'lost' }).execute();
        await trx.insertInto('notes').values({ id: 20, body: 'duplicate key' }).execute();
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await db.selectFrom('notes').selectAll().execute()).toEqual([]);
  });

  it('streams every row when asked for chunks smaller than the result', async () => {
    await db.insertInto('notes').values([1, 2, 3, 4, 5].map((id) => ({ id, body: `n${id}` }))).execute();
    const streamed: number[] = [];
    for await (const row of db.selectFrom('notes').select('id').orderBy('id').stream(2)) streamed.push(row.id);
    expect(streamed).toEqual([1, 2, 3, 4, 5]);
    await db.deleteFrom('notes').execute();
  });
});
