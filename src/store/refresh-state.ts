import type { Store } from './store.js';

/**
 * What the server's refresher remembers per collection (schema.ts `refresh_state`), kept in the
 * store itself so that it survives a restart, and a `kill -9`, with everything else committed.
 */
export interface RefreshState {
  collection: string;
  /** ISO 8601 times; null when it has not happened. */
  startedAt: string | null;
  finishedAt: string | null;
  /** The last run that read the collection's pages completely. */
  checkedAt: string | null;
  lastError: string | null;
  errorAt: string | null;
  /** Failures in a row (0 after a run that went through). */
  attempts: number;
  nextDue: string | null;
  /** Publications found on the pages and not yet in the store. */
  waiting: number;
}

type StateRow = {
  collection: string;
  started_at: string | null;
  finished_at: string | null;
  checked_at: string | null;
  last_error: string | null;
  error_at: string | null;
  attempts: number;
  next_due: string | null;
  waiting: number;
};

function fromRow(row: StateRow): RefreshState {
  return {
    collection: row.collection,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    checkedAt: row.checked_at,
    lastError: row.last_error,
    errorAt: row.error_at,
    attempts: row.attempts,
    nextDue: row.next_due,
    waiting: row.waiting,
  };
}

/**
 * The refresher's own records change no figure, so they are committed without a new store
 * version: a check every minute while NHS England's site is down must not empty every cache.
 */
function bookkeeping(store: Store, write: () => Promise<void>): Promise<void> {
  return store.transaction(write, { bookkeeping: true });
}

/** Every collection's refresh state, by collection. */
export async function refreshStates(store: Store): Promise<Map<string, RefreshState>> {
  const rows = await store.all<StateRow>('SELECT * FROM refresh_state ORDER BY collection');
  return new Map(rows.map((row) => [row.collection, fromRow(row)]));
}

/** A run that started and did not finish: the process stopped (or was killed) during it. */
export function wasInterrupted(state: RefreshState): boolean {
  return state.startedAt !== null && (state.finishedAt === null || state.finishedAt < state.startedAt);
}

export async function markRefreshStarted(store: Store, collection: string, at: string): Promise<void> {
  await bookkeeping(store, () =>
    store.run(
      `INSERT INTO refresh_state (collection, started_at) VALUES ($1, $2)
       ON CONFLICT (collection) DO UPDATE SET started_at = excluded.started_at`,
      [collection, at]));
}

export async function setWaiting(store: Store, collection: string, waiting: number): Promise<void> {
  await bookkeeping(store, () =>
    store.run('UPDATE refresh_state SET waiting = $2 WHERE collection = $1', [collection, waiting]));
}

/**
 * Ends a run: whether the pages were read through (`checked`), the error if any (a failure, or
 * files refused), failures in a row, and when the next run is due.
 */
export async function markRefreshFinished(
  store: Store,
  collection: string,
  outcome: { at: string; checked: boolean; error: string | null; attempts: number; nextDue: string; waiting: number },
): Promise<void> {
  await bookkeeping(store, () =>
    store.run(
      `INSERT INTO refresh_state (collection, started_at, finished_at, checked_at, last_error, error_at, attempts, next_due, waiting)
       VALUES ($1, $2, $2, CASE WHEN $7 THEN $2 END, $3, CASE WHEN $3::VARCHAR IS NOT NULL THEN $2 END, $4, $5, $6)
       ON CONFLICT (collection) DO UPDATE SET
         finished_at = excluded.finished_at,
         checked_at = coalesce(excluded.checked_at, refresh_state.checked_at),
         last_error = excluded.last_error,
         error_at = coalesce(excluded.error_at, refresh_state.error_at),
         attempts = excluded.attempts,
         next_due = excluded.next_due,
         waiting = excluded.waiting`,
      [collection, outcome.at, outcome.error, outcome.attempts, outcome.nextDue, outcome.waiting, outcome.checked]));
}

/**
 * Addresses the refresher need not download again: files in the store under that address, and
 * addresses it stored before (the same bytes may be in the store under another address).
 */
export async function storedUrls(store: Store): Promise<Set<string>> {
  const rows = await store.all<{ url: string }>(
    `SELECT url FROM files WHERE url IS NOT NULL UNION SELECT url FROM refresh_files WHERE outcome = 'stored'`);
  return new Set(rows.map((row) => row.url));
}

/** Files of a collection refused before, by address: the checksum that was refused and why. */
export async function refusedFiles(store: Store, collection: string): Promise<Map<string, { sha256: string; message: string }>> {
  const rows = await store.all<{ url: string; sha256: string; message: string }>(
    `SELECT url, sha256, message FROM refresh_files WHERE collection = $1 AND outcome = 'refused'`, [collection]);
  return new Map(rows.map((row) => [row.url, { sha256: row.sha256, message: row.message }]));
}

/** Remembers what became of a downloaded file: stored, or refused with the reason. */
export async function recordRefreshFile(
  store: Store,
  file: { url: string; collection: string; sha256: string; outcome: 'stored' | 'refused'; message?: string; at: string },
): Promise<void> {
  await bookkeeping(store, () =>
    store.run(
      `INSERT INTO refresh_files VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (url) DO UPDATE SET collection = excluded.collection, sha256 = excluded.sha256, outcome = excluded.outcome,
         message = excluded.message, noted_at = excluded.noted_at`,
      [file.url, file.collection, file.sha256, file.outcome, file.message ?? null, file.at]));
}
