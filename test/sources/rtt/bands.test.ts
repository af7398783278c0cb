import { describe, expect, it } from 'vitest';
import { derivedCounts, parseBandHeader, readBands } from '../../../src/sources/rtt/bands.js';
import { expectPlanwatchError } from '../../helpers/errors.js';

const csvHeader = (top: number) => [
  'Period', ...Array.from({ length: top }, (_, i) => `Gt ${String(i).padStart(2, '0')} To ${String(i + 1).padStart(2, '0')} Weeks SUM 1`), `Gt ${top} Weeks SUM 1`, 'Total All',
];

describe('parseBandHeader(header)', () => {
  it('reads the full extract\'s and the workbooks\' band headers', () => {
    expect(parseBandHeader('Gt 00 To 01 Weeks SUM 1')).toEqual({ from: 0, to: 1 });
    expect(parseBandHeader('Gt 103 To 104 Weeks SUM 1')).toEqual({ from: 103, to: 104 });
    expect(parseBandHeader('Gt 104 Weeks SUM 1')).toEqual({ from: 104, to: null });
    expect(parseBandHeader('>17-18')).toEqual({ from: 17, to: 18 });
    expect(parseBandHeader('104 plus')).toEqual({ from: 104, to: null });
  });

  it('ignores other columns', () => {
    expect(parseBandHeader('Total All')).toBeUndefined();
    expect(parseBandHeader('Total 52 plus weeks')).toBeUndefined();
  });
});

describe('readBands(header) and derivedCounts(bands)', () => {
  it('derives within 18 weeks and over 52, 65, 78 and 104 weeks from 105 bands', () => {
    const bands = readBands(csvHeader(104), { file: 'x.csv', line: 1 });
    expect(bands).toHaveLength(105);
    const derived = derivedCounts(bands);
    expect(derived.map((count) => [count.field, count.members.length])).toEqual([
      ['incomplete_within_18wk', 18], ['incomplete_over_52wk', 53], ['incomplete_over_65wk', 40],
      ['incomplete_over_78wk', 27], ['incomplete_over_104wk', 1],
    ]);
    expect(derived[0]!.column).toBe('Gt 00 To 01 Weeks SUM 1 … Gt 17 To 18 Weeks SUM 1');
  });

  it('derives nothing beyond an open band at 52 weeks', () => {
    const derived = derivedCounts(readBands(csvHeader(52), { file: 'x.csv', line: 1 }));
    expect(derived.map((count) => count.field)).toEqual(['incomplete_within_18wk', 'incomplete_over_52wk']);
  });

  it('refuses bands that do not end in an open band', async () => {
    await expectPlanwatchError(() => readBands(csvHeader(104).slice(0, -2), { file: 'x.csv', line: 1 }), 'E_HEADER', { column: 'Gt 103 To 104 Weeks SUM 1' });
  });

  it('refuses a header without bands', async () => {
    await expectPlanwatchError(() => readBands(['Period', 'Total All'], { file: 'x.csv', line: 1 }), 'E_HEADER', { line: 1 });
  });
});
