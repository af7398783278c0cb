import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ambsysLinks, ambulance } from '../../../src/sources/ambulance/index.js';
import { periodFromFinancialYear, readAmbValue } from '../../../src/sources/ambulance/values.js';
import type { Observation } from '../../../src/sources/contract.js';
import { readHead } from '../../../src/sources/head.js';
import { claim } from '../../../src/sources/registry.js';
import { ingestFile } from '../../../src/store/ingest.js';
import type { Store } from '../../../src/store/store.js';
import { syntheticAmbsysWorkbook } from '../../helpers/ambsys-workbook.js';
import { expectPlanwatchError } from '../../helpers/errors.js';
import { fixture, memoryStore, parseAll, sourceFile, tableCounts } from '../../helpers/org-store.js';

const observations = (items: Awaited<ReturnType<typeof parseAll>>['items']): Observation[] =>
  items.flatMap((item) => (item.kind === 'observation' ? [item.observation] : []));
const valueOf = (obs: Observation[], org: string, period: string, metric: string) =>
  obs.find((o) => o.org === org && o.period === period && o.metric === metric)?.value;

describe('ambulance.detect(head)', () => {
  it('claims the time-series workbook by its sheets', async () => {
    const bytes = await syntheticAmbsysWorkbook();
    expect(claim(readHead('whatever.xlsx', bytes)).layout).toBe('ambsys-workbook');
  });

  it('claims the monthly CSV by its header, and leaves AmbCO (clinical outcomes) alone', () => {
    expect(claim(readHead('x.csv', fixture('ambulance', 'synthetic-ambsys-csv.csv'))).layout).toBe('ambsys-csv');
    const ambco = new TextEncoder().encode('Year,Month,Region,Org Code,Org Name,R1r,R1n\r\n2011,4,Eng,Eng,England,423,1987\r\n');
    expect(ambulance.detect(readHead('AmbCO.csv', ambco))).toBeNull();
  });
});

describe('ambulance.parse(time-series workbook)', () => {
  it('reads Raw from the header found by content, with financial-year periods', async () => {
    const { items, periods, layout } = await parseAll(ambulance, sourceFile('AmbSYS.xlsx', await syntheticAmbsysWorkbook()));
    expect(layout).toBe('ambsys-workbook');
    expect(periods).toEqual(['2022-12', '2023-01', '2023-02', '2025-01']);
    const obs = observations(items);
    expect(valueOf(obs, 'ENG', '2025-01', 'A10')).toBe(1200);
    expect(valueOf(obs, 'ENG', '2025-01', 'A30')).toBe(2340000);
    expect(valueOf(obs, 'RZA', '2025-01', 'A8')).toBe(300);
    // '-' and '.' are "not published": null, never 0.
    expect(valueOf(obs, 'RZB', '2022-12', 'A12')).toBeNull();
    expect(valueOf(obs, 'RZB', '2022-12', 'A36')).toBeNull();
    // Helper columns at the far right (a second Year and Month) are not read as figures.
    expect(new Set(obs.map((o) => o.metric)).has('Year')).toBe(false);
    // ENG, the region and two services, four months each; the "Raw data" label row is no row.
    expect(new Set(obs.map((o) => `${o.org}|${o.period}`)).size).toBe(16);
  });

  it('names each service as an ambulance trust in its region', async () => {
    const { items } = await parseAll(ambulance, sourceFile('AmbSYS.xlsx', await syntheticAmbsysWorkbook()));
    const fact = items.find((item) => item.kind === 'org' && item.fact.org === 'RZA' && item.fact.period === '2025-01');
    expect(fact).toEqual({ kind: 'org', fact: { org: 'RZA', period: '2025-01', name: 'SYNTHETIC NORTH AMBULANCE SERVICE NHS TRUST', level: 'ambulance_trust', parentLevel: 'region', parent: 'Y59' } });
  });

  it('emits ICB names and share-weighted links from the ICB lookup', async () => {
    const { items } = await parseAll(ambulance, sourceFile('AmbSYS.xlsx', await syntheticAmbsysWorkbook()));
    expect(items.filter((item) => item.kind === 'org' && item.fact.level === 'icb').map((item) => item.kind === 'org' && [item.fact.org, item.fact.name, item.fact.period]))
      .toEqual([['QZA', 'NHS Synthetic North', '2025-01'], ['QZB', 'NHS Synthetic South', '2025-01']]);
    const links = items.flatMap((item) => (item.kind === 'link' ? [item.link] : []));
    // RZA had 300 + 600 + 300 C2 incidents in Dec 2022 – Feb 2023, RZB 100 + 200 + 100.
    expect(links).toEqual([
      { org: 'RZA', relation: 'parent', level: 'icb', target: 'QZA', validFrom: '2022-07', weight: 0.75 / 1200 },
      { org: 'RZB', relation: 'parent', level: 'icb', target: 'QZA', validFrom: '2022-07', weight: 0.25 / 400 },
      { org: 'RZB', relation: 'parent', level: 'icb', target: 'QZB', validFrom: '2022-07', weight: 1 / 400 },
    ]);
  });

  it('still reads a header shifted down by a row', async () => {
    const { items } = await parseAll(ambulance, sourceFile('AmbSYS.xlsx', await syntheticAmbsysWorkbook({ shift: 1 })));
    expect(valueOf(observations(items), 'RZA', '2025-01', 'A8')).toBe(300);
  });
});

