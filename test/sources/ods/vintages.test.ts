import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeOrg } from '../../../src/assessment/index.js';
import { listOrgs } from '../../../src/assessment/index.js';
import { readHead } from '../../../src/sources/head.js';
import { ods } from '../../../src/sources/ods/index.js';
import { claim } from '../../../src/sources/registry.js';
import { ingestFile } from '../../../src/store/ingest.js';
import type { Store } from '../../../src/store/store.js';
import { expectPlanwatchError } from '../../helpers/errors.js';
import { fixture, memoryStore, parseAll, sourceFile, tableCounts } from '../../helpers/org-store.js';

const older = { name: 'etr.csv', bytes: fixture('ods', 'synthetic-ods-etr.csv') };
const newer = { name: '2026-06_etr.csv', bytes: fixture('ods', 'synthetic-ods-etr-2026.csv') };
const succ2026 = { name: '2026-04_succ.csv', bytes: fixture('ods', 'synthetic-ods-succ-2026.csv') };
const encode = (text: string) => new TextEncoder().encode(text);

type LinkRow = { org: string; target: string; valid_from: string | null; valid_to: string | null };

async function icbLinks(store: Store, org: string): Promise<LinkRow[]> {
  return store.all<LinkRow>(
    "SELECT org, target, valid_from, valid_to FROM current_org_links WHERE relation = 'parent' AND level = 'icb' AND org = $1 ORDER BY valid_from", [org]);
}

describe('ods.parse(etr.csv with merged ICBs)', () => {
  it('accepts the five-character ICB codes of 2026 and dates a merged board from its merger', async () => {
    const { items, periods } = await parseAll(ods, sourceFile(newer.name, newer.bytes));
    expect(periods).toEqual(['2026-06']);
    const icb = items.flatMap((item) => (item.kind === 'link' && item.link.relation === 'parent' && item.link.level === 'icb' ? [item.link] : []));
    expect(icb.find((l) => l.org === 'RZA')).toEqual({ org: 'RZA', relation: 'parent', level: 'icb', target: 'Z9B2Z', validFrom: '2026-04' });
    // A trust opened after the merger is in the board from its opening.
    expect(icb.find((l) => l.org === 'G9Z9Z')).toMatchObject({ target: 'Z9B2Z', validFrom: '2026-06' });
    // A board of the new shape that no known merger formed: in force from the extract's month only.
    expect(icb.find((l) => l.org === 'RZE')).toMatchObject({ target: 'X1Y2Z', validFrom: '2026-06' });
  });

  it('records the merger that formed a board the file places trusts in', async () => {
    const { items } = await parseAll(ods, sourceFile(newer.name, newer.bytes));
    const mergers = items.flatMap((item) => (item.kind === 'link' && item.link.level === 'icb' && item.link.relation === 'successor' ? [item.link] : []));
    expect(mergers.map((l) => [l.org, l.target, l.validFrom])).toEqual([['QMJ', 'Z9B2Z', '2026-04'], ['QRV', 'Z9B2Z', '2026-04']]);
  });
});

describe('ods.parse(succ.csv as published in 2026)', () => {
  it('is claimed by content and reads blank reasons and 0/1 indicators', async () => {
    expect(claim(readHead('x.csv', succ2026.bytes)).layout).toBe('ods-succ');
    const { items } = await parseAll(ods, sourceFile(succ2026.name, succ2026.bytes));
    expect(items.map((item) => item.kind === 'link' && [item.link.org, item.link.target, item.link.level, item.link.validFrom])).toEqual([
      ['001', '016', 'other', '1996-04'],
      ['QZA', 'Z9B2Z', 'icb', '2026-04'],
      ['QZC', 'Z9B2Z', 'icb', '2026-04'],
      ['RZC', 'RZE', 'trust', '2024-10'],
      ['F81067001', 'F81067002', 'other', '2005-10'],
    ]);
  });
});

