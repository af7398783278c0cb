import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { eachCsvRecord, readCsv } from '../../../src/sources/csv/read.js';

// What csv-parse makes of the text when it finds the line ending itself: readCsv tells it the line
// ending up front, and must read every text exactly as csv-parse alone does.
function asCsvParseReadsIt(text: string): { cells: string[]; line: number }[] {
  const records: { cells: string[]; line: number }[] = [];
  parse(text, {
    bom: true, skip_empty_lines: true, relax_column_count: false,
    on_record: (record: string[], context) => {
      records.push({ cells: record, line: context.lines });
      return null;
    },
  });
  return records;
}

const TEXTS: Record<string, string> = {
  'LF': 'a,b\n1,2\n3,4\n',
  'CRLF': 'a,b\r\n1,2\r\n3,4',
  'CR alone (classic Mac)': 'a,b\r1,2\r3,4\r',
  'a BOM, then CRLF': '\uFEFFa,b\r\n1,2\r\n',
  'one line, no ending': 'Period,Org Code,Org name',
  'a CR inside a later LF file': 'a,b\n1,x\ry\n3,4\n',
  'a quoted line break in the header': '"a\r\nstill a",b\n1,2\n',
  'a quoted line break in a row': 'a,b\n"1\n1",2\n3,4\n',
  'empty lines': '\n\na,b\n\n1,2\n',
};

describe('readCsv(file, bytes)', () => {
  for (const [name, text] of Object.entries(TEXTS)) {
    it(`reads ${name} as csv-parse does, records and lines`, () => {
      expect(readCsv('synthetic.csv', new TextEncoder().encode(text))).toEqual(asCsvParseReadsIt(text));
    });
  }

  it('names the line of a row with a column too many, in a CRLF file', () => {
    expect(() => readCsv('synthetic.csv', new TextEncoder().encode('a,b\r\n1,2\r\n3,4,5\r\n6,7\r\n'))).toThrow(/line 3: this row has a different number of columns/);
  });
});

describe('eachCsvRecord(file, text, visit, fromLine)', () => {
  it('visits the records csv-parse reads, from the line asked for', () => {
    const text = 'junk\r\na,b\r\n1,2\r\n';
    const seen: { cells: string[]; line: number }[] = [];
    eachCsvRecord('synthetic.csv', text, (record) => seen.push(record), 2);
    expect(seen).toEqual([{ cells: ['a', 'b'], line: 2 }, { cells: ['1', '2'], line: 3 }]);
  });
});
