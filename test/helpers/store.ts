import { expect } from 'vitest';
import { DATA_TABLES } from '../../src/store/schema.js';
import type { Store } from '../../src/store/store.js';

/** Row counts of every data table: "nothing stored changed" means these are equal. */
export async function tableCounts(store: Store): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of DATA_TABLES) {
    const row = await store.one<{ n: bigint | number }>(`SELECT count(*) AS n FROM ${table}`);
    counts[table] = Number(row?.n ?? 0);
  }
  return counts;
}

/** Runs `action` (expected to be refused) and asserts that no data table changed. */
export async function expectStoreUnchanged(store: Store, action: () => Promise<unknown>): Promise<unknown> {
  const before = await tableCounts(store);
  let caught: unknown;
  try {
    await action();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected the action to be refused').toBeDefined();
  expect(await tableCounts(store)).toEqual(before);
  return caught;
}
