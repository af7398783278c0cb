import type { MeasureDefinition } from './definition.js';

/**
 * Ambulance response times and incidents from AmbSYS (raw fields are the published A-codes; see
 * src/sources/ambulance/layouts.ts). Means are total seconds ÷ incidents, so they roll up by
 * summing both; 90th centiles cannot be summed, so only the published rows (England, the regions
 * AmbSYS publishes, each service) have them.
 */
const ICB_METHOD =
  'ICB figures are estimates: each ambulance service\'s times are apportioned by the share of the ICB\'s Category 2 incidents it responded to (AmbSYS "ICB lookup", 12 weeks to 26 February 2023).';

interface Category {
  key: 'c1' | 'c2' | 'c3' | 'c4';
  label: string;
  count: string;
  total: string;
  p90: string;
}

const CATEGORIES: readonly Category[] = [
  { key: 'c1', label: 'Category 1 (life-threatening)', count: 'A8', total: 'A24', p90: 'A26' },
  { key: 'c2', label: 'Category 2 (emergency)', count: 'A10', total: 'A30', p90: 'A32' },
  { key: 'c3', label: 'Category 3 (urgent)', count: 'A11', total: 'A33', p90: 'A35' },
  { key: 'c4', label: 'Category 4 (less urgent)', count: 'A12', total: 'A36', p90: 'A38' },
];

const common = { collection: 'ambulance', frequency: 'month', providerLevel: 'ambulance_trust' } as const;

const mean = (c: Category): MeasureDefinition => ({
  ...common,
  id: `amb_${c.key}_mean`,
  title: `${c.label} mean ambulance response time`,
  short: `${c.key.toUpperCase()} mean`,
  unit: 'seconds',
  direction: 'decrease',
  numerator: [{ field: c.total }],
  denominator: [{ field: c.count }],
  rollUp: 'sum',
  icbRollUp: 'apportioned',
  description: `Total response time of ${c.label} incidents divided by their number (AmbSYS ${c.total} ÷ ${c.count}), in seconds.`,
  caveat: ICB_METHOD,
});

const p90 = (c: Category): MeasureDefinition => ({
  ...common,
  id: `amb_${c.key}_p90`,
  title: `${c.label} 90th centile ambulance response time`,
  short: `${c.key.toUpperCase()} 90th centile`,
  unit: 'seconds',
  direction: 'decrease',
  numerator: [{ field: c.p90 }],
  rollUp: 'published',
  description: `Nine in ten ${c.label} incidents were responded to within this time (AmbSYS ${c.p90}), in seconds, as published.`,
});

const incidents = (c: Category): MeasureDefinition => ({
  ...common,
  id: `amb_${c.key}_incidents`,
  title: `${c.label} incidents`,
  short: `${c.key.toUpperCase()} incidents`,
  unit: 'count',
  direction: 'neutral',
  numerator: [{ field: c.count }],
  rollUp: 'sum',
  // The ICB lookup gives shares of each ICB's incidents, not of each service's, so counts cannot
  // be apportioned to ICBs.
  icbRollUp: 'none',
  description: `${c.label} incidents with a response (AmbSYS ${c.count}).`,
});

const byKey = (key: Category['key']) => CATEGORIES.find((c) => c.key === key)!;

export const AMBULANCE_MEASURES: MeasureDefinition[] = [
  mean(byKey('c1')),
  p90(byKey('c1')),
  mean(byKey('c2')),
  p90(byKey('c2')),
  mean(byKey('c3')),
  p90(byKey('c3')),
  p90(byKey('c4')),
  ...CATEGORIES.map(incidents),
];
