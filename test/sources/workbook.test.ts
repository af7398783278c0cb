import ExcelJS from 'exceljs';
import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { unzipSync, zipSync } from 'fflate';
import { xlsxForReading } from '../../src/sources/ooxml.js';
import { readSheets, sheetNames, sheetPreview, type Cell } from '../../src/sources/workbook.js';

// Row 1 and column A empty, as in NHS England's DM01 files: SheetJS declares such a sheet's range
// from B2, and the June and July 2025 DM01 files declare theirs from A2.
const rows: Cell[][] = [[], [null, 'Period:', 'January 2025'], [null, null, null, 42]];

function xls(sheets: Record<string, Cell[][]>): Uint8Array {
  const workbook = XLSX.utils.book_new();
  for (const [name, data] of Object.entries(sheets)) XLSX.utils.book_append_sheet(workbook, XLSX.utils.aoa_to_sheet(data), name);
  return new Uint8Array(XLSX.write(workbook, { type: 'array', bookType: 'biff8' }) as ArrayBuffer);
}

async function xlsx(sheets: Record<string, Cell[][]>): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  for (const [name, data] of Object.entries(sheets)) {
    const sheet = workbook.addWorksheet(name);
    data.forEach((row, i) => row.forEach((value, j) => {
      if (value !== null) sheet.getCell(i + 1, j + 1).value = value;
    }));
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

describe('readSheets(file, bytes, only)', () => {
  it.each([
    ['.xls', () => xls({ Provider: rows })],
    ['.xlsx', () => xlsx({ Provider: rows })],
  ])('keeps rows[i] = row i + 1 and cells[j] = column j + 1 in an %s whose row 1 and column A are empty', async (_, write) => {
    const [sheet] = await readSheets('synthetic', await write());
    expect(sheet!.rows[1]!.slice(0, 3)).toEqual([null, 'Period:', 'January 2025']);
    expect(sheet!.rows[2]![3]).toBe(42);
  });

  it('reads only the sheets asked for', async () => {
    const bytes = xls({ Provider: rows, Notes: [['Notes']] });
    expect((await readSheets('synthetic.xls', bytes, ['Notes'])).map((sheet) => sheet.name)).toEqual(['Notes']);
  });

  it('reads the sheets asked for from an .xlsx exactly as from the whole workbook, merged cells and dates included', async () => {
    const workbook = new ExcelJS.Workbook();
    const cover = workbook.addWorksheet('Cover');
    cover.getCell('B2').value = 'Published:';
    cover.getCell('C2').value = new Date(Date.UTC(2025, 10, 13));
    cover.getCell('B4').value = 'Synthetic merged heading';
    cover.mergeCells('B4:D5');
    workbook.addWorksheet('By route').getCell('A1').value = 'left out';
    const data = workbook.addWorksheet('Provider');
    data.getCell('B3').value = 'RXX';
    data.getCell('C3').value = { formula: 'D3*2', result: 84 };
    data.getCell('D3').value = 42;
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const whole = await readSheets('synthetic.xlsx', bytes);
    const some = await readSheets('synthetic.xlsx', bytes, ['Provider', 'Cover']);
    expect(some).toEqual(whole.filter((sheet) => sheet.name !== 'By route'));
    expect(some[0]!.rows[4]!.slice(1, 4)).toEqual(Array(3).fill('Synthetic merged heading'));
    expect(some[0]!.rows[1]![2]).toEqual(new Date(Date.UTC(2025, 10, 13)));
    expect(some[1]!.rows[2]!.slice(1, 4)).toEqual(['RXX', 84, 42]);
    // exceljs is handed a copy in which the sheet left out is empty: it never models its cells.
    const copy = xlsxForReading(bytes, ['Provider', 'Cover']);
    expect((await readSheets('copy.xlsx', copy)).map((sheet) => [sheet.name, sheet.rows.length])).toEqual([['Cover', 5], ['By route', 0], ['Provider', 3]]);
    expect(xlsxForReading(bytes, ['Cover', 'By route', 'Provider'])).toBe(bytes);
    expect(xlsxForReading(bytes)).toBe(bytes);
  });

  it('reads the cells of a sheet with a data validation over a whole column, handing exceljs a copy without it', async () => {
    const plain = await xlsx({ Notes: [['n']], Provider: rows });
    const files = unzipSync(plain);
    const part = 'xl/worksheets/sheet2.xml';
    const sheetXml = new TextDecoder().decode(files[part]);
    expect(sheetXml).toContain('</sheetData>');
    // exceljs models a validation address by address: this one would be a million of them.
    files[part] = new TextEncoder().encode(sheetXml.replace('</sheetData>',
      '</sheetData><dataValidations count="1"><dataValidation type="list" allowBlank="1" sqref="A1:A1048576"><formula1>"Yes,No"</formula1></dataValidation></dataValidations>'));
    const validated = zipSync(files);
    const copy = xlsxForReading(validated, ['Provider']);
    expect(new TextDecoder().decode(unzipSync(copy)[part])).not.toContain('dataValidation');
    expect(await readSheets('synthetic-validated.xlsx', validated, ['Provider'])).toEqual(await readSheets('synthetic.xlsx', plain, ['Provider']));
  });

  it('reads the cells of a workbook whose defined names span whole rows, handing exceljs a copy without the names', async () => {
    const plain = await xlsx({ Provider: rows });
    // As in the KH03 web files: a name over columns B to XFA, which exceljs would model cell by cell.
    const files = unzipSync(plain);
    const workbookXml = new TextDecoder().decode(files['xl/workbook.xml']);
    expect(workbookXml).toContain('</sheets>');
    files['xl/workbook.xml'] = new TextEncoder().encode(workbookXml.replace('</sheets>',
      `</sheets><definedNames><definedName name="SyntheticWide">'Provider'!XFA$18:$B$250</definedName></definedNames>`));
    const named = zipSync(files);
    const copy = xlsxForReading(named);
    expect(copy).not.toBe(named);
    expect(new TextDecoder().decode(unzipSync(copy)['xl/workbook.xml'])).not.toContain('definedName');
    expect(await readSheets('synthetic-named.xlsx', named)).toEqual(await readSheets('synthetic.xlsx', plain));
  });
});

describe('sheetNames(bytes) and sheetPreview(bytes, sheet, rows) of an .xlsx, read without SheetJS', () => {
  it('lists the sheets in workbook order, names with XML entities decoded', async () => {
    const bytes = await xlsx({ Frontpage: [['x']], 'A&E <Data>': rows, "O'Neil \"quoted\"": [] });
    expect(sheetNames(bytes)).toEqual(['Frontpage', 'A&E <Data>', "O'Neil \"quoted\""]);
  });

  it('previews the first rows as trimmed text, shared strings and numbers alike, keeping row and column places', async () => {
    const bytes = await xlsx({ Notes: [['n']], Provider: [[], [null, ' Period: ', 'January 2025'], [null, null, null, 42], ['row 4']] });
    expect(sheetPreview(bytes, 'Provider', 3)).toEqual([[], ['', 'Period:', 'January 2025'], ['', '', '', '42']]);
    expect(sheetPreview(bytes, 'Notes')).toEqual([['n']]);
  });

  it('previews nothing for a sheet the workbook lacks, or a workbook cut short', async () => {
    const bytes = await xlsx({ Provider: rows });
    expect(sheetPreview(bytes, 'Missing')).toEqual([]);
    expect(sheetNames(bytes.subarray(0, 40))).toEqual([]);
    expect(sheetPreview(bytes.subarray(0, 40), 'Provider')).toEqual([]);
  });

  it('gives no sheets for bytes that are no workbook', () => {
    expect(sheetNames(new TextEncoder().encode('Period,Org Code\n'))).toEqual([]);
  });

  it('agrees with SheetJS on the sheet names of an .xls', () => {
    expect(sheetNames(xls({ Provider: rows, 'A&E Data': rows }))).toEqual(['Provider', 'A&E Data']);
    expect(sheetPreview(xls({ Provider: rows }), 'Provider')[1]!.slice(0, 3)).toEqual(['', 'Period:', 'January 2025']);
  });
});
