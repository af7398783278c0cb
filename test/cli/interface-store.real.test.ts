import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncTrusts } from '../../src/cli/interface-store.js';
import { listTrusts } from '../../src/interface/trusts.js';
import { ingestPath } from '../../src/store/ingest.js';
import { Store } from '../../src/store/store.js';
import { backends, OPEN_TIMEOUT_MS, type TestStore } from '../interface/helpers/stores.js';
import { realDataDir, realPath } from '../helpers/real-data.js';

/** etr.csv read independently of the ODS plugin: code → name, ICB and close date. */
function readEtr(file: string): Map<string, { name: string; icb: string; closed: string }> {
  const rows = readFileSync(realPath('ods', file), 'utf8').trim().split(/\r?\n/).map((line) => line.slice(1, -1).split('","'));
  return new Map(rows.map((cells) => [cells[0]!, { name: cells[1]!, icb: cells[3]!, closed: cells[11]! }]));
}

// The 2022 vintage has 42 ICBs; in the mid-2026 one, mergers leave 36, six of them with
// five-character codes (Z9B2Z, S9B9J, …) that reviewers must be able to sign in for.
describe.skipIf(!realDataDir).each([
  { file: 'etr.csv', icbs: 42, icbCode: /^Q[A-Z0-9]{2}$/ },
  { file: '2026-06_etr.csv', icbs: 36, icbCode: /^(?:Q[A-Z0-9]{2}|[A-Z]\d[A-Z]\d[A-Z])$/ },
])('syncTrusts(ctx, store) from the real ODS $file', ({ file, icbs, icbCode }) => {
  let store: Store;
  let test: TestStore;
  beforeAll(async () => {
    store = await Store.open(':memory:');
    await ingestPath(store, realPath('ods', file));
    test = await backends[0]!.open();
  }, OPEN_TIMEOUT_MS);
  afterAll(async () => {
    store?.close();
    await test?.close();
  });

  it('gives the interface log every open trust etr.csv places in an ICB, with that ICB, and no closed one', async () => {
    const etr = readEtr(file);
    const expected = [...etr].filter(([, row]) => !row.closed && icbCode.test(row.icb));
    expect(await syncTrusts(test.ctx, store)).toBe(expected.length);
    const trusts = new Map((await listTrusts(test.ctx)).map((trust) => [trust.trustCode, trust]));
    expect(trusts.size).toBe(expected.length);
    for (const [code, row] of expected) expect(trusts.get(code), code).toMatchObject({ trustName: row.name, icbCode: row.icb });
    expect(new Set([...trusts.values()].map((trust) => trust.icbCode)).size).toBe(icbs);
    // A second start changes nothing.
    expect(await syncTrusts(test.ctx, store)).toBe(0);
  }, OPEN_TIMEOUT_MS);
});
