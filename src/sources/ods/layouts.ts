/**
 * The two ODS bulk files Planwatch reads, as data. Neither has a header row, so they are
 * recognised by the shape of their rows (data README §8, publications.md §9.1).
 */

/** `etr.csv`, "NHS Trusts": 27 quoted fields per row, CRLF. 1-based field numbers. */
export const ETR = {
  id: 'ods-etr',
  fields: 27,
  code: 1,
  name: 2,
  /** "National grouping": the NHS England region (Y56 London … Y63 North East and Yorkshire). */
  region: 3,
  /** "High level health geography": the ICB since July 2022 (STP/CCG-era codes before). */
  icb: 4,
  opened: 11,
  closed: 12,
} as const;

/**
 * `succ.csv` / `succarc.csv`, "Successor organisations" (current year / archive): predecessor
 * code, successor code, reason, effective date YYYYMMDD, indicator. Public scripts that read it
 * (publications.md §9.1) describe the reason as F = FMR code change, O = organisation type
 * change, R = reconfiguration and the indicator as F = further succession, X = closed, blank.
 * The real file of April 2026 (`2026-04_succ.csv`, 11,537 rows, data README §14) leaves the
 * reason blank on every row and has `0` or `1` in the indicator, so both forms are accepted.
 */
export const SUCC = {
  id: 'ods-succ',
  fields: 5,
  predecessor: 1,
  successor: 2,
  reason: 3,
  effective: 4,
  indicator: 5,
  reasons: ['', 'F', 'O', 'R'],
  indicators: ['', 'F', 'X', '0', '1'],
} as const;

/** ICBs replaced STPs on 1 July 2022; before then field 4 of etr.csv held other codes. */
export const ICB_ERA_FROM = '2022-07';

export const ODS_CODE = /^[A-Z0-9]{3,6}$/;
export const REGION_CODE = /^Y[56]\d$/;
/** An ICB in field 4: a 2022 code (`QMJ`) or a merged board's five-character code (`Z9B2Z`, 2026). */
export const ICB_CODE = /^(Q[A-Z0-9]{2}|[A-Z]\d[A-Z]\d[A-Z])$/;
/** Codes in the successor file: every kind of organisation and site, 3 to 9 characters (`F81067001`). */
export const SUCC_CODE = /^[A-Z0-9]{3,9}$/;
export const ODS_DATE = /^(\d{4})(\d{2})(\d{2})$/;
