import { financialYearOf } from '../measures/periods.js';
import type { LoadedTarget } from '../targets/load.js';
import { targets } from './targets.js';

/**
 * Which targets lead when an organisation's position is shown (the pages, the board report,
 * `planwatch start`): those of today's guidance year, or of the figures' if later (leadingMonth),
 * then later years', then the standing standards with no year; earlier guidance years' targets
 * are kept apart (their months have passed; they stay for the record), the latest year first.
 */

// From the targets already read and checked once per process (assessment/targets.ts): reading
// the files again here cost a first page 60 ms.
let targetsById: Map<string, LoadedTarget> | undefined;

/** The guidance year ('2026/27') a target belongs to; null for a standing standard. */
export function guidanceYearOf(targetId: string): string | null {
  targetsById ??= new Map(targets().map((target) => [target.id, target]));
  return targetsById.get(targetId)?.file.guidance_year ?? null;
}

export interface ByGuidanceYear<T> {
  /** This year's targets, later years', then standing standards, each in the targets files' order. */
  shown: T[];
  /** Earlier guidance years', the latest year first. */
  earlier: T[];
  /** The guidance year of `period`. */
  year: string;
}

/**
 * The month whose guidance year leads the latest position: the figures' month, or today's once a
 * later guidance year has begun. In December 2026 with figures to October 2025, the 2026/27
 * targets lead and 2025/26's, whose months have passed, are kept apart: the page answers today's
 * question with the latest figures it has (issue 12). No figures (''): today's month.
 */
export function leadingMonth(figures: string, today: Date): string {
  const now = monthOfDay(today);
  return figures > now ? figures : now;
}

/** The guidance year a day falls in ('2026/27' from April 2026): what leads a page built that day. */
export function guidanceYearOfDay(today: Date): string {
  return financialYearOf(monthOfDay(today));
}

function monthOfDay(day: Date): string {
  return `${day.getUTCFullYear()}-${String(day.getUTCMonth() + 1).padStart(2, '0')}`;
}

export function splitByGuidanceYear<T>(items: readonly T[], yearOf: (item: T) => string | null, period: string): ByGuidanceYear<T> {
  const year = financialYearOf(period);
  const shown = items.filter((item) => {
    const own = yearOf(item);
    return own === null || own >= year;
  });
  const earlier = items.filter((item) => {
    const own = yearOf(item);
    return own !== null && own < year;
  });
  const order = (item: T) => {
    const own = yearOf(item);
    return own === year ? 0 : own !== null ? 1 : 2;
  };
  return {
    shown: [...shown].sort((a, b) => order(a) - order(b)),
    earlier: [...earlier].sort((a, b) => (yearOf(b) ?? '').localeCompare(yearOf(a) ?? '')),
    year,
  };
}
