import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * SheetJS is loaded on the first .xls read, never for a CSV or an .xlsx (README, Dependencies):
 * checked in a fresh Node process, since this one may already hold it from other tests. This sees
 * the CommonJS build that workbook.ts requires; a static import (the ESM build) is ESLint's to
 * refuse (eslint.config.js, `lazySheetJs`).
 */
const root = path.resolve(import.meta.dirname, '..', '..');

describe('readHead(name, bytes) and claim(head) load SheetJS lazily', () => {
  it('detects a CSV and an .xlsx without loading SheetJS, and loads it for an .xls', () => {
    const program = `
      const { createRequire } = await import('node:module');
      const require = createRequire(${JSON.stringify(path.join(root, 'package.json'))});
      const loaded = () => Object.keys(require.cache).some((key) => key.includes('@e965'));
      const { readHead } = await import(${JSON.stringify(path.join(root, 'src/sources/head.ts'))});
      const { claim } = await import(${JSON.stringify(path.join(root, 'src/sources/registry.ts'))});
      const { default: ExcelJS } = await import('exceljs');
      const seen = [];
      const csv = new TextEncoder().encode('period,org_code,type,attendances,breaches,admissions\\n2017-01-01,RAA,1,10,1,2\\n');
      claim(readHead('synthetic.csv', csv));
      seen.push(loaded());
      const book = new ExcelJS.Workbook();
      book.addWorksheet('Raw').getCell('A1').value = 'x';
      readHead('synthetic.xlsx', new Uint8Array(await book.xlsx.writeBuffer()));
      seen.push(loaded());
      const { sheetNames } = await import(${JSON.stringify(path.join(root, 'src/sources/workbook.ts'))});
      sheetNames(Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]));
      seen.push(loaded());
      console.log(JSON.stringify(seen));
    `;
    const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', program], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(output.trim().split('\n').at(-1)!)).toEqual([false, false, true]);
  }, 120_000);
});
