import { levelOfCode, type Level } from '../dimensions.js';
import { MEASURES, type MeasureDefinition } from '../measures/index.js';
import { collectionPeriods, measureValues } from '../measures/query.js';
import type { Store } from '../store/store.js';

/**
 * Every measure's value for every organisation, level and month the store holds: the static
 * export's measure-values file. Computed as the API computes a series today (measures/query.ts:
 * published figures for trusts and providers, sums of members' numerators and denominators for
 * ICBs, regions and England), a measure and a level at a time so the caller can write each slice
 * out before the next is built.
 */
export interface MeasureValueRow {
  metric: string;
  org: string;
  level: Level;
  period: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  unit: MeasureDefinition['unit'];
  note: string | null;
  members: number | null;
  excluded: string | null;
  apportioned: boolean;
}

// Published rows of trusts and providers come once (the provider level holds both, each tagged
// with its own level); the areas are summed.
const LEVELS_READ: readonly Level[] = ['provider', 'icb', 'region', 'england'];

export async function* allMeasureValues(store: Store): AsyncGenerator<MeasureValueRow[]> {
  const held = new Map<string, boolean>();
  for (const measure of MEASURES) {
    if (!held.has(measure.collection)) held.set(measure.collection, (await collectionPeriods(store, measure.collection)).length > 0);
    if (!held.get(measure.collection)) continue;
    for (const level of LEVELS_READ) {
      const values = await measureValues(store, measure, { level });
      yield values.map((value) => ({
        metric: measure.id,
        org: value.org,
        level: level === 'provider' ? levelOfCode(value.org) : level,
        period: value.period,
        value: value.value,
        numerator: value.numerator,
        denominator: value.denominator,
        unit: measure.unit,
        note: value.note ?? null,
        members: value.members ? value.members.length : null,
        excluded: value.excluded?.join(' ') ?? null,
        apportioned: value.apportioned ?? false,
      }));
    }
  }
}
