import ExcelJS from 'exceljs';

/**
 * Builds synthetic AmbSYS time-series workbooks (made-up figures, the published sheet layout:
 * group labels on rows 1–4, the header on row 5, blocks separated by blank rows, a "Raw data"
 * label row, helper columns at the far right repeating Year and Month). Bad-input tests take the
 * good one and change one thing through the options.
 */
export const RAW_HEADER = ['Concatenated', 'Year', 'Month', 'Reg', null, 'Area', 'Trust', 'A0', 'A8', 'A9', 'A10', 'A11', 'A12',
  'A24', 'A25', 'A26', 'A27', 'A28', 'A29', 'A30', 'A31', 'A32', 'A33', 'A34', 'A35', 'A36', 'A37', 'A38', null, 'Month', 'Year'];

type Value = number | string | null;

/** One synthetic row: per category count and total seconds; means and centiles follow from them. */
function row(year: string, month: string, reg: string | null, area: string, trust: string | null, c: [number, number][], p90: Value[] = []): Value[] {
  const cells: Value[] = [`${year}${month}${area}`, year, month, reg, reg ? 'Region name' : null, area, trust, 999];
  cells.push(...c.map(([count]) => count));
  for (const [index, [count, total]] of c.entries()) cells.push(total, count ? Math.round(total / count) : '-', p90[index] ?? Math.round((2 * total) / (count || 1)));
  cells.push(null, month, year);
  return cells;
}

// [count, total seconds] for C1, C1T, C2, C3, C4. England is the sum of the two services.
const RZA = (k: number): [number, number][] => [[100 * k, 48000 * k], [10, 9000], [300 * k, 540000 * k], [200, 1200000], [50, 600000]];
const RZB = (k: number): [number, number][] => [[50 * k, 30000 * k], [5, 5000], [100 * k, 240000 * k], [100, 700000], [20, 300000]];
const sum = (a: [number, number][], b: [number, number][]): [number, number][] => a.map(([n, t], i) => [n + b[i]![0], t + b[i]![1]]);

const MONTHS: [string, string, number][] = [['2022-23', 'DECEMBER', 1], ['2022-23', 'JANUARY', 2], ['2022-23', 'FEBRUARY', 1], ['2024-25', 'JANUARY', 3]];

export interface SyntheticOptions {
  /** Leave out the Raw sheet. */
  withoutRaw?: boolean;
  /** Blank rows inserted above the header (shifts it down). */
  shift?: number;
  /** Replace a header cell: [old name, new name]. */
  renameColumn?: [string, string | null];
  /** Put this text in RZA's C2 count for January 2025. */
  textInNumber?: string;
  /** Repeat the last row. */
  duplicateRow?: boolean;
  withoutIcbLookup?: boolean;
}

export function syntheticRawRows(options: SyntheticOptions = {}): Value[][] {
  const header = RAW_HEADER.map((name) => (options.renameColumn && name === options.renameColumn[0] ? options.renameColumn[1] : name));
  const rows: Value[][] = [
    [null, null, null, null, null, null, null, 'Calls', 'Incidents'],
    [null, null, null, null, null, null, null, null, 'C1'],
    [],
    [null, null, null, null, null, null, null, 'Count', 'Count'],
    ...Array.from({ length: options.shift ?? 0 }, () => []),
    header,
  ];
  for (const [year, month, k] of MONTHS) rows.push(row(year, month, null, 'ENG', null, sum(RZA(k), RZB(k))));
  rows.push([], []);
  for (const [year, month, k] of MONTHS) rows.push(row(year, month, 'Y59', 'Y59', null, sum(RZA(k), RZB(k))));
  rows.push([], ['Raw data']);
  for (const [year, month, k] of MONTHS) {
    const rza = row(year, month, 'Y59', 'RZA', 'SYNTHETIC NORTH AMBULANCE SERVICE NHS TRUST', RZA(k));
    if (options.textInNumber && year === '2024-25') rza[RAW_HEADER.indexOf('A10')] = options.textInNumber;
    rows.push(rza);
    // RZB did not report C4 in December 2022: '-' in the workbook, and one '.' as in the real file.
    const rzb = row(year, month, 'Y59', 'RZB', 'SYNTHETIC SOUTH AMBULANCE SERVICE NHS TRUST', RZB(k));
    if (month === 'DECEMBER') {
      rzb[RAW_HEADER.indexOf('A12')] = '-';
      rzb[RAW_HEADER.indexOf('A36')] = '.';
    }
    rows.push(rzb);
  }
  if (options.duplicateRow) rows.push([...rows.at(-1)!]);
  return rows;
}

const LOOKUP: Value[][] = [
  ['Ambulance Service geography'],
  [null, null, null, 'Of incidents in the ICB area, proportion responded to by each Ambulance Service'],
  [null, null, 'Ambulance Service code:', 'RZA', 'RZB'],
  ['ICB code by ONS', 'ICB code by NHS', 'Integrated Care Board (ICB) name', 'North', 'South'],
  ['E54999991', 'QZA', 'NHS Synthetic North', 0.75, 0.25],
  ['E54999992', 'QZB', 'NHS Synthetic South', 0, 1],
  [],
  ['Methodology'],
];

export async function syntheticAmbsysWorkbook(options: SyntheticOptions = {}): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('Introduction').addRow(['Synthetic AmbSYS time series for tests: every figure is made up.']);
  workbook.addWorksheet('Response times');
  workbook.addWorksheet('Incidents');
  if (!options.withoutIcbLookup) {
    const lookup = workbook.addWorksheet('ICB lookup');
    for (const cells of LOOKUP) lookup.addRow(cells);
  }
  if (!options.withoutRaw) {
    const raw = workbook.addWorksheet('Raw');
    for (const cells of syntheticRawRows(options)) raw.addRow(cells);
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
