import { describe, expect, it } from 'vitest';
import { financialYearIn, isRevised, parsePeriodInfo, periodIn } from '../../../src/sources/http/periods.js';

// File names and link texts as publications.md quotes them (§ in the comment), with the month
// and revision each states.
const names: [name: string, period: string | undefined, revised: boolean, note: string][] = [
  // A&E provider CSVs (§2.3)
  ['March-2019-CSV-plaor.csv', '2019-03', false, 'no "Monthly-AE"'],
  ['Monthly-AE-April-2019-revised-220720-ab123.csv', '2019-04', true, 'revision stamp DDMMYY is not a period'],
  ['Monthly-September-2019-revised-210720-jh930.csv', '2019-09', true, 'no "AE"'],
  ['April-2020-revised-260421-abc123.csv', '2020-04', true, 'stamp 26 Apr 2021'],
  ['April-2021-revised-120522-ABC456.csv', '2021-04', true, 'upper-case token'],
  ['April-2023-revised-91123-abc123v1.csv', '2023-04', true, 'five-digit stamp'],
  ['June-2023-revised-91123-ghi456-1.csv', '2023-06', true, '-1 duplicate suffix'],
  ['July-2023-revised-91123-jkl789-v2.csv', '2023-07', true, '-v2'],
  ['Monthly-AE-October-2023.csv', '2023-10', false, 'first publication'],
  ['Monthly-AE-April-2024-revised.csv', '2024-04', true, 'undated revision'],
  ['Monthly-AE-June-2025-1-1.csv', '2025-06', false, '-1-1 double duplicate suffix'],
  ['July-2025-CSV-9jfy4.csv', '2025-07', false, 'token'],
  ['Monthly-AE-Nov-25-CSV-revised.csv', '2025-11', true, 'Mon-YY'],
  ['February-2026-CSV-Dl8t54.csv', '2026-02', false, 'token with digits'],
  ['Monthly-AE-March-2026-revised-flkg42.csv', '2026-03', true, 'marker before token'],
  // A&E workbooks (§2.2, §2.4)
  ['June-2021-AE-by-provider-j47iI.xls', '2021-06', false, 'by provider'],
  ['April-2022-AE-by-provider-94yEu-revised-check.xls', '2022-04', true, '"-revised-check"'],
  ['May-2022-AE-by-provider-revised-110523-OZPOx.xls', '2022-05', true, 'marker before token'],
  ['June-2022-AE-by-provider-dfTKt-revised-110523.xls', '2022-06', true, 'marker after token'],
  ['May-2023-AE-revised-91123-by-provider-QG3Cd.xls', '2023-05', true, 'marker in the middle'],
  ['January-2024-AE-revised-130624-by-provider-4qYV2-1.xls', '2024-01', true, 'stamp 13 Jun 2024 and -1'],
  ['Monthly-AE-November-2024-XLS-424KB.xls', '2024-11', false, 'name copies the anchor text'],
  ['March-2024-AE-revised-by-provider-dmurT.xls', '2024-03', true, 'a 2024 month uploaded in 2025'],
  ['June-2025-AE-by-provider-3euC4-1.xlsx', '2025-06', false, '.xlsx'],
  ['Monthly-AE-April-2019-revised-220720-632O5.xls', '2019-04', true, 'older workbook naming'],
  ['Monthly-October-2019-revised-210720-qm5hG.xls', '2019-10', true, 'no "AE"'],
  ['Monthly-AE-Time-Series-February-2026-D36ah6.xls', '2026-02', false, 'time series with token'],
  ['Adjusted-Monthly-AE-Time-Series-August-2022-1.xls', '2022-08', false, 'adjusted, -1'],
  ['Statistical-commentary-November-2021-jf8.pdf', '2021-11', false, 'PDF'],
  ['Acute-Trust-Attribution-File.xls', undefined, false, 'no period at all'],
  // Site-wide ingredients (§1.3) and other collections (§3–§8)
  ['Full-CSV-data-file-Jul25-ZIP-4M-92707.zip', '2025-07', false, 'MonYY with batch number'],
  ['NonAdmitted-Provider-Apr-22-XLS-8573K-57873.xls', '2022-04', false, 'Mon-YY'],
  ['Full-CSV-data-file-Jun22ZIP-3886K-68395.zip', '2022-06', false, 'MonYY glued to ZIP'],
  ['Full-CSV-data-file-Dec21-ZIP-4190K..zip', '2021-12', false, 'double dot'],
  ['Full-CSV-data-file-Sep18-revised-ZIP-K.zip', '2018-09', true, 'size missing'],
  ['Full-CSV-data-file-Apr20-ZIP-2171K-195371.zip', '2020-04', false, 'six-digit batch is not YYYYMM'],
  ['Full-CSV-data-file-Feb20-ZIP-3174K-20005-1.zip', '2020-02', false, '-1 after batch'],
  ['Incomplete-Provider-Jul23-XLSX-8577K-revisions.xlsx', '2023-07', true, '"revisions"'],
  ['Incomplete-Provider-Aug16-revised-v2-XLS-4096K-resaved.xlsx', '2016-08', true, 'revised-v2'],
  ['Incomplete_Provider_Apr12-revised_xl.xls', '2012-04', true, 'underscores'],
  ['Admitted_Commissioner_Dec11_xl-revised.xls', '2011-12', true, 'underscores, marker last'],
  ['Download-Waiting-Times-by-Hospital-Trust-XLS-5900K-Jul20.xls', '2020-07', false, 'period at the end'],
  ['20260228-RTT-February-2026-full-extract.csv', '2026-02', false, 'YYYYMMDD agrees with the name'],
  ['202405-May-2024-sitrep-data-FINAL-revised.xlsx', '2024-05', true, 'YYYYMM prefix'],
  ['202506-July-2025-beds-sitrep-data-finalversion-v2.xlsx', '2025-07', false, 'wrong YYYYMM prefix: the month name wins'],
  ['Daily-discharge-sitrep-monthly-data-webfile-September20241-2.xlsx', '2024-09', false, 'year glued to a duplicate suffix'],
  ['Daily-discharge-sitrep-monthly-data-CSV-webfile-July2025v2.csv', '2025-07', false, 'v2 glued to the year'],
  ['Daily-discharge-sitrep-monthly-data-webfile-8-CSV-nov25.csv', '2025-11', false, 'lower-case monYY'],
  ['Discharge-Ready-Date-monthly-data-Sept-2023-revised.xlsx', '2023-09', true, '"Sept"'],
  ['Discharge-Ready-Date-Timeseries-webfile-Sept-2023-May-2025.xlsx', '2025-05', false, 'a range ends at its last month'],
  ['AmbSYS-to-20201031.csv', '2020-10', false, 'YYYYMMDD only'],
  ['AmbSYS-for-2022-Apr.csv', '2022-04', false, 'year before month'],
  ['AmbSYS-to-Jun22.csv', '2022-06', false, 'MonYY'],
  ['AmbSYS-to-February23.csv', '2023-02', false, 'full month, two-digit year'],
  ['AmbSYS-2026-July-ys2r7.xlsx', '2026-07', false, 'year before month, token'],
  ['OCTOBER-2024-CWT-CRS-PROVIDER-WORKBOOK-FINAL.xlsx', '2024-10', false, 'upper case'],
  ['Cancer-Waiting-Times-Apr-May-2021-Data-Extract-Provider.xlsx', '2021-05', false, 'Mon-Mon-YYYY range'],
  ['CWT-CRS-Apr-2024-to-Sep-2024-Data-Extract-Provider-Final.xlsx', '2024-09', false, 'range with "to"'],
  ['CWT-CRS-National-Time-Series-Oct-2009-Apr-2026-with-Revisions.xlsx', '2026-04', true, '"with Revisions"'],
  ['Monthly-Diagnostics-Web-File-Provider-August-2020_o1lg9.xls', '2020-08', false, 'underscore token'],
  ['Beds-Open-Overnight-Web_File-Q4-2021-22-Final-OIUJK.xlsx', '2022-03', false, 'Q4 is March of the second year'],
  ['Beds-Open-Overnight-Q1-201819-REVISED-Web_File-Final.xlsx', '2018-06', true, 'Q1 with a run-together year'],
  ['NHS-organisations-in-England-Quarter-1-2026-27-Overnight.xlsx', '2026-06', false, '"Quarter-1"'],
];

