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

describe.skipIf(!realDataDir)('periodIn(published name) over the real files', () => {
  const names = realDataDir ? publishedNames(realDataDir) : [];

  it('covers every A&E monthly CSV and the other collections’ dated files', () => {
    expect(names.filter((n) => n.file.startsWith('ae_monthly')).length).toBe(71);
    expect(names.length).toBeGreaterThan(130);
  });

  it('reads the data month of each from its published name', () => {
    const wrong = names.filter((n) => periodIn(n.name) !== n.month).map((n) => `${n.file}: read ${periodIn(n.name)}`);
    expect(wrong).toEqual([]);
  });
});
