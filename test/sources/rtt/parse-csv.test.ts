import { readFileSync } from 'node:fs';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorCode, ErrorLocation } from '../../../src/errors.js';
import { readHead } from '../../../src/sources/head.js';
import { claim } from '../../../src/sources/registry.js';
import { rtt } from '../../../src/sources/rtt/index.js';
import type { Observation } from '../../../src/sources/contract.js';
import { ingestFile } from '../../../src/store/ingest.js';
import { Store } from '../../../src/store/store.js';
import { expectPlanwatchError } from '../../helpers/errors.js';
import { toJsonLines } from '../../helpers/fixtures.js';
import { parseFile } from '../../helpers/parse.js';
import { expectStoreUnchanged } from '../../helpers/store.js';

const FIXTURES = new URL('../../fixtures/rtt/', import.meta.url);
const NAME = '20241130-RTT-November-2024-synthetic.csv';
const text = readFileSync(new URL('synthetic-rtt-csv-104-nov24.csv', FIXTURES), 'utf8');
const encode = (csv: string) => new TextEncoder().encode(csv);

function observations(items: Awaited<ReturnType<typeof parseFile>>['items']): Observation[] {
  return items.flatMap((item) => (item.kind === 'observation' ? [item.observation] : []));
}

function value(obs: readonly Observation[], org: string, metric: string): number | null | undefined {
  return obs.find((o) => o.org === org && o.metric === metric)?.value;
}

/** The fixture with one cell changed: `line` is 1-based, `column` the published header. */
function withCell(csv: string, line: number, column: string, replacement: string): string {
  const lines = csv.split('\n');
  const header = lines[0]!.split(',');
  const cells = lines[line - 1]!.split(',');
  cells[header.indexOf(column)] = replacement;
  lines[line - 1] = cells.join(',');
  return lines.join('\n');
}

describe('rtt.parse(full CSV extract)', () => {
  it('sums each provider\'s Part_2 C_999 rows over commissioners into its waiting list', async () => {
    const { items, summary } = await parseFile(rtt, NAME, encode(text));
    expect(summary).toEqual({ layout: 'rtt-csv-104', periods: ['2024-11'], partial: 'only 2 providers of the national extract' });
    await expect(toJsonLines(items)).toMatchFileSnapshot('./__output__/synthetic-rtt-csv-104-nov24.jsonl');
    const obs = observations(items);
    // R0X: 24 + 20 pathways for the sub-ICB commissioner and 6 for the national hub.
    expect(value(obs, 'R0X', 'incomplete_total')).toBe(50);
    expect(value(obs, 'R0X', 'incomplete_within_18wk')).toBe(5 + 7 + 4 + 3 + 6 + 5 + 3);
    expect(value(obs, 'R0X', 'incomplete_over_52wk')).toBe(6);
    expect(value(obs, 'R0X', 'incomplete_over_65wk')).toBe(3);
    expect(value(obs, 'R0X', 'incomplete_over_104wk')).toBe(1);
    expect(value(obs, 'NT9', 'incomplete_total')).toBe(21);
  });

  it('leaves out completed pathways, DTA pathways and new periods', async () => {
    const obs = observations((await parseFile(rtt, NAME, encode(text))).items);
    expect(new Set(obs.map((o) => o.metric.replace(/_wk_.*/, '_wk_*')))).toEqual(new Set([
      'incomplete_total', 'incomplete_wk_*', 'incomplete_within_18wk',
      'incomplete_over_52wk', 'incomplete_over_65wk', 'incomplete_over_78wk', 'incomplete_over_104wk',
    ]));
  });

  it('records each provider\'s ICB from "Provider Parent Org Code"', async () => {
    const { items } = await parseFile(rtt, NAME, encode(text));
    const facts = items.flatMap((item) => (item.kind === 'org' && item.fact.level === 'provider' ? [item.fact] : []));
    expect(facts.map((fact) => [fact.org, fact.parentLevel, fact.parent])).toEqual([['R0X', 'icb', 'QXX'], ['NT9', 'icb', 'QXX']]);
  });

  it('names the ICBs the extract gives as provider and commissioner parents', async () => {
    const { items } = await parseFile(rtt, NAME, encode(text));
    const icbs = items.flatMap((item) => (item.kind === 'org' && item.fact.level === 'icb' ? [item.fact] : []));
    expect(icbs.length).toBeGreaterThan(0);
    for (const fact of icbs) expect(fact).toMatchObject({ org: expect.stringMatching(/^Q/), period: '2024-11', name: expect.stringMatching(/\S/) });
  });

  it('reads the same figures from the zip NHS England publishes', async () => {
    const zip = zipSync({ [NAME]: encode(text) });
    const zipped = await parseFile(rtt, 'Full-CSV-data-file-Nov24-ZIP-4M-synthetic.zip', zip);
    const plain = await parseFile(rtt, NAME, encode(text));
    expect(observations(zipped.items)).toEqual(observations(plain.items));
  });

  it('reads an older extract with bands to "Gt 52 Weeks" below junk rows, without guessing longer waits', async () => {
    const old = readFileSync(new URL('synthetic-rtt-csv-52-sep19.csv', FIXTURES));
    const { items, summary } = await parseFile(rtt, 'RTT-SEPTEMBER-2019-full-extract-synthetic.csv', old);
    expect(summary).toEqual({ layout: 'rtt-csv-52', periods: ['2019-09'], partial: 'only 1 provider of the national extract' });
    const obs = observations(items);
    expect(value(obs, 'R0X', 'incomplete_over_52wk')).toBe(1);
    expect(value(obs, 'R0X', 'incomplete_wk_52_plus')).toBe(1);
    expect(value(obs, 'R0X', 'incomplete_over_65wk')).toBeUndefined();
    expect(obs.find((o) => o.metric === 'incomplete_total')?.row).toBe(5);
  });
});

