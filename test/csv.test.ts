import { describe, expect, it } from 'vitest';
import { csvText, toCsv } from '../src/csv.js';

describe('csvText(header, rows)', () => {
  it.each([
    ['=', '=HYPERLINK("http://x","y")'],
    ['+', '+44 113 243 2799'],
    ['-', '-2+3+cmd|\' /C calc\'!A0'],
    ['@', '@SUM(A1:A2)'],
    ['a tab', '\t=1+1'],
    ['a carriage return', '\r=1+1'],
    ['a full-width =', '\uff1d1+1'],
  ])('puts an apostrophe before text starting with %s, so no spreadsheet runs it', (_, text) => {
    const [, line] = csvText(['name'], [[text]]).split('\n');
    const cell = line!.startsWith('"') ? line!.slice(1) : line!;
    expect(cell.startsWith(`'${text.slice(0, 1)}`)).toBe(true);
  });

  it('leaves numbers alone, negative ones included, and ordinary text', () => {
    expect(csvText(['org', 'change', 'value'], [['RXX', -1.5, 0.25]])).toBe('org,change,value\nRXX,-1.5,0.25\n');
  });

  it('writes blanks for missing values, never 0', () => {
    expect(csvText(['a', 'b', 'c'], [[null, undefined, 0]])).toBe('a,b,c\n,,0\n');
  });

  it('quotes commas, quotes and line breaks (RFC 4180)', () => {
    expect(csvText(['name'], [['Alpha, "the" Trust'], ['two\nlines']])).toBe('name\n"Alpha, ""the"" Trust"\n"two\nlines"\n');
  });
});

describe('toCsv(rows, columns)', () => {
  it('neutralises an organisation name written as a formula, as the API CSVs carry them', () => {
    const csv = toCsv([{ code: 'RXX', name: "=cmd|' /C calc'!A0" }], [
      { header: 'code', value: (row) => row.code },
      { header: 'name', value: (row) => row.name },
    ]);
    expect(csv).toBe("code,name\nRXX,'=cmd|' /C calc'!A0\n");
  });
});
