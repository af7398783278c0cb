import { toCsv, type CsvColumn } from '../csv.js';
import { parquetOf } from '../store/parquet.js';

/**
 * The rows of an answer in the formats a spreadsheet or a data tool wants: CSV (through the one
 * CSV writer) and Parquet (through DuckDB), from the same column definitions, so the two always
 * have the same columns in the same order. Built only when asked for.
 */
export interface Table {
  csv(): string;
  parquet(): Promise<Buffer>;
}

export function tableOf<T>(rows: readonly T[], columns: readonly CsvColumn<T>[]): Table {
  return {
    csv: () => toCsv(rows, columns),
    parquet: () => parquetOf(
      columns.map((column) => ({ name: column.header, type: column.type ?? 'text' })),
      rows.map((row) => columns.map((column) => column.value(row))),
    ),
  };
}
