import { PlanwatchError } from '../errors.js';
import { AE_MEASURES } from './ae.js';
import { AMBULANCE_MEASURES } from './ambulance.js';
import { BEDS_MEASURES, BEDS_SITREP_MEASURES } from './beds.js';
import { CANCER_MEASURES } from './cancer.js';
import { DIAGNOSTICS_MEASURES } from './diagnostics.js';
import { DISCHARGE_DELAY_MEASURES, DISCHARGE_MEASURES } from './discharge.js';
import { RTT_MEASURES } from './rtt.js';
import type { MeasureDefinition } from './definition.js';

export type { MeasureDefinition, Direction, Unit, Term } from './definition.js';

/** Every measure Planwatch computes. A collection adds its list here. */
export const MEASURES: readonly MeasureDefinition[] = [...AE_MEASURES, ...AMBULANCE_MEASURES, ...CANCER_MEASURES, ...DIAGNOSTICS_MEASURES, ...BEDS_MEASURES, ...BEDS_SITREP_MEASURES, ...RTT_MEASURES, ...DISCHARGE_MEASURES, ...DISCHARGE_DELAY_MEASURES];

const byId = new Map(MEASURES.map((measure) => [measure.id, measure]));

export function measureById(id: string): MeasureDefinition {
  const measure = byId.get(id);
  if (!measure) {
    throw new PlanwatchError('E_NOT_FOUND', `Unknown measure "${id}". Known measures: ${MEASURES.map((m) => m.id).join(', ')}.`);
  }
  return measure;
}

export function findMeasure(id: string): MeasureDefinition | undefined {
  return byId.get(id);
}
