import type { Level } from '../dimensions.js';
import { loadTargets, type LoadedTarget } from '../targets/load.js';

// The targets files do not change while Planwatch runs; reading and validating them per request
// cost more than the query they qualify.
let targetsCache: LoadedTarget[] | undefined;
export function targets(): LoadedTarget[] {
  targetsCache ??= loadTargets();
  return targetsCache;
}

export function appliesAt(target: LoadedTarget, level: Level): boolean {
  return (target.levels as readonly string[]).includes(level);
}

/** The target a league table judges against: the next one due, else the standing standard. */
export function applicableTarget(targets: readonly LoadedTarget[], metric: string, level: Level, period: string): LoadedTarget | undefined {
  const candidates = targets.filter((target) => target.metric === metric && appliesAt(target, level));
  const dueMonth = candidates
    .filter((target) => 'month' in target.period && target.period.month >= period)
    .sort((a, b) => ('month' in a.period && 'month' in b.period ? a.period.month.localeCompare(b.period.month) : 0))[0];
  if (dueMonth) return dueMonth;
  const year = candidates.find((target) => {
    if (!('financial_year' in target.period)) return false;
    const start = Number(target.period.financial_year.slice(0, 4));
    return period >= `${start}-04` && period <= `${start + 1}-03`;
  });
  return year ?? candidates.find((target) => 'every_month' in target.period);
}

/** The target a chart draws and an assurance icon judges against, for one level and month. */
export function targetFor(metric: string, level: Level, period: string): LoadedTarget | undefined {
  return applicableTarget(targets(), metric, level, period);
}

