import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { periodIn } from '../../../src/sources/http/periods.js';
import { realDataDir } from '../../helpers/real-data.js';

/**
 * Every real file in the shared data folder is named `<data month>_<name as published>` (or
 * `<first>_to_<last>_<name>` for a range; data/README.md). The period read from the published
 * name alone must be that month (the last one, for a range).
 */
function publishedNames(dir: string): { file: string; name: string; month: string }[] {
  const found: { file: string; name: string; month: string }[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const match = /^(\d{4}-\d{2})(?:_to_(\d{4}-\d{2}))?_(.+)$/.exec(entry.name);
    if (!entry.isFile() || !match) continue;
    found.push({ file: path.relative(dir, path.join(entry.parentPath, entry.name)), name: match[3]!, month: match[2] ?? match[1]! });
  }
  return found;
}

/**
 * Kept names that state no month (data/README.md): the committer of `ae_monthly_xls/` shortened
 * NHS England's names to `15-jul.xls` (two digits then a month reads as a day and month, so no
 * rule can take it for a period); the acute discharge time series, the ODS extracts and the
 * oversight framework files are published under names without a date. Their period comes from
 * the content, and periodIn must not invent one from the name.
 */
const UNDATED = [/^ae_monthly_xls\//, /^discharge_acute\/2021-04_latest_time_series\.xlsx$/, /^ods\//, /^nof\//];
const isUndated = (file: string) => UNDATED.some((pattern) => pattern.test(file));

describe.skipIf(!realDataDir)('periodIn(published name) over the real files', () => {
  const names = realDataDir ? publishedNames(realDataDir) : [];

  it('covers every A&E monthly CSV and workbook and the other collections’ dated files', () => {
    // Counts as data/README.md's inventory gives them (75 CSVs with the August 2025 pair, 50 workbooks).
    expect(names.filter((n) => n.file.startsWith('ae_monthly/')).length).toBe(75);
    expect(names.filter((n) => n.file.startsWith('ae_monthly_xls/')).length).toBe(50);
    expect(names.filter((n) => !isUndated(n.file)).length).toBeGreaterThan(130);
  });

  it('reads the data month of each from its published name', () => {
    const wrong = names.filter((n) => !isUndated(n.file) && periodIn(n.name) !== n.month).map((n) => `${n.file}: read ${periodIn(n.name)}`);
    expect(wrong).toEqual([]);
  });

  it('reads no month from a kept name that states none', () => {
    const undated = names.filter((n) => isUndated(n.file));
    expect(undated.length).toBe(50 + 1 + 2 + 2);
    expect(undated.filter((n) => periodIn(n.name) !== undefined).map((n) => `${n.file}: read ${periodIn(n.name)}`)).toEqual([]);
  });
});
