/** League-table ranking. Pure. */
import type { Direction } from '../dimensions.js';

export type RankDirection = Direction;

export interface Rankable {
  org: string;
  value: number | null;
}

export interface Ranked<T extends Rankable> {
  item: T;
  /** 1 = best; ties share a rank ("1224" competition ranking); null when not reported. */
  rank: number | null;
}

/**
 * Orders organisations best first for the measure's direction (largest first when neutral),
 * those without a value last and unranked, ties by code so the order is stable.
 */
export function rank<T extends Rankable>(items: readonly T[], direction: RankDirection): Ranked<T>[] {
  const sign = direction === 'decrease' ? 1 : -1;
  const reported = items.filter((item) => item.value !== null).sort((a, b) => sign * (a.value! - b.value!) || a.org.localeCompare(b.org));
  const missing = items.filter((item) => item.value === null).sort((a, b) => a.org.localeCompare(b.org));
  const ranked: Ranked<T>[] = [];
  reported.forEach((item, index) => {
    const previous = ranked[index - 1];
    const tied = previous && previous.item.value === item.value;
    ranked.push({ item, rank: tied ? previous.rank : index + 1 });
  });
  return [...ranked, ...missing.map((item) => ({ item, rank: null }))];
}

/** Change between two values, null when either is missing. */
export function change(current: number | null, earlier: number | null): number | null {
  return current === null || earlier === null ? null : current - earlier;
}
