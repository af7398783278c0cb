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

/**
 * NHS England's monthly A&E provider workbook (.xls, BIFF8), July 2015 – 2019 (data README §9):
 * the same collection as the CSV, published beside it from 2019 and instead of it before. Header
 * on the row whose column B says `Code` (row 16), the England row (`-`, `England`) under it, then
 * the providers. The three type columns repeat under each block ("A&E attendances", "… less than
 * 4 hours …", "… greater than 4 hours …"), so a column is named by its header and, where the
 * header repeats, by the merged group header above it (carried right across the merge).
 */
export type AeWorkbookRole =
  | AeField
  /** More than 4 hours from decision to admit, 12+ included: the CSV's 4–12 plus 12+. */
  | 'dta_over4'
  | 'total_attendances'
  | 'under4_type1'
  | 'under4_type2'
  | 'under4_other'
  | 'total_under4'
  | 'total_over4'
  | 'total_emergency_admissions_via_ae'
  | 'total_emergency_admissions'
  | 'share_within4_all'
  | 'share_within4_type1'
  | 'share_within4_type2'
  | 'share_within4_other';

export interface AeWorkbookColumn {
  /** The merged group header over the column, where the header text alone repeats. */
  group?: string;
  header: string;
  role: AeWorkbookRole;
}

export interface AeWorkbookLayout {
  id: string;
  description: string;
  firstSeen: string;
  lastSeen: string;
  sheet: string;
  columns: readonly AeWorkbookColumn[];
}

const GROUP_ATTENDANCES = 'A&E attendances';
const GROUP_OVER4_2015 = 'A&E attendances > 4 hours from arrival to admission, transfer or discharge';
const GROUP_UNDER4 = 'A&E attendances less than 4 hours from arrival to admission, transfer or discharge';
const GROUP_OVER4_2017 = 'A&E attendances greater than 4 hours from arrival to admission, transfer or discharge';

const TYPE_HEADERS = [
  ['Type 1 Departments - Major A&E', 'type1'],
  ['Type 2 Departments - Single Specialty', 'type2'],
  ['Type 3 Departments - Other A&E/Minor Injury Unit', 'other'],
] as const;

const byType = (group: string, prefix: 'attendances' | 'under4' | 'over4'): AeWorkbookColumn[] =>
  TYPE_HEADERS.map(([header, type]) => ({ group, header, role: `${prefix}_${type}` as AeWorkbookRole }));

const WORKBOOK_ATTENDANCES: AeWorkbookColumn[] = [
  ...byType(GROUP_ATTENDANCES, 'attendances'),
  { header: 'Total attendances', role: 'total_attendances' },
];

const WORKBOOK_ADMISSIONS: AeWorkbookColumn[] = [
  { header: 'Emergency Admissions via Type 1 A&E', role: 'emergency_admissions_type1' },
  { header: 'Emergency Admissions via Type 2 A&E', role: 'emergency_admissions_type2' },
  // Type 3 and 4 together: the CSV's "Other A&E department" (equal in every month held as both).
  { header: 'Emergency Admissions via Type 3 and 4 A&E', role: 'emergency_admissions_other' },
  { header: 'Total Emergency Admissions via A&E', role: 'total_emergency_admissions_via_ae' },
  { header: 'Other Emergency admissions (i.e not via A&E)', role: 'other_emergency_admissions' },
  { header: 'Total Emergency Admissions', role: 'total_emergency_admissions' },
  { header: 'Number of patients spending >4 hours from decision to admit to admission', role: 'dta_over4' },
  { header: 'Number of patients spending >12 hours from decision to admit to admission', role: 'dta_12hr_plus' },
];

const OVER4_2015: AeWorkbookColumn[] = [
  ...byType(GROUP_OVER4_2015, 'over4'),
  { header: 'Total Attendances > 4 hours', role: 'total_over4' },
  { header: 'Percentage in 4 hours or less (type 1)', role: 'share_within4_type1' },
  { header: 'Percentage in 4 hours or less (all)', role: 'share_within4_all' },
];

const UNDER_AND_OVER4_2017: AeWorkbookColumn[] = [
  ...byType(GROUP_UNDER4, 'under4'),
  { header: 'Total Attendances < 4 hours', role: 'total_under4' },
  ...byType(GROUP_OVER4_2017, 'over4'),
  { header: 'Total Attendances > 4 hours', role: 'total_over4' },
  { header: 'Percentage in 4 hours or less (type 1)', role: 'share_within4_type1' },
  { header: 'Percentage in 4 hours or less (all)', role: 'share_within4_all' },
];

