import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateBytes, memoise, memoiseShared } from '../../src/assessment/memo.js';
import type { Store } from '../../src/store/store.js';
import { memoryStore } from '../helpers/org-store.js';

describe('memoiseShared(store, key, compute)', () => {
  let store: Store;
  beforeAll(async () => {
    store = await memoryStore();
  });
  afterAll(() => store.close());

  it('keeps a shared answer while per-organisation answers fill the memo past its bound', async () => {
    let computed = 0;
    const shared = () => memoiseShared(store, 'directory', async () => ++computed);
    expect(await shared()).toBe(1);
    // Ten answers of ~16 MB each (two bytes a character) overflow the memo's 64 MB.
    for (let i = 0; i < 10; i++) await memoise(store, `series:${i}`, async () => 'x'.repeat(8 * 1024 * 1024));
    expect(await shared()).toBe(1);
    expect(computed).toBe(1);
  });

  it('does not keep a rejected answer', async () => {
    let calls = 0;
    const failing = () => memoiseShared(store, 'failing', async () => {
      calls++;
      throw new Error('no store');
    });
    await expect(failing()).rejects.toThrow('no store');
    await expect(failing()).rejects.toThrow('no store');
    expect(calls).toBe(2);
  });

  it('starts again when the store version changes', async () => {
    let computed = 0;
    const shared = () => memoiseShared(store, 'names', async () => ++computed);
    await shared();
    await store.run('CREATE TABLE bump (x INTEGER)');
    expect(await shared()).toBe(2);
  });
});

describe('estimateBytes(value)', () => {
  it('weighs a long array from a sample of its items, close to weighing every one', () => {
    const points = Array.from({ length: 1000 }, (_, i) => ({ period: `2024-${String((i % 12) + 1).padStart(2, '0')}`, value: i, note: i % 2 === 0 ? 'not in this publication' : null }));
    const exact = 64 + points.reduce((sum, point) => sum + estimateBytes(point), 0);
    expect(Math.abs(estimateBytes(points) - exact) / exact).toBeLessThan(0.1);
  });

  it('weighs strings by length, and maps and sets by their items', () => {
    expect(estimateBytes('abcd')).toBe(48);
    expect(estimateBytes(new Map([['a', 'abcd']]))).toBeGreaterThan(estimateBytes('abcd') + estimateBytes('a'));
    expect(estimateBytes(new Set(['abcd', 'efgh']))).toBeGreaterThan(2 * estimateBytes('abcd'));
  });
});