const texts: [text: string, period: string | undefined, revised: boolean][] = [
  // §1.4, §2.1, §3.1, §5.1
  ['Monthly A&E November 2025 (CSV)', '2025-11', false],
  ['Monthly A&E December 2025 revised (CSV)', '2025-12', true],
  ['Monthly A&E Time Series March 2024 (XLS,403K)', '2024-03', false],
  ['Full CSV data file Jul25 (ZIP, 4M)', '2025-07', false],
  ['Incomplete Provider Jul25 (XLSX, 9M)', '2025-07', false],
  ['CWT CRS – National Time Series Oct 2009 – Mar 2025 with Revisions (XLSX, 56KB)', '2025-03', true],
  ['Ambulance Systems Indicators Time Series to January 2020 (xlsx, 1010KB) (published on 13 February 2020)', '2020-01', false],
  ['KH03 Pre-Release Access List (PDF, 49KB)', undefined, false],
  ['Martha’s Rule', undefined, false],
  ['2019-20 Annual Report – spreadsheet (XLS 99K)', undefined, false],
];

describe('periodIn(name) and isRevised(name)', () => {
  it.each(names)('%s → %s (revised %s): %s', (name, period, revised) => {
    expect(periodIn(name)).toBe(period);
    expect(isRevised(name)).toBe(revised);
  });
});

