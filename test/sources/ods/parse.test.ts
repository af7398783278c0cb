import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claim } from '../../../src/sources/registry.js';
import { readHead } from '../../../src/sources/head.js';
import { ods, discoverOds } from '../../../src/sources/ods/index.js';
import { odsDate } from '../../../src/sources/ods/parse.js';
import { KNOWN_SUCCESSIONS } from '../../../src/sources/ods/successions.js';
import { ingestFile } from '../../../src/store/ingest.js';
import type { Store } from '../../../src/store/store.js';
import { expectPlanwatchError } from '../../helpers/errors.js';
import { fixture, memoryStore, parseAll, sourceFile, tableCounts } from '../../helpers/org-store.js';

const etrBytes = fixture('ods', 'synthetic-ods-etr.csv');
const etrText = new TextDecoder().decode(etrBytes);
const encode = (text: string) => new TextEncoder().encode(text);

describe('ods.detect(head)', () => {
  it('claims etr.csv by content, whatever its name', () => {
    expect(claim(readHead('anything.txt', etrBytes)).layout).toBe('ods-etr');
  });

  it('claims the successor file by content', () => {
    expect(claim(readHead('succ.csv', fixture('ods', 'synthetic-ods-succ.csv'))).layout).toBe('ods-succ');
  });

  it('does not claim a CSV with a header row', () => {
    expect(ods.detect(readHead('x.csv', encode('Year,Month,Region,Org Code,Org Name,A0\r\n2024,1,Eng,Eng,England,1\r\n')))).toBeNull();
  });
});

describe('ods.parse(etr.csv)', () => {
  it('emits each trust as an org fact with its open and close dates', async () => {
    const { items, layout, periods } = await parseAll(ods, sourceFile('etr.csv', etrBytes));
    expect(layout).toBe('ods-etr');
    // The newest open or close date in the file dates the extract.
    expect(periods).toEqual(['2024-11']);
    const facts = items.flatMap((item) => (item.kind === 'org' ? [item.fact] : []));
    expect(facts.map((f) => f.org)).toEqual(['RZA', 'RZB', 'RZC', 'RZD', 'RZE']);
    expect(facts[1]).toEqual({ org: 'RZB', period: '2024-11', name: 'SYNTHETIC PENNINE NHS TRUST', level: 'trust', opened: '2002-04-01', closed: '2021-09-30' });
  });

  it('dates region and ICB links from July 2022 at the earliest, and ends them at closure', async () => {
    const { items } = await parseAll(ods, sourceFile('etr.csv', etrBytes));
    const parents = items.flatMap((item) => (item.kind === 'link' && item.link.relation === 'parent' ? [item.link] : []));
    expect(parents.filter((l) => l.org === 'RZA')).toEqual([
      { org: 'RZA', relation: 'parent', level: 'region', target: 'Y62', validFrom: '2022-07' },
      { org: 'RZA', relation: 'parent', level: 'icb', target: 'QZA', validFrom: '2022-07' },
    ]);
    // Closed before ICBs existed: its ICB code in today's file says nothing about its past.
    expect(parents.filter((l) => l.org === 'RZB')).toEqual([]);
    expect(parents.find((l) => l.org === 'RZC' && l.level === 'icb')).toMatchObject({ validFrom: '2022-07', validTo: '2024-09' });
    expect(parents.find((l) => l.org === 'RZE' && l.level === 'icb')).toMatchObject({ validFrom: '2024-11' });
    // The Welsh trust has no English region or ICB.
    expect(parents.filter((l) => l.org === 'RZD')).toEqual([]);
  });

  it('adds the known successions, RW6 to both its successors among them', async () => {
    const { items } = await parseAll(ods, sourceFile('etr.csv', etrBytes));
    const successions = items.flatMap((item) => (item.kind === 'link' && item.link.relation === 'successor' ? [item.link] : []));
    expect(successions).toHaveLength(KNOWN_SUCCESSIONS.length);
    expect(successions.filter((l) => l.org === 'RW6').map((l) => [l.target, l.validFrom])).toEqual([['R0A', '2021-04'], ['RM3', '2021-10']]);
  });
});

