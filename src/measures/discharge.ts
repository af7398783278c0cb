import type { MeasureDefinition } from './definition.js';

/**
 * The acute daily discharge sitrep (src/sources/discharge). Every figure is an average over the
 * days (Table 2) or weekly snapshots (Table 3) an organisation reported: the sum over those days
 * divided by their number, so a trust that missed days is averaged over the days it reported.
 * Regions, ICBs and England are the file's own rows, never sums of trusts.
 */
const HOSPICE =
  'England and regional figures include patients discharged to a hospice, as published; trust and ICB figures leave them out (NHS England withholds them for disclosure reasons), so England\'s discharges exceed the sum of its trusts.';
const MISSING_DAYS =
  'Averaged over the days the organisation submitted: days it did not submit ("-" in the file) are left out, never counted as 0. England and regional figures average the daily totals of the trusts that submitted each day.';

function daily(id: string, field: string, title: string, short: string, description: string): MeasureDefinition {
  return {
    id, title, short, collection: 'discharge', unit: 'count', direction: 'decrease',
    numerator: [{ field }], denominator: [{ field: 'days_reported' }], rollUp: 'published', frequency: 'month',
    description, caveat: `${MISSING_DAYS} ${HOSPICE}`,
  };
}

function weekly(band: '7plus' | '14plus' | '21plus', days: number): MeasureDefinition {
  return {
    id: `discharge_delay_bed_days_${band}`,
    title: `Additional bed days since no longer meeting the criteria to reside, patients in hospital ${days}+ days (average weekly snapshot)`,
    short: `Delay bed days, stays ${days}+ days`,
    collection: 'discharge', unit: 'count', direction: 'decrease',
    numerator: [{ field: `delay_bed_days_${band}_sum` }], denominator: [{ field: 'weeks_reported' }], rollUp: 'published', frequency: 'month',
    description: `Total days that patients in hospital ${days} days or more had stayed since they no longer met the criteria to reside, on one snapshot day a week (Table 3), averaged over the month's weekly snapshots. The ${days}+ group includes the longer ones.`,
    caveat: 'Each trust chooses its snapshot day each week. Weeks the organisation did not submit are left out. Regional and England figures are as published.',
  };
}

export const DISCHARGE_MEASURES: MeasureDefinition[] = [
  daily('discharge_ncr', 'ncr_sum', 'Patients who no longer meet the criteria to reside (average per day)', 'No longer meet criteria to reside',
    'Average daily number of patients in acute trusts with a type 1 A&E who no longer met the criteria to reside in hospital (Table 2).'),
  daily('discharge_ncr_discharged', 'ncr_discharged_sum', 'Patients discharged who no longer met the criteria to reside (average per day)', 'Discharged (criteria to reside)',
    'Average daily number of patients who no longer met the criteria to reside and were discharged that day.'),
  daily('discharge_ncr_remaining', 'ncr_remaining_sum', 'Patients remaining in hospital who no longer meet the criteria to reside (average per day)', 'Remaining (criteria to reside)',
    'Average daily number of patients who no longer met the criteria to reside and remained in hospital: those no longer meeting the criteria less those discharged.'),
  weekly('7plus', 7),
  weekly('14plus', 14),
  weekly('21plus', 21),
];

const UNTESTED =
  'From the Discharge Ready Date monthly webfile (Discharge Delays (Acute), April 2024 onwards), read to its published description: Planwatch has not yet been tested on a real file of it.';

function drd(definition: Omit<MeasureDefinition, 'collection' | 'rollUp' | 'frequency' | 'caveat' | 'direction'>): MeasureDefinition {
  // Counts and ratios of counts, so regions, ICBs and England sum their trusts.
  return { ...definition, collection: 'discharge_delays', direction: 'decrease', rollUp: 'sum', frequency: 'month', caveat: UNTESTED };
}

export const DISCHARGE_DELAY_MEASURES: MeasureDefinition[] = [
  drd({ id: 'discharge_drd_delayed_share', title: 'Patients discharged a day or more after their discharge ready date (% of discharges)', short: 'Discharges delayed 1+ days',
    unit: 'percent', numerator: [{ field: 'drd_delayed' }], denominator: [{ field: 'drd_discharged' }],
    description: 'Patients discharged one or more days after the date they were ready to go, as a share of all patients discharged in the month.' }),
  drd({ id: 'discharge_drd_average_delay', title: 'Average delay of delayed discharges (days from discharge ready date)', short: 'Average discharge delay (days)',
    unit: 'ratio', numerator: [{ field: 'drd_delay_bed_days' }], denominator: [{ field: 'drd_delayed' }],
    description: 'Bed days lost between the discharge ready date and discharge, divided by the patients whose discharge was delayed a day or more.' }),
  drd({ id: 'discharge_drd_delay_bed_days', title: 'Bed days lost to discharge delays (days after discharge ready date)', short: 'Delay bed days (DRD)',
    unit: 'count', numerator: [{ field: 'drd_delay_bed_days' }],
    description: 'Total bed days in the month between patients\' discharge ready date and their discharge.' }),
  drd({ id: 'discharge_drd_delayed_21plus', title: 'Patients discharged 21 or more days after their discharge ready date', short: 'Discharges delayed 21+ days',
    unit: 'count', numerator: [{ field: 'drd_delayed_21plus' }],
    description: 'Patients discharged in the month 21 days or more after the date they were ready to go.' }),
];