describe('current_org_links with two etr.csv vintages', () => {
  let store: Store;
  beforeEach(async () => {
    store = await memoryStore();
  });
  afterEach(() => store.close());

  for (const order of [[older, newer], [newer, older]]) {
    it(`keeps months before a merger with the old ICB and later ones with the new, ingesting ${order[0]!.name} first`, async () => {
      for (const file of order) await ingestFile(store, file);
      expect(await icbLinks(store, 'RZA')).toEqual([
        { org: 'RZA', target: 'QZA', valid_from: '2022-07', valid_to: '2026-03' },
        { org: 'RZA', target: 'Z9B2Z', valid_from: '2026-04', valid_to: null },
      ]);
      // Unchanged trusts keep one link, from the newer extract.
      expect(await icbLinks(store, 'RZC')).toEqual([{ org: 'RZC', target: 'QZB', valid_from: '2022-07', valid_to: '2024-09' }]);
      // Names come from the newer extract whatever the order.
      expect((await describeOrg(store, 'RZA')).icb).toBe('Z9B2Z');
    });
  }

  // Two extracts of the same month, the second published later with one trust moved: the later
  // publication's links hold whatever order they were ingested in (the currency rule), not the last ingested.
  const moved = new TextDecoder().decode(newer.bytes).replace('"RZE","SYNTHETIC NEW NHS TRUST","Y59","X1Y2Z"', '"RZE","SYNTHETIC NEW NHS TRUST","Y59","X1Y3Z"');
  const first = { ...newer, page: { published: '2026-06-10', source: 'page' as const } };
  const second = { name: '2026-06_etr-revised.csv', bytes: encode(moved), page: { published: '2026-06-20', source: 'page' as const } };
  for (const order of [[first, second], [second, first]]) {
    it(`takes the links of the later-published extract of a month, ingesting ${order[0]!.page.published}'s first`, async () => {
      for (const file of order) await ingestFile(store, file);
      expect((await icbLinks(store, 'RZE')).map((link) => link.target)).toEqual(['X1Y3Z']);
    });
  }

  it('lets an ICB say when it was formed and from which ICBs', async () => {
    await ingestFile(store, newer);
    await ingestFile(store, succ2026);
    const z9 = (await listOrgs(store, { level: 'icb' })).find((row) => row.code === 'Z9B2Z');
    // The successor file adds QZC; the etr file's cited merger gives QMJ and QRV.
    expect(z9?.formed).toEqual({ from: '2026-04', predecessors: ['QMJ', 'QRV', 'QZA', 'QZC'] });
    expect((await describeOrg(store, 'Z9B2Z')).predecessors?.map((p) => [p.code, p.from])).toEqual([
      ['QMJ', '2026-04'], ['QRV', '2026-04'], ['QZA', '2026-04'], ['QZC', '2026-04'],
    ]);
    expect((await describeOrg(store, 'Z9B2Z')).level).toBe('icb');
  });
});

describe('ingestFile(store, bad 2026 ODS file)', () => {
  let store: Store;
  beforeEach(async () => {
    store = await memoryStore();
    await ingestFile(store, newer);
  });
  afterEach(() => store.close());

  const etr = new TextDecoder().decode(newer.bytes);
  const succ = new TextDecoder().decode(succ2026.bytes);
  const cases = [
    { name: 'an ICB code of four characters', file: 'etr.csv', text: etr.replace('"Z9B2Z"', '"Z9B2"'), code: 'E_VALUE' as const, line: 1, column: 'field 4 (ICB code)' },
    { name: 'a successor row with an unknown indicator', file: 'succ.csv', text: succ.replace('"20260401","0"', '"20260401","7"'), code: 'E_VALUE' as const, line: 2, column: 'field 5 (indicator)' },
    { name: 'a successor row with an impossible date', file: 'succ.csv', text: succ.replace('"20260401"', '"20261301"'), code: 'E_VALUE' as const, line: 2, column: 'field 4 (effective date)' },
    { name: 'a duplicate succession', file: 'succ.csv', text: `${succ}"QZA","Z9B2Z","","20260401","0"\r\n`, code: 'E_DUPLICATE' as const, line: 6 },
  ];
  for (const { name, file, text, code, line, column } of cases) {
    it(`refuses ${name}, naming the line, and leaves the store unchanged`, async () => {
      const before = await tableCounts(store);
      await expectPlanwatchError(() => ingestFile(store, { name: file, bytes: encode(text) }), code, { file, line, ...(column ? { column } : {}) });
      expect(await tableCounts(store)).toEqual(before);
    });
  }
});
