/**
 * The Cancer Waiting Times (CWT-CRS) layouts since the October 2023 standards, as data (data
 * README §4): which sheet and which part of it holds each standard's headline, and which
 * columns to read. Columns are found by their published names, never by position.
 */

export type StandardId = 'fds' | 'd31' | 'd62';

/** Raw fields per standard. Measures in src/measures/cancer.ts are built from these. */
export const CWT_FIELDS = {
  fds: { total: 'fds_total', within: 'fds_within' },
  d31: { total: 'd31_total', within: 'd31_within' },
  d62: { total: 'd62_total', within: 'd62_within' },
} as const satisfies Record<StandardId, { total: string; within: string }>;

/** Patients treated more than 104 days after referral: the 62-day sheet's last day band. */
export const D62_AFTER_104_FIELD = 'd62_after_104';

export interface CwtStandard {
  id: StandardId;
  title: string;
  /** Workbook sheet with the all-routes / all-cancers table. */
  sheet: string;
  /**
   * The label above the table to read when the sheet holds several parts (PART A: all routes,
   * PART B: urgent suspected cancer, …); undefined when the sheet has one table.
   */
  part?: string;
  /** Column naming the route or stage, and the value every headline row carries in it. */
  route: { column: string; all: string };
  /** Column naming the cancer type, and its headline value; the FDS sheet has none. */
  cancer?: { column: string; all: string };
  within: string;
  after: string;
  /** Day-band columns kept as raw fields (header → field). */
  bands: Readonly<Record<string, string>>;
  /** The STANDARD value of this standard's rows in the long-format provider extract. */
  extractStandard: string;
}

export const CWT_STANDARDS: readonly CwtStandard[] = [
  {
    id: 'fds',
    title: '28-day Faster Diagnosis Standard',
    sheet: '28-DAY FDS (ALL ROUTES)',
    route: { column: 'REFERRAL ROUTE', all: 'ALL ROUTES' },
    within: 'WITHIN 28 DAYS',
    after: 'AFTER 28 DAYS',
    bands: {},
    extractStandard: '28-day FDS',
  },
  {
    id: 'd31',
    title: '31-day decision to treat to treatment standard',
    sheet: '31-DAY (ALL CANCER)',
    // Parts B and C split first and subsequent treatments; the combined standard is part A.
    part: 'PART A: ALL STAGES',
    route: { column: 'TREATMENT STAGE', all: 'ALL STAGES' },
    cancer: { column: 'CANCER TYPE', all: 'ALL CANCERS' },
    // The day bands repeat "WITHIN 31 DAYS " (trailing space) after the percentage; the first
    // occurrence after TOTAL is the standard's own column.
    within: 'WITHIN 31 DAYS',
    after: 'AFTER 31 DAYS',
    bands: {},
    extractStandard: '31-day Combined',
  },
  {
    id: 'd62',
    title: '62-day referral to treatment standard',
    sheet: '62-DAY (ALL CANCER)',
    // Parts B–E are the routes (urgent suspected cancer, breast symptomatic, screening,
    // consultant upgrade); part A is all of them together.
    part: 'PART A: ALL ROUTES',
    route: { column: 'REFERRAL ROUTE', all: 'ALL ROUTES' },
    cancer: { column: 'CANCER TYPE', all: 'ALL CANCERS' },
    within: 'WITHIN 62 DAYS',
    after: 'AFTER 62 DAYS',
    bands: { 'AFTER 104 DAYS': D62_AFTER_104_FIELD },
    extractStandard: '62-day Combined',
  },
];

/** What distinguishes the two bases of the monthly workbooks: the organisation column and the England row. */
export interface CwtBasis {
  id: 'provider' | 'commissioner';
  layout: string;
  nameColumn: string;
  englandName: string;
}

export const PROVIDER_BASIS: CwtBasis = {
  id: 'provider',
  layout: 'cwt-provider-2023',
  nameColumn: 'ACCOUNTABLE PROVIDER',
  englandName: 'ALL ENGLISH PROVIDERS',
};

export const COMMISSIONER_BASIS: CwtBasis = {
  id: 'commissioner',
  layout: 'cwt-commissioner-2023',
  nameColumn: 'INTEGRATED CARE BOARD (ICB)/COMMISSIONING HUB',
  englandName: 'ALL ENGLISH COMMISSIONERS',
};

export const CODE_COLUMN = 'ODS CODE (1)';
export const TOTAL_COLUMN = 'TOTAL';
export const FRONTPAGE = 'Frontpage';

export const EXTRACT_SHEET = 'CWT CRS Provider Extract';
export const EXTRACT_LAYOUT = 'cwt-extract-2023';
export const EXTRACT_COLUMNS = {
  period: 'PERIOD',
  standard: 'STANDARD',
  org: 'ORG CODE',
  route: 'STAGE/ROUTE',
  modality: 'TREATMENT MODALITY',
  cancer: 'CANCER TYPE',
  total: 'TOTAL TREATED',
  within: 'WITHIN STANDARD',
  breaches: 'BREACHES',
} as const;
/** The extract's 31- and 62-day rows come twice: by cancer type for all modalities, and by modality for all cancers. */
export const ALL_MODALITIES = 'ALL MODALITIES';
export const ALL_CANCERS = 'ALL CANCERS';