describe('ods.parse(succ.csv)', () => {
  it('emits one successor link per row, dated by the effective month, and claims no period', async () => {
    const { items, periods } = await parseAll(ods, sourceFile('succ.csv', fixture('ods', 'synthetic-ods-succ.csv')));
    expect(periods).toEqual([]);
    expect(items).toEqual([
      { kind: 'link', link: { org: 'RZB', relation: 'successor', level: 'trust', target: 'RZA', validFrom: '2021-10' } },
      { kind: 'link', link: { org: 'RZC', relation: 'successor', level: 'trust', target: 'RZE', validFrom: '2024-10' } },
    ]);
  });
});

describe('odsDate(text)', () => {
  it('reads YYYYMMDD and refuses impossible dates', () => {
    expect(odsDate('20210930')).toBe('2021-09-30');
    expect(odsDate('20210931')).toBeUndefined();
    expect(odsDate('2021-09-30')).toBeUndefined();
  });
});

describe('discoverOds(options, io)', () => {
  it('lists the trust list and the successor report', async () => {
    const found = [];
    const logger = { info: () => {}, warn: () => {}, debug: () => {} };
    for await (const publication of discoverOds(ods.options.parse({}), { logger })) found.push(publication);
    expect(found.map((p) => p.url)).toEqual([
      'https://www.odsdatasearchandexport.nhs.uk/api/getReport?report=etr',
      'https://www.odsdatasearchandexport.nhs.uk/api/getReport?report=succ',
    ]);
  });
});

describe('ingestFile(store, bad ODS file)', () => {
  let store: Store;
  beforeEach(async () => {
    store = await memoryStore();
    await ingestFile(store, { name: 'etr.csv', bytes: etrBytes });
  });
  afterEach(() => store.close());

  const lines = etrText.split('\r\n');
  const cases: { name: string; text: string; code: Parameters<typeof expectPlanwatchError>[1]; line?: number; column?: string }[] = [
    { name: 'an impossible open date', text: etrText.replace('"20171001"', '"20171301"'), code: 'E_VALUE', line: 1, column: 'field 11 (open date)' },
    { name: 'text in the region field', text: etrText.replace('"Y59","QZB","SYNTHETIC HOUSE","MADE-UP ROAD","","NOWHERE","","ZZ1 1ZZ","19940401"', '"South","QZB","SYNTHETIC HOUSE","MADE-UP ROAD","","NOWHERE","","ZZ1 1ZZ","19940401"'), code: 'E_VALUE', line: 3, column: 'field 3 (region code)' },
    { name: 'a duplicate trust', text: `${etrText}${lines[0]}\r\n`, code: 'E_DUPLICATE', line: 6 },
    { name: 'a row cut short', text: `${etrText}"RZF","SYNTHETIC CUT"\r\n`, code: 'E_TRUNCATED', line: 6 },
  ];
  for (const { name, text, code, line, column } of cases) {
    it(`refuses ${name}, naming the line, and leaves the store unchanged`, async () => {
      const before = await tableCounts(store);
      await expectPlanwatchError(() => ingestFile(store, { name: 'etr.csv', bytes: encode(text) }), code, { file: 'etr.csv', ...(line ? { line } : {}), ...(column ? { column } : {}) });
      expect(await tableCounts(store)).toEqual(before);
    });
  }

  it('keeps the trust list current when a successor file is ingested after it', async () => {
    await ingestFile(store, { name: 'succ.csv', bytes: fixture('ods', 'synthetic-ods-succ.csv') });
    const parents = await store.one<{ n: bigint }>("SELECT count(*) AS n FROM current_org_links WHERE relation = 'parent'");
    const successors = await store.all<{ org: string; target: string }>("SELECT org, target FROM current_org_links WHERE relation = 'successor' AND org LIKE 'RZ%'");
    expect(Number(parents?.n)).toBe(6);
    expect(successors).toEqual([{ org: 'RZB', target: 'RZA' }, { org: 'RZC', target: 'RZE' }]);
    const facts = await store.one<{ n: bigint }>('SELECT count(*) AS n FROM current_org_facts');
    expect(Number(facts?.n)).toBe(5);
  });
});
