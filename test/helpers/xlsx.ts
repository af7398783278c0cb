import ExcelJS from 'exceljs';

/**
 * Writes synthetic workbooks for tests. Fixtures are kept as readable rows in .ts files (the
 * exact published headers, made-up numbers) and turned into .xlsx bytes here, so a bad-input
 * fixture is the good one with one visible change. Only tests write workbooks; src/ reads
 * them through src/sources/workbook.ts alone.
 */
export type FixtureCell = string | number | Date | null;

export interface FixtureSheet {
  name: string;
  /** rows[i] is spreadsheet row i + 1; column A is index 0. */
  rows: FixtureCell[][];
}

export async function writeWorkbook(sheets: readonly FixtureSheet[]): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  for (const sheet of sheets) {
    const worksheet = workbook.addWorksheet(sheet.name);
    sheet.rows.forEach((cells, index) => {
      const row = worksheet.getRow(index + 1);
      cells.forEach((value, column) => {
        if (value !== null) row.getCell(column + 1).value = value;
      });
      row.commit();
    });
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