describe('ambulance.parse(monthly CSV)', () => {
  it('reads calendar months, Eng as ENG, "." as missing and thousands separators', async () => {
    const { items, periods, layout } = await parseAll(ambulance, sourceFile('AmbSYS-to-January-2025.csv', fixture('ambulance', 'synthetic-ambsys-csv.csv')));
    expect(layout).toBe('ambsys-csv');
    expect(periods).toEqual(['2025-01']);
    const obs = observations(items);
    expect(valueOf(obs, 'ENG', '2025-01', 'A10')).toBe(1400);
    expect(valueOf(obs, 'ENG', '2025-01', 'A30')).toBe(2780000);
    expect(valueOf(obs, 'ENG', '2025-01', 'A0')).toBe(1234);
    expect(valueOf(obs, 'RZA', '2025-01', 'A36')).toBeNull();
    const facts = items.flatMap((item) => (item.kind === 'org' ? [item.fact] : []));
    expect(facts.map((f) => [f.org, f.parent])).toEqual([['RZA', 'Y59'], ['RZB', 'Y59']]);
  });
});

describe('readAmbValue(cell) and periodFromFinancialYear(year, month)', () => {
  const at = { file: 'f', line: 1, column: 'A8' };
  it('treats -, . and blank as missing and reads numbers with separators', () => {
    expect([readAmbValue('-', at), readAmbValue('.', at), readAmbValue('', at), readAmbValue(null, at)]).toEqual([null, null, null, null]);
    expect(readAmbValue('12,345', at)).toBe(12345);
    expect(readAmbValue(496, at)).toBe(496);
  });
  it('puts January to March in the second calendar year of the financial year', () => {
    expect(periodFromFinancialYear('2024-25', 'JANUARY')).toBe('2025-01');
    expect(periodFromFinancialYear('2024-25', 'APRIL')).toBe('2024-04');
    expect(periodFromFinancialYear('2024-26', 'APRIL')).toBeUndefined();
  });
});

