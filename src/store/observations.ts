import { copyToParquet } from './parquet.js';
import type { Store } from './store.js';

/**
 * Observations as published, each with its provenance (file, line, column) and whether it is
 * current: the raw figures behind every measure, for the API (one organisation) and the static
 * export (every observation in the store, superseded ones too, marked). One SELECT serves both so
 * their columns cannot drift apart (the README's Parquet schema lists them).
 */
export type ObservationRow = {
  collection: string;
  metric: string;
  org: string;
  period: string;
  value: number | null;
  note: string | null;
  current: boolean;
  file: string;
  sha256: string;
  published: string | null;
  edition: string | null;
  line: number;
  column: string | null;
};

export interface ObservationQuery {
  org?: string;
  collection?: string;
  from?: string;
  to?: string;
  /** Only figures of each month's current publication (default); false adds superseded ones. */
  currentOnly?: boolean;
}

function select(query: ObservationQuery): { sql: string; params: Record<string, string | number> } {
  const params = {
    org: query.org ?? '',
    collection: query.collection ?? '',
    from: query.from ?? '0000-01',
    to: query.to ?? '9999-12',
    currentOnly: query.currentOnly === false ? 0 : 1,
  };
  // Notes and column headers are looked up once per (file, metric): a file can list a metric in
  // two sheets, and one row per observation is what every reader expects.
  const sql = `
    SELECT p.collection, o.metric, o.org, o.period, o.value, n.note,
      p.superseded_by IS NULL AS current,
      f.name AS file, f.sha256, f.published, f.edition, o.row_number AS line, c.column_name AS "column"
    FROM observations o
    JOIN file_periods p ON p.file_id = o.file_id AND p.period = o.period
    JOIN files f ON f.file_id = o.file_id
    LEFT JOIN (SELECT file_id, metric, org, period, any_value(note) AS note FROM observation_notes GROUP BY ALL) n
      ON n.file_id = o.file_id AND n.metric = o.metric AND n.org = o.org AND n.period = o.period
    LEFT JOIN (SELECT file_id, metric, string_agg(DISTINCT column_name, ' | ' ORDER BY column_name) AS column_name FROM file_columns GROUP BY ALL) c
      ON c.file_id = o.file_id AND c.metric = o.metric
    WHERE ($org = '' OR o.org = $org) AND ($collection = '' OR p.collection = $collection)
      AND o.period BETWEEN $from AND $to AND ($currentOnly = 0 OR p.superseded_by IS NULL)
    ORDER BY p.collection, o.metric, o.org, o.period, f.file_id`;
  return { sql, params };
}

export async function observationRows(store: Store, query: ObservationQuery): Promise<ObservationRow[]> {
  const { sql, params } = select(query);
  const rows = await store.all<Omit<ObservationRow, 'line'> & { line: number | bigint }>(sql, params);
  return rows.map((row) => ({ ...row, line: Number(row.line) }));
}

/** Every observation matching `query` (by default every one, superseded too) as a Parquet file. */
export function observationsToParquet(store: Store, file: string, query: ObservationQuery = { currentOnly: false }): Promise<{ rows: number; bytes: number }> {
  const { sql, params } = select(query);
  return copyToParquet(store, sql, params, file);
}
