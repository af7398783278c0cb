/**
 * The acute daily discharge situation report's monthly webfile (data README §11), as data.
 * Table 2 has three columns a day and Table 3 three columns a week; each block's columns are
 * checked against these published labels, so a reordered or renamed block is refused.
 */

export const COVER_SHEET = 'Cover Sheet';
export const DAILY_SHEET = 'Table 2';
export const WEEKLY_SHEET = 'Table 3';

/** The Cover Sheet's "Title:" of the acute collection (the community sitrep's says "Community"). */
export const ACUTE_TITLE = /acute daily discharge situation report/i;

export interface BlockColumn {
  /** Raw field of the month's sum over the days (or weeks) reported. */
  field: string;
  /** The metric-label row's text, as published. */
  label: string;
}

/** Table 2, per day: the criteria-to-reside counts. */
export const DAILY_COLUMNS: readonly BlockColumn[] = [
  { field: 'ncr_sum', label: 'Number of patients who no longer meet the criteria to reside' },
  { field: 'ncr_discharged_sum', label: 'Number of patients discharged' },
  { field: 'ncr_remaining_sum', label: 'Number of patients remaining in hospital who no longer meet the criteria to reside' },
];

/** Table 3, per week (one snapshot day a week): additional bed days by length of stay. */
export const WEEKLY_COLUMNS: readonly BlockColumn[] = [
  { field: 'delay_bed_days_7plus_sum', label: 'Number of additional bed days, patients with length of stay of 7+ days' },
  { field: 'delay_bed_days_14plus_sum', label: 'Number of additional bed days, patients with length of stay of 14+ days' },
  { field: 'delay_bed_days_21plus_sum', label: 'Number of additional bed days, patients with length of stay of 21+ days' },
];

/** How many days (Table 2) and weekly snapshots (Table 3) each row's sums are over. */
export const DAYS_FIELD = 'days_reported';
export const WEEKS_FIELD = 'weeks_reported';

/** The England row's name in column D of the acute file. */
export const ENGLAND_NAME = /^ENGLAND\b/i;

export interface DischargeLayout {
  id: string;
  description: string;
  firstSeen: string;
  lastSeen?: string;
}

export const SITREP_2022: DischargeLayout = {
  id: 'discharge-sitrep-2022',
  description: 'monthly webfile: Table 2 daily (3 columns a day), Table 3 weekly (3 columns a week); England, region, ICB and trust rows; title in row 1 or 2',
  firstSeen: '2022-04',
  lastSeen: '2023-12',
};
