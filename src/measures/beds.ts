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

const SITREP =
  'Monthly averages of daily counts from the UEC daily situation report, all provider types (type 1 A&E trusts and others). Each organisation\'s figure is rounded to a whole bed as published, so England, region and ICB figures are the file\'s own rows, not sums of providers (they differ by a few beds).';

function sitrep(id: string, field: string, title: string, short: string, description: string, occupancy?: string): MeasureDefinition {
  return {
    id, title, short, collection: 'beds_sitrep',
    unit: occupancy ? 'percent' : 'count',
    // Occupancy: lower is better up to a point (above about 92% is linked with poorer flow); counts are context.
    direction: occupancy ? 'decrease' : 'neutral',
    numerator: [{ field }],
    ...(occupancy ? { denominator: [{ field: occupancy }] } : {}),
    rollUp: 'published', frequency: 'month', description, caveat: SITREP,
  };
}

export const BEDS_SITREP_MEASURES: MeasureDefinition[] = [
  sitrep('beds_sitrep_ga_occupancy', 'ga_occupied', 'General and acute beds occupied, as a share of those available (monthly sitrep)', 'G&A occupancy (monthly)',
    'Average number of general and acute beds occupied in the month divided by the average number available, all provider types.', 'ga_available'),
  sitrep('beds_sitrep_ga_adult_occupancy', 'adult_ga_occupied', 'Adult general and acute beds occupied, as a share of those available (monthly sitrep)', 'Adult G&A occupancy (monthly)',
    'Average number of adult general and acute beds occupied in the month divided by the average number available, all provider types.', 'adult_ga_available'),
  sitrep('beds_sitrep_ga_available', 'ga_available', 'General and acute beds available (monthly sitrep, average per day)', 'G&A beds available (monthly)',
    'Average daily number of general and acute beds available (core and escalation) in the month.'),
  sitrep('beds_sitrep_ga_occupied', 'ga_occupied', 'General and acute beds occupied (monthly sitrep, average per day)', 'G&A beds occupied (monthly)',
    'Average daily number of general and acute beds occupied in the month.'),
  sitrep('beds_sitrep_ga_adult_available', 'adult_ga_available', 'Adult general and acute beds available (monthly sitrep, average per day)', 'Adult G&A beds available (monthly)',
    'Average daily number of adult general and acute beds available in the month.'),
  sitrep('beds_sitrep_ga_adult_occupied', 'adult_ga_occupied', 'Adult general and acute beds occupied (monthly sitrep, average per day)', 'Adult G&A beds occupied (monthly)',
    'Average daily number of adult general and acute beds occupied in the month.'),
  sitrep('beds_sitrep_ga_los_21plus', 'ga_occupied_los_21plus', 'General and acute beds occupied by patients in hospital 21 days or more (monthly sitrep, average per day)', 'G&A beds, stays 21+ days',
    'Average daily number of general and acute beds occupied by patients with a length of stay of 21 days or more.'),
];
