import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorCode, ErrorLocation } from '../../../src/errors.js';
import { measureById } from '../../../src/measures/index.js';
import { measureValues } from '../../../src/measures/query.js';
import { bedsSitrep } from '../../../src/sources/beds-sitrep/index.js';
import { readHead } from '../../../src/sources/head.js';
import { claim } from '../../../src/sources/registry.js';
import { ingestFile } from '../../../src/store/ingest.js';
import { Store } from '../../../src/store/store.js';
import { HEADER_LINE, sitrepCsv, sitrepLines } from '../../fixtures/beds-sitrep/synthetic-beds-sitrep.js';
import { expectPlanwatchError } from '../../helpers/errors.js';
import { parseFile } from '../../helpers/parse.js';
import { expectStoreUnchanged } from '../../helpers/store.js';

// Published as "202506-July-2025-…" for July data: the name's month is never read.
const NAME = '202412-January-2025-beds-sitrep-data-synthetic.csv';
const encode = (text: string) => new TextEncoder().encode(text);

async function parse(text = sitrepCsv()) {
  const { items, summary } = await parseFile(bedsSitrep, NAME, encode(text));
  return { summary, items, observations: items.flatMap((item) => (item.kind === 'observation' ? [item.observation] : [])) };
}

describe('beds_sitrep.parse(monthly beds sitrep long CSV)', () => {
  it('reads every level as published, the month from Period, with BOM and trailing empty rows', async () => {
    const { summary, observations } = await parse();
    expect(summary).toEqual({ layout: 'beds-sitrep-monthly-long-2024', periods: ['2025-01'] });
    const value = (org: string, metric: string) => observations.find((o) => o.org === org && o.metric === metric)?.value;
    // England is the National row, not the providers' sum (which is one bed more in the fixture).
    expect(value('ENG', 'ga_available')).toBe(1001);
    expect(value('ENG', 'ga_available_type1')).toBe(801);
    expect(value('Y56', 'ga_occupied')).toBe(900);
    expect(value('QMJ', 'adult_ga_occupied')).toBe(850);
    // A provider's one row is its all-types figure, and its type 1 figure when it is type 1.
    expect(value('RXA', 'ga_available')).toBe(800);
    expect(value('RXA', 'ga_available_type1')).toBe(800);
    expect(value('RXB', 'ga_available')).toBe(200);
    expect(value('RXB', 'ga_available_type1')).toBeUndefined();
    expect(observations.find((o) => o.org === 'RXA' && o.metric === 'ga_occupied')).toMatchObject({ column: 'G&A beds occupied (Type 1)' });
  });

  it('claims the file by its header, and not another CSV', () => {
    expect(claim(readHead(NAME, encode(sitrepCsv()))).plugin.id).toBe('beds_sitrep');
    expect(bedsSitrep.detect({ name: 'x.csv', lines: ['Period,Org Code,Org name'], isWorkbook: false })).toBeNull();
  });
});

describe('beds_sitrep measures', () => {
  let store: Store;
  beforeAll(async () => {
    store = await Store.open(':memory:');
    await ingestFile(store, { name: NAME, bytes: encode(sitrepCsv()) });
  });
  afterAll(() => store.close());

  it('gives occupancy as occupied ÷ available for a provider and for the published England row', async () => {
    const [rxa] = await measureValues(store, measureById('beds_sitrep_ga_occupancy'), { level: 'trust', orgs: ['RXA'] });
    expect(rxa!.value).toBeCloseTo((100 * 770) / 800, 9);
    const [england] = await measureValues(store, measureById('beds_sitrep_ga_adult_occupancy'), { level: 'england' });
    expect(england!.value).toBeCloseTo((100 * 850) / 901, 9);
  });
});

const replace = (from: string, to: string, nth = 0) => () => {
  const lines = sitrepLines();
  const matches = lines.map((line, i) => (line.includes(from) ? i : -1)).filter((i) => i >= 0);
  lines[matches[nth]!] = lines[matches[nth]!]!.replace(from, to);
  return lines.join('\r\n');
};

const BAD: { case: string; text: () => string; code: ErrorCode; at: Partial<ErrorLocation>; says?: string }[] = [
  { case: 'a wrong header', text: () => sitrepCsv().replace('Org Code', 'Organisation Code'), code: 'E_HEADER', at: { line: 1, column: 'Org Code' } },
  { case: 'text in a number', text: replace('RXA,SYNTHETIC ACUTE TRUST,G&A beds occupied,Type 1,770', 'RXA,SYNTHETIC ACUTE TRUST,G&A beds occupied,Type 1,n/a'), code: 'E_NUMBER', at: { column: 'Value' }, says: '"n/a"' },
  { case: 'a file cut short in a line', text: () => sitrepCsv().replace(/,+\s*$/, '').slice(0, -30), code: 'E_TRUNCATED', at: { file: NAME } },
  { case: 'a file cut short at a line end', text: () => sitrepLines().slice(0, -13).join('\r\n'), code: 'E_TRUNCATED', at: { file: NAME } },
  { case: 'an empty file', text: () => '', code: 'E_EMPTY', at: { file: NAME } },
  { case: 'a header and no rows', text: () => `\uFEFF${HEADER_LINE}\r\n`, code: 'E_EMPTY', at: { file: NAME } },
  { case: 'a duplicated row, naming both lines', text: () => { const lines = sitrepLines(); return [...lines.slice(0, 3), lines[2]!, ...lines.slice(3)].join('\r\n'); }, code: 'E_DUPLICATE', at: { line: 4, column: 'Metric' }, says: 'lines 3 and 4' },
  { case: 'a month that is not the first day', text: replace('01/01/2025', '15/01/2025'), code: 'E_VALUE', at: { line: 2, column: 'Period' } },
  { case: 'two months in one file', text: replace('01/01/2025', '01/02/2025', 5), code: 'E_VALUE', at: { column: 'Period' } },
  { case: 'an England figure its providers miss by more than rounding', text: replace('ENG,England,G&A beds available,All Type,1001', 'ENG,England,G&A beds available,All Type,1101'), code: 'E_TOTAL_MISMATCH', at: { column: 'Value' } },
  { case: 'an occupancy rate that is not occupied ÷ available', text: replace('RXA,SYNTHETIC ACUTE TRUST,G&A occupancy rate,Type 1,0.963', 'RXA,SYNTHETIC ACUTE TRUST,G&A occupancy rate,Type 1,0.75'), code: 'E_TOTAL_MISMATCH', at: { column: 'Value' } },
];

describe('beds_sitrep.parse(bad input)', () => {
  it.each(BAD)('refuses $case', async ({ text, code, at, says }) => {
    const error = await expectPlanwatchError(() => parseFile(bedsSitrep, NAME, encode(text())), code, at);
    if (says) expect(error.message).toContain(says);
  });
});

describe('ingestFile(bad beds sitrep)', () => {
  let store: Store;
  beforeAll(async () => {
    store = await Store.open(':memory:');
    await ingestFile(store, { name: NAME, bytes: encode(sitrepCsv()) });
  });
  afterAll(() => store.close());

  it.each(BAD)('stores nothing from $case', async ({ text }) => {
    await expectStoreUnchanged(store, () => ingestFile(store, { name: 'beds-sitrep-bad-synthetic.csv', bytes: encode(text()) }));
  });
});
