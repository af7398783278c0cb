import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readHead } from '../../src/sources/head.js';
import { writeWorkbook } from '../helpers/xlsx.js';

const csv = (lines: number) => Array.from({ length: lines }, (_, i) => `line ${i + 1},x`).join('\n');

describe('readHead(name, bytes)', () => {
  it('gives the first lines of the one CSV inside a zip, and names it', () => {
    const head = readHead('data.zip', zipSync({ 'extract.csv': new TextEncoder().encode(csv(100_000)) }));
    expect(head).toMatchObject({ isWorkbook: false, member: 'extract.csv' });
    expect(head.lines).toEqual(['line 1,x', 'line 2,x', 'line 3,x', 'line 4,x', 'line 5,x']);
  });

  it('still sees the CSV when the zip is cut short', () => {
    const zip = zipSync({ 'extract.csv': new TextEncoder().encode(csv(1000)) }, { level: 0 });
    expect(readHead('cut.zip', zip.subarray(0, 2000)).lines[0]).toBe('line 1,x');
  });

  it('shows no lines for a zip of several files', () => {
    const head = readHead('two.zip', zipSync({ 'a.csv': new Uint8Array([97]), 'b.csv': new Uint8Array([98]) }));
    expect(head).toEqual({ name: 'two.zip', lines: [], isWorkbook: false });
  });

  it('treats an xlsx, also a zip, as a workbook', async () => {
    const head = readHead('book.xlsx', await writeWorkbook([{ name: 'Provider', rows: [['x']] }]));
    expect(head).toMatchObject({ isWorkbook: true, sheets: ['Provider'] });
  });
});
