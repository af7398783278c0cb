import { describe, expect, it } from 'vitest';
import { guidanceYearOf, splitByGuidanceYear } from '../../src/assessment/guidance-years.js';
import { targets } from '../../src/assessment/targets.js';

describe('splitByGuidanceYear(items, yearOf, period)', () => {
  // Synthetic items: a name and its guidance year (null: a standing standard).
  const items = [
    { name: 'a', year: '2024/25' },
    { name: 'standing', year: null },
    { name: 'b', year: '2025/26' },
    { name: 'c', year: '2026/27' },
    { name: 'd', year: '2025/26' },
    { name: 'e', year: '2023/24' },
  ];
  const names = (list: typeof items) => list.map((item) => item.name);

  it("leads with the guidance year of the period, then later years', then standing standards, in the files' order", () => {
    const { shown, earlier, year } = splitByGuidanceYear(items, (item) => item.year, '2025-10');
    expect(year).toBe('2025/26');
    expect(names(shown)).toEqual(['b', 'd', 'c', 'standing']);
    expect(names(earlier)).toEqual(['a', 'e']);
  });

  it('takes April as the first month of a guidance year and March as the last', () => {
    expect(splitByGuidanceYear(items, (item) => item.year, '2026-03').year).toBe('2025/26');
    expect(names(splitByGuidanceYear(items, (item) => item.year, '2026-04').shown)).toEqual(['c', 'standing']);
  });
});

describe('guidanceYearOf(targetId)', () => {
  it("gives each target its file's guidance year", () => {
    const target = targets().find((candidate) => candidate.file.guidance_year !== undefined)!;
    expect(guidanceYearOf(target.id)).toBe(target.file.guidance_year);
    expect(guidanceYearOf('no-such-target')).toBeNull();
  });
});
