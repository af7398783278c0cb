/**
 * Every header layout of NHS England's monthly A&E provider CSV (data README §1), as data:
 * a new layout is one entry here plus a synthetic fixture, not a new branch of code.
 * Columns are matched by name after trimming, never by position: positions move between layouts.
 */

/** Raw fields the A&E source publishes; measures in src/measures/ae.ts are built from them. */
export const AE_FIELDS = [
  'attendances_type1',
  'attendances_type2',
  'attendances_other',
  'booked_attendances_type1',
  'booked_attendances_type2',
  'booked_attendances_other',
  'over4_type1',
  'over4_type2',
  'over4_other',
  'booked_over4_type1',
  'booked_over4_type2',
  'booked_over4_other',
  'dta_4_12hr',
  'dta_12hr_plus',
  'emergency_admissions_type1',
  'emergency_admissions_type2',
  'emergency_admissions_other',
  'other_emergency_admissions',
] as const;
export type AeField = (typeof AE_FIELDS)[number];

export const OVER_4_HOUR_FIELDS: readonly AeField[] = [
  'over4_type1',
  'over4_type2',
  'over4_other',
  'booked_over4_type1',
  'booked_over4_type2',
  'booked_over4_other',
];

export const IDENTITY_COLUMNS = ['Period', 'Org Code', 'Parent Org', 'Org name'] as const;

export interface AeLayout {
  id: string;
  description: string;
  firstSeen: string;
  lastSeen?: string;
  /** Published header → raw field. Every column listed is required. */
  columns: Readonly<Record<string, AeField>>;
}

const DTA_AND_ADMISSIONS: Readonly<Record<string, AeField>> = {
  // "4-12 hs" is the publication's own typo, in every layout.
  'Patients who have waited 4-12 hs from DTA to admission': 'dta_4_12hr',
  'Patients who have waited 12+ hrs from DTA to admission': 'dta_12hr_plus',
  'Emergency admissions via A&E - Type 1': 'emergency_admissions_type1',
  'Emergency admissions via A&E - Type 2': 'emergency_admissions_type2',
  'Emergency admissions via A&E - Other A&E department': 'emergency_admissions_other',
  'Other emergency admissions': 'other_emergency_admissions',
};

const RENAMED_2020: Readonly<Record<string, AeField>> = {
  'A&E attendances Type 1': 'attendances_type1',
  'A&E attendances Type 2': 'attendances_type2',
  'A&E attendances Other A&E Department': 'attendances_other',
  'Attendances over 4hrs Type 1': 'over4_type1',
  'Attendances over 4hrs Type 2': 'over4_type2',
  // "Other Department" here but "Other A&E Department" for attendances: as published.
  'Attendances over 4hrs Other Department': 'over4_other',
};

export const AE_LAYOUTS: readonly AeLayout[] = [
  {
    id: 'ae-2019',
    description: '16 measures named "Number of …"',
    firstSeen: '2019-03',
    lastSeen: '2020-03',
    columns: {
      'Number of A&E attendances Type 1': 'attendances_type1',
      'Number of A&E attendances Type 2': 'attendances_type2',
      'Number of A&E attendances Other A&E Department': 'attendances_other',
      'Number of attendances over 4hrs Type 1': 'over4_type1',
      'Number of attendances over 4hrs Type 2': 'over4_type2',
      'Number of attendances over 4hrs Other A&E Department': 'over4_other',
      ...DTA_AND_ADMISSIONS,
    },
  },
  {
    id: 'ae-2020',
    description: 'the same 16 measures renamed without "Number of"',
    firstSeen: '2020-04',
    lastSeen: '2020-07',
    columns: { ...RENAMED_2020, ...DTA_AND_ADMISSIONS },
  },
  {
    id: 'ae-2020-booked',
    description: '22 measures: booked appointments added by type',
    firstSeen: '2020-08',
    columns: {
      ...RENAMED_2020,
      'A&E attendances Booked Appointments Type 1': 'booked_attendances_type1',
      'A&E attendances Booked Appointments Type 2': 'booked_attendances_type2',
      'A&E attendances Booked Appointments Other Department': 'booked_attendances_other',
      'Attendances over 4hrs Booked Appointments Type 1': 'booked_over4_type1',
      'Attendances over 4hrs Booked Appointments Type 2': 'booked_over4_type2',
      'Attendances over 4hrs Booked Appointments Other Department': 'booked_over4_other',
      ...DTA_AND_ADMISSIONS,
    },
  },
];

/** The NHS-R Community `ae_attendances` tidy layout (April 2016 – March 2019), one row per org × type. */
export const NHSR_LAYOUT = {
  id: 'ae-nhsr-tidy',
  header: ['period', 'org_code', 'type', 'attendances', 'breaches', 'admissions'],
  fieldsByType: {
    '1': { attendances: 'attendances_type1', breaches: 'over4_type1', admissions: 'emergency_admissions_type1' },
    '2': { attendances: 'attendances_type2', breaches: 'over4_type2', admissions: 'emergency_admissions_type2' },
    other: { attendances: 'attendances_other', breaches: 'over4_other', admissions: 'emergency_admissions_other' },
  },
} as const satisfies {
  id: string;
  header: readonly string[];
  fieldsByType: Record<string, Record<'attendances' | 'breaches' | 'admissions', AeField>>;
};

/**
 * Field-testing trusts (data README §1): from May 2019 to May 2023 these trusts piloted new
 * standards and published 0 in every over-4-hours column. NHS England's national 4-hour
 * percentage leaves them out, so their 4-hour fields are "not reported", never 0.
 */
export const FIELD_TESTING_TRUSTS: ReadonlySet<string> = new Set([
  'RX1', 'RGR', 'RYJ', 'RFR', 'RXF', 'RGT', 'RNQ', 'RHU', 'RC9', 'RD3', 'RQM', 'RVW', 'RDU', 'RK9',
]);
export const FIELD_TESTING_FROM = '2019-05';
export const FIELD_TESTING_TO = '2023-05';
export const FIELD_TESTING_NOTE =
  'field-testing trust (May 2019 – May 2023): 4-hour breaches not reported; the file shows 0';

/** Picks the layout whose columns the header carries; the most specific (booked) first. */
export function matchLayout(header: readonly string[]): AeLayout | undefined {
  const names = new Set(header.map((cell) => cell.trim()));
  if (!IDENTITY_COLUMNS.every((column) => names.has(column))) return undefined;
  const candidates = [...AE_LAYOUTS].reverse();
  // A layout is recognised by its first attendances column; missing other columns are then
  // reported by name rather than silently falling back to an older layout.
  return candidates.find((layout) => {
    const signature = Object.keys(layout.columns).filter((column) => /attendances/i.test(column));
    return layout.id === 'ae-2020-booked'
      ? signature.some((column) => /Booked/.test(column) && names.has(column))
      : names.has(signature[0] ?? '');
  });
}