describe('ambsysLinks(html, page)', () => {
  it('finds the AmbSYS workbook and CSV among other links, resolving relative ones', () => {
    const html = `<a href="/">Home</a><a href="#Apr25">Apr</a>
      <a href="https://www.england.nhs.uk/statistics/wp-content/uploads/sites/2/2025/09/AmbSYS-Time-Series-until-20250831.xlsx">Ambulance Systems Indicators Time Series to August 2025 (xlsx, 3MB)</a>
      <a href="/statistics/wp-content/uploads/sites/2/2024/05/AmbSYS-to-April-2024.csv">Systems Indicators CSV</a>
      <a href="/statistics/wp-content/uploads/sites/2/2023/10/AmbCO-to-Jul-2023.csv">AmbCO</a>`;
    const links = ambsysLinks(html, 'https://www.england.nhs.uk/statistics/statistical-work-areas/ambulance-quality-indicators/');
    expect(links.map((l) => l.name)).toEqual(['AmbSYS-Time-Series-until-20250831.xlsx', 'AmbSYS-to-April-2024.csv']);
    expect(links[1]!.url).toBe('https://www.england.nhs.uk/statistics/wp-content/uploads/sites/2/2024/05/AmbSYS-to-April-2024.csv');
    expect(links[0]!.title).toBe('Ambulance Systems Indicators Time Series to August 2025 (xlsx, 3MB)');
  });
});

describe('ingestFile(store, bad AmbSYS file)', () => {
  let store: Store;
  beforeEach(async () => {
    store = await memoryStore();
    await ingestFile(store, { name: 'AmbSYS.xlsx', bytes: await syntheticAmbsysWorkbook() });
  });
  afterEach(() => store.close());

  const cases: { name: string; build: () => Promise<Uint8Array>; code: Parameters<typeof expectPlanwatchError>[1]; at: Record<string, unknown> }[] = [
    { name: 'a workbook without the Raw sheet', build: () => syntheticAmbsysWorkbook({ withoutRaw: true }), code: 'E_FORMAT', at: { sheet: 'Raw' } },
    { name: 'a header without Area', build: () => syntheticAmbsysWorkbook({ renameColumn: ['Area', 'Org'] }), code: 'E_HEADER', at: { sheet: 'Raw', line: 5 } },
    { name: 'a header without the C2 mean', build: () => syntheticAmbsysWorkbook({ renameColumn: ['A31', null] }), code: 'E_HEADER', at: { sheet: 'Raw', line: 5, column: 'A31' } },
    { name: 'text in a number', build: () => syntheticAmbsysWorkbook({ textInNumber: 'n/a' }), code: 'E_NUMBER', at: { sheet: 'Raw', line: 24, column: 'A10' } },
    { name: 'a duplicated row', build: () => syntheticAmbsysWorkbook({ duplicateRow: true }), code: 'E_DUPLICATE', at: { sheet: 'Raw', line: 26 } },
  ];
  for (const { name, build, code, at } of cases) {
    it(`refuses ${name}, naming the place, and leaves the store unchanged`, async () => {
      const bytes = await build();
      const before = await tableCounts(store);
      await expectPlanwatchError(() => ingestFile(store, { name: 'AmbSYS-bad.xlsx', bytes }), code, { file: 'AmbSYS-bad.xlsx', ...at });
      expect(await tableCounts(store)).toEqual(before);
    });
  }

  it('refuses text in a CSV number, naming line and column', async () => {
    const text = new TextDecoder().decode(fixture('ambulance', 'synthetic-ambsys-csv.csv')).replace(',100,5,', ',lots,5,');
    const before = await tableCounts(store);
    await expectPlanwatchError(() => ingestFile(store, { name: 'AmbSYS.csv', bytes: new TextEncoder().encode(text) }), 'E_NUMBER', { file: 'AmbSYS.csv', line: 4, column: 'A8' });
    expect(await tableCounts(store)).toEqual(before);
  });

  it('lets a re-issued workbook, published later, supersede every month it covers', async () => {
    // Same months, so only the page's upload month says it is the later publication.
    const result = await ingestFile(store, { name: 'AmbSYS-next.xlsx', bytes: await syntheticAmbsysWorkbook({ shift: 1 }), page: { published: '2099-01', source: 'page' } });
    expect(result.replaced).toEqual(['AmbSYS.xlsx']);
    const current = await store.one<{ n: bigint }>("SELECT count(DISTINCT file_id) AS n FROM current_observations WHERE collection = 'ambulance'");
    expect(Number(current?.n)).toBe(1);
  });
});
