/**
 * RTT layouts as data (data README §7, publications.md §4). The waiting list is read from
 * incomplete pathways: Part_2 of the full CSV extract, or the Incomplete Provider workbook.
 * Completed-pathway and commissioner-basis workbooks are recognised only to be turned away.
 */

export interface RttLayout {
  id: string;
  description: string;
  /** First data month seen in a real file; later months are assumed to keep the layout. */
  firstSeen?: string;
  lastSeen?: string;
  /** Lower bound of the open top week band, e.g. 104 for "Gt 104 Weeks SUM 1". */
  topBand?: number;
}

export const CSV_LAYOUTS: readonly RttLayout[] = [
  {
    id: 'rtt-csv-104',
    description: 'full CSV extract: one row per provider × commissioner × RTT part × treatment function, weekly bands to "Gt 104 Weeks SUM 1"',
    firstSeen: '2024-11',
    topBand: 104,
  },
  {
    id: 'rtt-csv-52',
    description: 'full CSV extract with weekly bands to "Gt 52 Weeks SUM 1" (reported for extracts before the 2019/20–2021 change; no real file seen)',
    topBand: 52,
  },
];

export const INCOMPLETE_PROVIDER_LAYOUT: RttLayout = {
  id: 'rtt-incomplete-provider',
  description: 'Incomplete Provider workbook: sheets Provider and IS Provider, bands ">0-1" … "104 plus", one row per provider × treatment function',
  topBand: 104,
};

/** The layout of a CSV extract whose open band starts at `topBand` weeks. */
export function csvLayout(topBand: number): RttLayout {
  return CSV_LAYOUTS.find((layout) => layout.topBand === topBand) ?? {
    id: `rtt-csv-${topBand}`,
    description: `full CSV extract with weekly bands to "Gt ${topBand} Weeks SUM 1" (not seen before)`,
    topBand,
  };
}

/** Columns of the full CSV extract, as published (README §7). Aliases come from older extracts. */
export const CSV_COLUMNS = {
  period: ['Period', 'Period Name'],
  year: ['Year'],
  provider: ['Provider Org Code'],
  providerName: ['Provider Org Name'],
  providerParent: ['Provider Parent Org Code'],
  providerParentName: ['Provider Parent Name', 'Provider Parent Org Name'],
  commissionerParent: ['Commissioner Parent Org Code'],
  commissionerParentName: ['Commissioner Parent Name', 'Commissioner Parent Org Name'],
  commissioner: ['Commissioner Org Code'],
  part: ['RTT Part Type'],
  treatmentFunction: ['Treatment Function Code'],
  totalAll: ['Total All'],
} as const;

/** What detect() looks for in a CSV header line. */
export const CSV_SIGNATURE = ['RTT Part Type', 'Provider Org Code'] as const;

/** Incomplete pathways: the waiting list at the end of the month. */
export const INCOMPLETE_PART = 'Part_2';
/** The row of each provider × commissioner (or provider) that totals every treatment function. */
export const ALL_TREATMENT_FUNCTIONS = 'C_999';

/** Sheets of the provider-basis workbooks (Incomplete, Admitted, NonAdmitted, New Periods). */
export const PROVIDER_SHEETS = ['Provider', 'IS Provider'] as const;
/** Sheets of the commissioner-basis workbooks, which Planwatch does not read. */
export const COMMISSIONER_SHEETS = ['National', 'Region', 'ICB', 'Sub-ICB'] as const;

/** Columns of the provider workbooks, as published. */
export const WORKBOOK_COLUMNS = {
  region: 'Region Code',
  provider: 'Provider Code',
  providerName: 'Provider Name',
  treatmentFunction: 'Treatment Function Code',
  incompleteTotal: 'Total number of incomplete pathways',
} as const;

/**
 * Published summary columns of the Incomplete Provider workbook checked against the bands
 * (names from the completed-pathway workbook of the same family and public readers of the
 * incomplete one); the file is refused when they disagree.
 */
export const WORKBOOK_CHECKED_TOTALS: Readonly<Record<string, string>> = {
  'Total within 18 weeks': 'incomplete_within_18wk',
  'Total 52 plus weeks': 'incomplete_over_52wk',
  'Total 65 plus weeks': 'incomplete_over_65wk',
  'Total 78 plus weeks': 'incomplete_over_78wk',
  'Total 104 plus weeks': 'incomplete_over_104wk',
};

export const INCOMPLETE_TOTAL = 'incomplete_total';

/**
 * NHS England's RTT overview timeseries (data README §7, §16): England only, April 2007 onwards,
 * "including estimates for missing trusts". Its figures are a collection of their own,
 * `rtt_england`, so that the national series and the providers' full extracts are each the
 * current publication of their own months and never supersede one another (a timeseries
 * published in February 2026 covers November 2024 but holds no provider's figure for it).
 */
export const RTT_ENGLAND_COLLECTION = 'rtt_england';
export const TIMESERIES_LAYOUT = 'rtt-overview-timeseries';
export const TIMESERIES_SHEET = 'Full Time Series';
/** The group header over the waiting-list columns, found by text in either edition. */
export const TIMESERIES_GROUP = 'Incomplete RTT pathways';

/** The raw field of a count "with estimates for missing data". */
export function estimatedField(field: string): string {
  return `${field}_with_estimates`;
}
