/**
 * AmbSYS (Ambulance Systems Indicators) layouts as data (data README §3, publications.md §3).
 * Both publish the same indicator codes (A0 … A148; NHS England's field list is
 * `AmbSYS-AmbCO-Schemas.xlsx`), so raw fields are the A-codes themselves.
 */

/** A-codes the measures read: counts, total seconds, mean seconds and 90th-centile seconds. */
export const CATEGORY_FIELDS = {
  c1: { count: 'A8', total: 'A24', mean: 'A25', p90: 'A26' },
  c1t: { count: 'A9', total: 'A27', mean: 'A28', p90: 'A29' },
  c2: { count: 'A10', total: 'A30', mean: 'A31', p90: 'A32' },
  c3: { count: 'A11', total: 'A33', mean: 'A34', p90: 'A35' },
  c4: { count: 'A12', total: 'A36', mean: 'A37', p90: 'A38' },
} as const;

/** Every A-code a file must carry for Planwatch's measures; others are stored when present. */
export const REQUIRED_FIELDS: readonly string[] = Object.values(CATEGORY_FIELDS).flatMap((fields) => Object.values(fields));

export const A_CODE = /^A\d{1,3}$/;

/** The interactive time-series workbook: sheet `Raw`, header found by content (row 5 in 2025). */
export const WORKBOOK = {
  id: 'ambsys-workbook',
  sheet: 'Raw',
  lookupSheet: 'ICB lookup',
  /** Identity columns, matched by name; the first occurrence wins because helper columns at the
   * far right repeat `Year` and `Month`. */
  identity: ['Concatenated', 'Year', 'Month', 'Reg', 'Area', 'Trust'] as const,
  /** Sheets that mark an AmbSYS workbook even when `Raw` is missing (so the error can say so). */
  signatureSheets: ['Response times', 'Incidents'],
  /** Rows searched for the header. */
  headerSearchRows: 20,
} as const;

/** The monthly AmbSYS CSV (`AmbSYS-to-April-2024.csv` …): calendar year and month number. */
export const CSV_LAYOUT = {
  id: 'ambsys-csv',
  identity: ['Year', 'Month', 'Region', 'Org Code', 'Org Name'] as const,
} as const;

/**
 * The `ICB lookup` sheet: the share of each ICB's Category 2 incidents that each ambulance service
 * responded to, measured over the 12 weeks ending Sunday 26 February 2023 (the sheet's own
 * methodology note). Planwatch weights by the services' C2 incidents of these months.
 */
export const ICB_LOOKUP = {
  serviceRowLabel: 'Ambulance Service code:',
  nhsCodeHeader: 'ICB code by NHS',
  onsCodeHeader: 'ICB code by ONS',
  nameHeader: 'Integrated Care Board (ICB) name',
  referenceMonths: ['2022-12', '2023-01', '2023-02'],
  /** ICBs were established on 1 July 2022. */
  validFrom: '2022-07',
} as const;

export const MONTHS = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'];
