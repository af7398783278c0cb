import { expect } from 'vitest';
import { DATA_TABLES } from '../../src/store/schema.js';
import { Store } from '../../src/store/store.js';
import { ingestFile } from '../../src/store/ingest.js';
import { fixtureText } from './fixtures.js';

export async function memoryStore(): Promise<Store> {
  return Store.open(':memory:');
}

export async function ingestFixture(store: Store, collection: string, name: string, as = name) {
  return ingestFile(store, { name: as, bytes: new TextEncoder().encode(fixtureText(collection, name)) });
}

/** Row counts of every data table: "nothing changed" means these are equal. */
export async function rowCounts(store: Store): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of DATA_TABLES) {
    counts[table] = (await store.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${table}`))!.n;
  }
  return counts;
}

/** Runs `action` (expected to be refused) and asserts that no data table changed. */
export async function expectStoreUnchanged(store: Store, action: () => Promise<unknown>): Promise<unknown> {
  const before = await rowCounts(store);
  let caught: unknown;
  try {
    await action();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected the action to be refused').toBeDefined();
  expect(await rowCounts(store)).toEqual(before);
  return caught;
}
