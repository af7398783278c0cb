import { describe, expect, it } from 'vitest';
import { clearPending, pendingMarks } from '../../src/store/measure-table.js';
import { memoryStore } from '../helpers/store.js';

describe('clearPending(store, marks)', () => {
  it('clears exactly the marks given, a month or every month, roll-ups only or not, and keeps the rest', async () => {
    const store = await memoryStore();
    await store.run(`INSERT INTO measure_pending VALUES
      ('ae', '2025-01', false), ('ae', '2025-01', true), ('ae', NULL, false), ('ae', '2025-02', false),
      ('cwt', NULL, true), ('cwt', '2025-01', false)`);
    await clearPending(store, [
      { collection: 'ae', period: '2025-01', rollups_only: false },
      { collection: 'ae', period: null, rollups_only: false },
      { collection: 'cwt', period: null, rollups_only: true },
    ]);
    expect(await pendingMarks(store)).toEqual([
      { collection: 'ae', period: '2025-01', rollups_only: true },
      { collection: 'ae', period: '2025-02', rollups_only: false },
      { collection: 'cwt', period: '2025-01', rollups_only: false },
    ]);
    await clearPending(store, []);
    expect(await pendingMarks(store)).toHaveLength(3);
    store.close();
  });
});
