import type { MeasureDefinition } from './definition.js';

const ESTIMATES =
  'Quarterly averages of daily counts. Trusts that did not submit are shown with an estimate from a previous period, as NHS England publishes them (listed on the file\'s Data Quality sheet).';

export const BEDS_MEASURES: MeasureDefinition[] = [
  {
    id: 'beds_ga_occupancy',
    title: 'General and acute beds occupied overnight, as a share of those available (KH03)',
    short: 'G&A bed occupancy',
    collection: 'beds',
    unit: 'percent',
    // Lower is better up to a point: occupancy above about 92% is linked with poorer flow.
    direction: 'decrease',
    numerator: [{ field: 'occupied_ga' }],
    denominator: [{ field: 'available_ga' }],
    rollUp: 'sum',
    frequency: 'quarter',
    description: 'Average number of general and acute beds occupied overnight in the quarter, divided by the average number available.',
    caveat: ESTIMATES,
  },
  {
    id: 'beds_ga_available',
    title: 'General and acute beds available overnight (KH03, quarterly average)',
    short: 'G&A beds available',
    collection: 'beds',
    unit: 'count',
    direction: 'neutral',
    numerator: [{ field: 'available_ga' }],
    rollUp: 'sum',
    frequency: 'quarter',
    description: 'Average daily number of general and acute beds open overnight in the quarter.',
    caveat: ESTIMATES,
  },
  {
    id: 'beds_ga_occupied',
    title: 'General and acute beds occupied overnight (KH03, quarterly average)',
    short: 'G&A beds occupied',
    collection: 'beds',
    unit: 'count',
    direction: 'neutral',
    numerator: [{ field: 'occupied_ga' }],
    rollUp: 'sum',
    frequency: 'quarter',
    description: 'Average daily number of general and acute beds occupied overnight in the quarter.',
    caveat: ESTIMATES,
  },
];