/** Most specific first: matchWorkbookLayout takes the first whose sheet and columns are all there. */
export const AE_WORKBOOK_LAYOUTS: readonly AeWorkbookLayout[] = [
  {
    id: 'ae-xls-2018',
    description: 'workbook with <4 and >4 hour blocks and four percentages (all, type 1, 2, 3)',
    firstSeen: '2018-04',
    lastSeen: '2019-12',
    sheet: 'Provider Level Data',
    columns: [
      ...WORKBOOK_ATTENDANCES,
      ...UNDER_AND_OVER4_2017,
      { header: 'Percentage in 4 hours or less (type 2)', role: 'share_within4_type2' },
      { header: 'Percentage in 4 hours or less (type 3)', role: 'share_within4_other' },
      ...WORKBOOK_ADMISSIONS,
    ],
  },
  {
    id: 'ae-xls-2017-04',
    description: 'workbook with a <4 hour block before the >4 hour block',
    firstSeen: '2017-04',
    lastSeen: '2018-03',
    sheet: 'Provider Level Data',
    columns: [...WORKBOOK_ATTENDANCES, ...UNDER_AND_OVER4_2017, ...WORKBOOK_ADMISSIONS],
  },
  {
    id: 'ae-xls-2017',
    description: 'workbook on "Provider Level Data" with an unlabelled STP column',
    firstSeen: '2017-01',
    lastSeen: '2017-03',
    sheet: 'Provider Level Data',
    columns: [...WORKBOOK_ATTENDANCES, ...OVER4_2015, ...WORKBOOK_ADMISSIONS],
  },
  {
    id: 'ae-xls-2015',
    description: 'workbook on one sheet "A&E Data"',
    firstSeen: '2015-07',
    lastSeen: '2016-12',
    sheet: 'A&E Data',
    columns: [...WORKBOOK_ATTENDANCES, ...OVER4_2015, ...WORKBOOK_ADMISSIONS],
  },
];

export const AE_WORKBOOK_SHEETS: readonly string[] = [...new Set(AE_WORKBOOK_LAYOUTS.map((layout) => layout.sheet))];

/** Roles whose cells are `-` for a trust that did not report 4-hour figures (field-testing trusts). */
export const WORKBOOK_FOUR_HOUR_ROLES: ReadonlySet<AeWorkbookRole> = new Set<AeWorkbookRole>([
  'under4_type1', 'under4_type2', 'under4_other', 'total_under4', 'over4_type1', 'over4_type2', 'over4_other', 'total_over4',
]);

export const FIELD_TESTING_WORKBOOK_NOTE =
  'field-testing trust (May 2019 – May 2023): 4-hour breaches not reported; the workbook shows "-"';

/** A header cell with the group header over it, both trimmed ('' where none). */
export interface WorkbookHeaderCell {
  index: number;
  group: string;
  header: string;
}

/** The index of each of a layout's columns in `cells`, or the first column missing. */
export function locateWorkbookColumns(layout: AeWorkbookLayout, cells: readonly WorkbookHeaderCell[]): { found: Map<AeWorkbookRole, WorkbookHeaderCell> } | { missing: AeWorkbookColumn } {
  const found = new Map<AeWorkbookRole, WorkbookHeaderCell>();
  for (const column of layout.columns) {
    const cell = cells.find((candidate) => candidate.header === column.header && (column.group === undefined || candidate.group === column.group));
    if (!cell) return { missing: column };
    found.set(column.role, cell);
  }
  return { found };
}

/** The first layout (most specific first) for this sheet whose every column is in the header. */
export function matchWorkbookLayout(sheet: string, cells: readonly WorkbookHeaderCell[]): AeWorkbookLayout | undefined {
  return AE_WORKBOOK_LAYOUTS.find((layout) => layout.sheet === sheet && 'found' in locateWorkbookColumns(layout, cells));
}

/** Header cells with their group headers: a merged group cell holds its text in its first column only. */
export function workbookHeaderCells(groupRow: readonly unknown[] | undefined, headerRow: readonly unknown[]): WorkbookHeaderCell[] {
  const text = (cell: unknown) => (cell === null || cell === undefined ? '' : String(cell).trim());
  let group = '';
  const cells: WorkbookHeaderCell[] = [];
  for (let index = 0; index < Math.max(headerRow.length, groupRow?.length ?? 0); index++) {
    const above = text(groupRow?.[index]);
    if (above !== '') group = above;
    const header = text(headerRow[index]);
    if (header !== '') cells.push({ index, group, header });
  }
  return cells;
}
