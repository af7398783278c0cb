import { describe, expect, it } from 'vitest';
import { guidanceYearOf, leadingMonth, splitByGuidanceYear } from '../../src/assessment/guidance-years.js';
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

describe('leadingMonth(figures, today)', () => {
  it("is today's month once a later guidance year has begun than the figures'", () => {
    // December 2026, figures to October 2025: the 2026/27 targets lead.
    expect(leadingMonth('2025-10', new Date('2026-12-04T09:00:00Z'))).toBe('2026-12');
    const items = [{ name: 'last year', year: '2025/26' }, { name: 'this year', year: '2026/27' }, { name: 'standing', year: null }];
    const split = splitByGuidanceYear(items, (item) => item.year, leadingMonth('2025-10', new Date('2026-12-04T09:00:00Z')));
    expect(split.year).toBe('2026/27');
    expect(split.shown.map((item) => item.name)).toEqual(['this year', 'standing']);
    expect(split.earlier.map((item) => item.name)).toEqual(['last year']);
  });

  it("is the figures' month when they are as recent as today, or later (a clock behind)", () => {
    expect(leadingMonth('2026-11', new Date('2026-11-30T23:00:00Z'))).toBe('2026-11');
    expect(leadingMonth('2027-01', new Date('2026-12-04T09:00:00Z'))).toBe('2027-01');
    // No figures at all: today's month.
    expect(leadingMonth('', new Date('2026-12-04T09:00:00Z'))).toBe('2026-12');
  });
});

describe('guidanceYearOf(targetId)', () => {
  it("gives each target its file's guidance year", () => {
    const target = targets().find((candidate) => candidate.file.guidance_year !== undefined)!;
    expect(guidanceYearOf(target.id)).toBe(target.file.guidance_year);
    expect(guidanceYearOf('no-such-target')).toBeNull();
  });
});