describe('rtt.detect(full CSV extract)', () => {
  it('claims the extract, zipped or not, and a header below junk rows', () => {
    expect(claim(readHead(NAME, encode(text))).layout).toBe('rtt-full-extract');
    expect(claim(readHead('x.zip', zipSync({ [NAME]: encode(text) }))).layout).toBe('rtt-full-extract');
    expect(claim(readHead('old.csv', readFileSync(new URL('synthetic-rtt-csv-52-sep19.csv', FIXTURES)))).plugin.id).toBe('rtt');
  });

  it('does not claim other CSVs', () => {
    expect(rtt.detect({ name: 'ae.csv', lines: ['Period,Org Code,Parent Org,Org name'], isWorkbook: false })).toBeNull();
  });
});

const lines = text.split('\n');
const zipped = zipSync({ [NAME]: encode(text) });

/** Each bad input is the good fixture with one change, and the refusal it must get. */
const ZIP_NAME = 'Full-CSV-data-file-Nov24-ZIP-synthetic.zip';
const BAD: { case: string; name?: string; bytes: Uint8Array; code: ErrorCode; at: Partial<ErrorLocation>; says?: string }[] = [
  { case: 'a missing column, naming it', bytes: encode(text.replace(',Total All\n', ',Grand Total\n')), code: 'E_HEADER', at: { file: NAME, line: 1, column: 'Total All' } },
  { case: 'a gap in the week bands, naming the column after it', bytes: encode(text.replace('Gt 17 To 18 Weeks SUM 1', 'Gt 17 To 19 Weeks SUM 1')), code: 'E_HEADER', at: { line: 1, column: 'Gt 18 To 19 Weeks SUM 1' } },
  { case: 'a file that is not an extract at all', bytes: encode('Period,Org Code\nX,Y\n'), code: 'E_HEADER', at: { file: NAME, line: 1 } },
  { case: 'text in a number, naming line and column', bytes: encode(withCell(text, 5, 'Gt 03 To 04 Weeks SUM 1', 'n/a')), code: 'E_NUMBER', at: { file: NAME, line: 5, column: 'Gt 03 To 04 Weeks SUM 1' }, says: '"n/a"' },
  { case: 'a file cut short in its last row', bytes: encode(text.slice(0, text.lastIndexOf(',0,0,0,'))), code: 'E_TRUNCATED', at: { file: NAME, line: 11 } },
  { case: 'a file cut short inside its zip', name: ZIP_NAME, bytes: zipped.subarray(0, zipped.length - 40), code: 'E_TRUNCATED', at: { file: ZIP_NAME } },
  { case: 'an empty file', bytes: encode(''), code: 'E_EMPTY', at: { file: NAME } },
  { case: 'a header with no waiting list', bytes: encode(lines[0] + '\n'), code: 'E_EMPTY', at: { file: NAME } },
  {
    case: 'a duplicated row, naming both lines', bytes: encode([...lines.slice(0, 4), lines[3], ...lines.slice(4)].join('\n')),
    code: 'E_DUPLICATE', at: { file: NAME, line: 5, column: 'Treatment Function Code' }, says: 'lines 4 and 5',
  },
  {
    case: 'a C_999 row that is not the sum of its treatment functions',
    bytes: encode(withCell(withCell(text, 5, 'Gt 00 To 01 Weeks SUM 1', '6'), 5, 'Total All', '45')),
    code: 'E_TOTAL_MISMATCH', at: { file: NAME, line: 5, column: 'Total All' }, says: 'treatment functions add up to 50',
  },
  { case: 'bands that do not add up to Total All', bytes: encode(withCell(text, 11, 'Total All', '22')), code: 'E_TOTAL_MISMATCH', at: { file: NAME, line: 11, column: 'Total All' } },
  { case: 'rows of two different months', bytes: encode(withCell(text, 11, 'Period', 'RTT-December-2024')), code: 'E_VALUE', at: { file: NAME, line: 11, column: 'Period' } },
];

describe('rtt.parse(bad full CSV extract)', () => {
  it.each(BAD)('refuses $case', async ({ name, bytes, code, at, says }) => {
    const error = await expectPlanwatchError(() => parseFile(rtt, name ?? NAME, bytes), code, at);
    if (says) expect(error.message).toContain(says);
  });
});

describe('ingestFile(bad RTT full extract)', () => {
  let store: Store;
  beforeAll(async () => {
    store = await Store.open(':memory:');
    await ingestFile(store, { name: NAME, bytes: encode(text) });
  });
  afterAll(() => store.close());

  it.each(BAD)('stores nothing from $case', async ({ bytes }) => {
    await expectStoreUnchanged(store, () => ingestFile(store, { name: 'RTT-bad-synthetic.csv', bytes }));
  });
});