describe('periodIn(link text) and isRevised(link text)', () => {
  it.each(texts)('%s → %s (revised %s)', (text, period, revised) => {
    expect(periodIn(text)).toBe(period);
    expect(isRevised(text)).toBe(revised);
  });

  it('does not read a month out of an ordinary word', () => {
    expect(periodIn('Summary of Mayor’s decisions 2024')).toBeUndefined();
    expect(periodIn('Marching orders 2024')).toBeUndefined();
  });
});

describe('parsePeriodInfo(link)', () => {
  it('takes the period from the anchor text before the file name', () => {
    const info = parsePeriodInfo({ title: 'Monthly A&E March 2024 revised (XLS, 416KB)', name: 'March-2025-wrong.xls' });
    expect(info).toEqual({ period: '2024-03', revised: true, from: 'title' });
  });

  it('falls back to the file name when the text has no month', () => {
    expect(parsePeriodInfo({ title: 'Monthly A&E CSV (31KB)', name: 'July-2025-CSV-9jfy4.csv' })).toEqual({
      period: '2025-07',
      revised: false,
      from: 'name',
    });
  });

  it('falls back to the heading above the link last', () => {
    expect(parsePeriodInfo({ title: 'CSV (30KB)', name: 'data.csv', context: 'August 2025' })).toEqual({
      period: '2025-08',
      revised: false,
      from: 'context',
    });
  });

  it('counts a file as revised when only its name says so', () => {
    expect(parsePeriodInfo({ title: 'Monthly A&E April 2024 (CSV, 30KB)', name: 'Monthly-AE-April-2024-revised.csv' }).revised).toBe(true);
  });

  it('says nothing when no source names a month', () => {
    expect(parsePeriodInfo({ title: 'Acute Trust Attribution File (XLS, 60KB)', name: 'Acute-Trust-Attribution-File.xls' })).toEqual({
      revised: false,
    });
  });
});

describe('financialYearIn(slug)', () => {
  it.each([
    ['ae-attendances-and-emergency-admissions-2024-25/', { first: '2024-04', last: '2025-03' }],
    ['statistical-work-areasae-waiting-times-and-activityae-attendances-and-emergency-admissions-2015-16-monthly-3/', { first: '2015-04', last: '2016-03' }],
    ['rtt-data-2025-26', { first: '2025-04', last: '2026-03' }],
    ['critical-care-and-general-acute-beds-urgent-and-emergency-care-daily-situation-reports-25-26/', { first: '2025-04', last: '2026-03' }],
    ['Monthly A&E Attendances and Emergency Admissions 1999-00', { first: '1999-04', last: '2000-03' }],
  ])('%s', (slug, year) => {
    expect(financialYearIn(slug)).toEqual(year);
  });

  it('refuses two numbers that are not consecutive years', () => {
    expect(financialYearIn('Monthly-AE-June-2025-1-1')).toBeUndefined();
    expect(financialYearIn('report-2024-12')).toBeUndefined();
  });
});
