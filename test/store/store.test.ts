import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureById } from '../../src/measures/index.js';
import { measureSeries } from '../../src/measures/query.js';
import type { Store } from '../../src/store/store.js';
import { syntheticStore } from '../helpers/synthetic-ae.js';

let store: Store;
beforeAll(async () => {
  store = await syntheticStore(13, '2025-03');
});
afterAll(() => store.close());

describe('Store.all(sql, params) under concurrent callers', () => {
  it('gives each of many simultaneous queries of the same SQL its own parameters', async () => {
    const measure = measureById('ae_4hr');
    const orgs = ['RAA', 'RBB', 'RCC', 'RDD', 'RAA', 'RCC'];
    await measureSeries(store, measure, 'RDD'); // prepares the statement, so the others share it
    const answers = await Promise.all(orgs.map((org) => measureSeries(store, measure, org)));
    answers.forEach((points, i) => expect(new Set(points.filter((p) => p.value !== null).map((p) => p.org))).toEqual(new Set([orgs[i]])));
  });
});

describe('Store.version', () => {
  it('changes when a transaction commits', async () => {
    const before = store.version;
    await store.transaction(async () => undefined);
    expect(store.version).not.toBe(before);
  });
});
