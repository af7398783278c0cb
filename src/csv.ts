import { stringify } from 'csv-stringify/sync';

/**
 * The one CSV writer every layer uses (API ?format=csv, the ICB interface review, static
 * exports), so every file Planwatch writes is safe to open in a spreadsheet. It lives at the top
 * of src/ beside errors.ts because the interface log, the server and the CLI all write CSV and
 * imports only look upstream.
 *
 * Text cells that start with =, +, -, @, a tab or a carriage return (and the full-width forms of
 * the first four, which Apple Numbers folds to them) get a leading apostrophe: spreadsheets run
 * such cells as formulas, and organisation names and people's text reach these files (OWASP's
 * "CSV injection"). Numbers are left alone, so a negative change stays a number. Blanks stay
 * blank, never 0; true is 1 and false blank (csv-stringify's default). Fields are quoted when they hold a comma, quote or line break (RFC 4180); lines
 * end with \n.
 */
export type CsvValue = string | number | boolean | null | undefined;

/** What a column holds, for writers that keep types (Parquet): text unless said. */
export type ColumnType = 'text' | 'number' | 'integer' | 'boolean';

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => CsvValue;
  type?: ColumnType;
}

/** Header line and rows, each a list of cells, as CSV text. */
export function csvText(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return stringify([header, ...rows.map((row) => row.map((cell) => cell ?? ''))], {
    escape_formulas: true,
  });
}

/** Rows as CSV with a header line, one column per definition. */
export function toCsv<T>(rows: readonly T[], columns: readonly CsvColumn<T>[]): string {
  return csvText(
    columns.map((column) => column.header),
    rows.map((row) => columns.map((column) => column.value(row))),
  );
}
