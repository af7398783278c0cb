import { currentPublication, publicationFromName, type Edition } from '../sources/publication.js';
import { pluginById } from '../sources/registry.js';
import type { Store } from './store.js';

/**
 * Which stored file is current for each month of a collection: "latest publication wins"
 * (README.md). Decided afresh from every stored file that covers the month, never from the order
 * files arrived, so ingesting the same files in any order gives the same store.
 */

/** Bumped whenever the rule changes: Store.open then recomputes every month once. */
export const CURRENCY_RULE = '3';

type Candidate = {
  file_id: number;
  period: string;
  superseded_by: number | null;
  name: string;
  sha256: string;
  published: string | null;
  edition: Edition | null;
  lastPeriod: string | null;
  layout: string;
};

/**
 * Recomputes the current file of the given months of one collection (every month when `periods`
 * is omitted) and records it in `file_periods.superseded_by` (NULL for the current file, the
 * current file's id for the others). Returns the months whose current file changed. Runs inside
 * the caller's transaction. `arrived` is a file inserted in this transaction: its months did not
 * have it as their current file before. `previous`, when given, receives the files that were
 * current for some of these months before (so ingest needs no query of its own for them).
 */
export async function recomputeCurrent(store: Store, collection: string, periods?: readonly string[], arrived?: number, previous?: Set<number>): Promise<string[]> {
  const rows = await candidatesFor(store, collection, periods);
  const byPeriod = new Map<string, Candidate[]>();
  for (const row of rows) {
    const list = byPeriod.get(row.period) ?? [];
    list.push(row);
    byPeriod.set(row.period, list);
  }
  const changed: string[] = [];
  const updates: { period: string; winner: number }[] = [];
  // A fallback layout (someone else's copy of the collection, e.g. the NHS-R tidy A&E file) is
  // current only for months no file of another layout covers, whatever its dates say.
  const fallbacks = new Set(pluginById(collection)?.fallbackLayouts ?? []);
  for (const [period, candidates] of byPeriod) {
    const own = candidates.filter((candidate) => !fallbacks.has(candidate.layout));
    const winner = currentPublication(own.length > 0 ? own : candidates)!;
    const before = candidates.filter((candidate) => candidate.superseded_by === null && candidate.file_id !== arrived);
    for (const candidate of before) previous?.add(candidate.file_id);
    if (before.length !== 1 || before[0]!.file_id !== winner.file_id) changed.push(period);
    const settled = candidates.every((candidate) => candidate.superseded_by === (candidate.file_id === winner.file_id ? null : winner.file_id));
    if (!settled) updates.push({ period, winner: winner.file_id });
  }
  if (updates.length > 0) {
    await store.run(
      `UPDATE file_periods SET superseded_by = CASE WHEN file_periods.file_id = w.winner THEN NULL ELSE w.winner END
       FROM (SELECT unnest(from_json($2, '["VARCHAR"]')) AS period, unnest(from_json($3, '["INTEGER"]')) AS winner) w
       WHERE file_periods.collection = $1 AND file_periods.period = w.period`,
      [collection, JSON.stringify(updates.map((u) => u.period)), JSON.stringify(updates.map((u) => u.winner))]);
  }
  return changed.sort();
}

/**
 * The files covering some of these months (every month when omitted), without the correlated subquery for each file's last
 * month: DuckDB planned it as a delim join that cost more than the rest of an ingested file's
 * statements together (issue 10 item 5). The last month only ranks two files of one month, so it
 * is asked for only when some month has two.
 */
async function candidatesFor(store: Store, collection: string, periods: readonly string[] | undefined): Promise<Candidate[]> {
  const columns = 'p.file_id, p.period, p.superseded_by, f.name, f.sha256, f.published, f.edition, f.layout';
  const rows = periods === undefined
    ? await store.all<Omit<Candidate, 'lastPeriod'>>(
      `SELECT ${columns} FROM file_periods p JOIN files f USING (file_id) WHERE p.collection = $1`, [collection])
    : await store.all<Omit<Candidate, 'lastPeriod'>>(
      `SELECT ${columns} FROM file_periods p JOIN files f USING (file_id)
       WHERE p.collection = $1 AND list_contains(from_json($2, '["VARCHAR"]'), p.period)`,
      [collection, JSON.stringify(periods)]);
  const perPeriod = new Map<string, number>();
  for (const row of rows) perPeriod.set(row.period, (perPeriod.get(row.period) ?? 0) + 1);
  const contested = [...new Set(rows.filter((row) => perPeriod.get(row.period)! > 1).map((row) => row.file_id))];
  const last = new Map<number, string | null>();
  if (contested.length > 0) {
    const lasts = await store.all<{ file_id: number; lastPeriod: string | null }>(
      `SELECT file_id, max(period) AS lastPeriod FROM file_periods WHERE list_contains(from_json($1, '["INTEGER"]'), file_id) GROUP BY file_id`,
      [JSON.stringify(contested)]);
    for (const row of lasts) last.set(row.file_id, row.lastPeriod);
  }
  // A month's only file needs no rank, so its last month is left unasked (null).
  return rows.map((row) => ({ ...row, lastPeriod: last.get(row.file_id) ?? null }));
}

/**
 * Brings a store made by an earlier version up to the current rule: files stored before
 * publication dates were kept get what their names say (their cover sheets are not stored; re-
 * ingesting a file adds what it says), then every month of every collection is decided again.
 */
export async function upgradeCurrency(store: Store): Promise<void> {
  const rule = await store.one<{ value: string }>(`SELECT value FROM meta WHERE key = 'currency_rule'`);
  if (rule?.value === CURRENCY_RULE) return;
  await store.transaction(async () => {
    const unstated = await store.all<{ file_id: number; name: string }>(
      'SELECT file_id, name FROM files WHERE published IS NULL AND edition IS NULL AND published_from IS NULL');
    for (const file of unstated) {
      const info = publicationFromName(file.name);
      if (info.published === undefined && info.edition === undefined) continue;
      await store.run('UPDATE files SET published = $1, edition = $2, published_from = $3 WHERE file_id = $4',
        [info.published ?? null, info.edition ?? null, info.published ? 'name' : null, file.file_id]);
    }
    const collections = await store.all<{ collection: string }>('SELECT DISTINCT collection FROM file_periods ORDER BY collection');
    for (const { collection } of collections) await recomputeCurrent(store, collection);
    await store.run(`INSERT INTO measure_pending SELECT DISTINCT collection, NULL, false FROM file_periods`);
    await store.run(`INSERT OR REPLACE INTO meta VALUES ('currency_rule', $1)`, [CURRENCY_RULE]);
  });
}
