import type { Store } from './store.js';

/** A collection's newest month held, and when and as what its current file was published. */
export interface LatestPublication {
  collection: string;
  period: string;
  /** 'YYYY-MM-DD' or 'YYYY-MM'; null when nothing said (files.published). */
  published: string | null;
  edition: string | null;
}

/**
 * For each collection, the newest month with current figures and the publication date of the
 * file that is current for it (the latest date, where a month has two current files of
 * different kinds, such as ODS's trust list and successor file).
 */
export async function latestPublications(store: Store): Promise<Map<string, LatestPublication>> {
  const rows = await store.all<{ collection: string; period: string; published: string | null; edition: string | null }>(
    `WITH latest AS (
       SELECT collection, max(period) AS period FROM file_periods WHERE superseded_by IS NULL GROUP BY collection)
     SELECT l.collection, l.period, max(f.published) AS published, arg_max(f.edition, f.published) AS edition
     FROM latest l
     JOIN file_periods p ON p.collection = l.collection AND p.period = l.period AND p.superseded_by IS NULL
     JOIN files f ON f.file_id = p.file_id
     GROUP BY l.collection, l.period
     ORDER BY l.collection`);
  return new Map(rows.map((row) => [row.collection, row]));
}
