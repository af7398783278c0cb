import { readFile } from 'node:fs/promises';
import type { Config } from '../config.js';
import { isPlanwatchError } from '../errors.js';
import type { Effects, Publication } from '../sources/contract.js';
import { fetchPublications } from '../sources/http/fetch.js';
import { publicationFromLink } from '../sources/publication.js';
import { pluginById } from '../sources/registry.js';
import { refreshMeasureValues } from '../assessment/measure-table.js';
import { ingestFile } from '../store/ingest.js';
import {
  markRefreshFinished,
  markRefreshStarted,
  recordRefreshFile,
  refreshStates,
  refusedFiles,
  setWaiting,
  storedUrls,
  wasInterrupted,
  type RefreshState,
} from '../store/refresh-state.js';
import type { Store } from '../store/store.js';
import { fetchableCollections } from './fetch-and-ingest.js';

/**
 * The server keeps itself current (issue 11; src/store/README.md, "Refresh"). Each collection's
 * publication pages are read on a schedule; files not yet in the store are downloaded through the
 * download cache and ingested in this process, which is the store's one writer. Each file is its
 * own transaction and passes the commit gate, so a page shows either all of a new file's figures
 * or none of them. Collections are refreshed one at a time (NHS England asks for few requests a
 * second, and an RTT extract is large); one collection's failure is recorded, logged and tried
 * again after a back-off, and the others go on.
 */

/** First retry after a failure: a minute (a "blip" on NHS England's site, publications.md §1.7). */
export const RETRY_BASE_MS = 60_000;
/** Retries never wait longer than six hours, nor longer than the refresh interval itself. */
export const RETRY_CAP_MS = 6 * 60 * 60 * 1000;

/** How long to wait after `attempts` failures in a row: doubling from the base, capped. */
export function backoffMs(attempts: number, intervalMs: number, baseMs = RETRY_BASE_MS, capMs = RETRY_CAP_MS): number {
  const cap = Math.min(capMs, intervalMs);
  return Math.min(cap, baseMs * 2 ** Math.max(0, attempts - 1));
}

/**
 * When a collection is next due, from what the store remembers: at once when it was never
 * checked or its last run was interrupted (a `kill -9` mid-refresh: the files it had not
 * ingested are waiting in the download cache), otherwise when its last run said.
 */
export function dueAt(state: RefreshState | undefined, intervalMs: number, now: Date): Date {
  if (!state || wasInterrupted(state)) return now;
  if (state.nextDue) return new Date(Math.min(Date.parse(state.nextDue), now.getTime() + intervalMs));
  return state.checkedAt ? new Date(Date.parse(state.checkedAt) + intervalMs) : now;
}

export interface RefresherLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export interface RefresherOptions {
  intervalMs: number;
  /** Collections to keep current; all that can be fetched by default. */
  collections?: readonly string[];
  logger: RefresherLogger;
  /** Network and clock; the real ones by default. */
  io?: Effects;
  /** Least time between two requests to the site (publications.md §10). */
  minIntervalMs?: number;
  retryBaseMs?: number;
}

/** What one run of one collection did. */
export interface RefreshRun {
  collection: string;
  ingested: string[];
  refused: { url: string; message: string }[];
  waiting: number;
  error: string | null;
}

class Stopped extends Error {}

export class Refresher {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private queue: Promise<unknown> = Promise.resolve();
  private stopping = false;
  // Aborts the request under way when the server stops: a download NHS England's site has
  // stopped answering must not hold the server up (undici itself gives up only after 5 minutes).
  private readonly abort = new AbortController();
  readonly collections: readonly string[];
  private readonly io: Effects;

  constructor(
    private readonly store: Store,
    private readonly config: Config,
    private readonly options: RefresherOptions,
  ) {
    const fetchable = fetchableCollections();
    this.collections = (options.collections ?? fetchable).filter((id) => fetchable.includes(id));
    const io = options.io ?? {
      fetch: globalThis.fetch,
      logger: { info: () => {}, debug: () => {}, warn: (message: string) => options.logger.warn({}, message) } as unknown as Effects['logger'],
      now: () => new Date(),
    };
    const signal = this.abort.signal;
    this.io = {
      ...io,
      fetch: (input, init) => io.fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal }),
    };
  }

  /** Schedules every collection from its stored state: those due (or interrupted) start at once. */
  async start(): Promise<void> {
    const states = await refreshStates(this.store);
    const now = this.io.now();
    for (const collection of this.collections) {
      const due = dueAt(states.get(collection), this.options.intervalMs, now);
      if (states.get(collection) && wasInterrupted(states.get(collection)!)) {
        this.options.logger.info({ collection }, 'refresh: resuming a run that was interrupted');
      }
      this.schedule(collection, due.getTime() - now.getTime());
    }
  }

  /** Runs one collection now (after any run under way), or all of them in turn. For tests and operators. */
  refreshNow(collection?: string): Promise<RefreshRun[]> {
    const chosen = collection ? [collection] : [...this.collections];
    return Promise.all(chosen.map((id) => this.enqueue(id))).then((runs) => runs.filter((run): run is RefreshRun => run !== undefined));
  }

  /** Stops scheduling and waits for the file being ingested; an unfinished run resumes at the next start. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.abort.abort(new Stopped('the server is stopping'));
    await this.queue.catch(() => undefined);
  }

  private schedule(collection: string, delayMs: number): void {
    if (this.stopping) return;
    clearTimeout(this.timers.get(collection));
    const timer = setTimeout(() => void this.enqueue(collection), Math.max(0, delayMs));
    // The server's sockets keep the process alive; a pending refresh should not.
    timer.unref();
    this.timers.set(collection, timer);
  }

  private enqueue(collection: string): Promise<RefreshRun | undefined> {
    const run = this.queue.then(() => (this.stopping ? undefined : this.run(collection)));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(collection: string): Promise<RefreshRun | undefined> {
    const { logger } = this.options;
    const startedAt = this.io.now().toISOString();
    await markRefreshStarted(this.store, collection, startedAt);
    const previous = (await refreshStates(this.store)).get(collection);
    const run: RefreshRun = { collection, ingested: [], refused: [], waiting: 0, error: null };
    let failed = false;
    try {
      await this.check(collection, run);
    } catch (error) {
      failed = true;
      // Stopping mid-run (the request under way aborted) leaves the run marked started and not
      // finished: the next start resumes it.
      if (error instanceof Stopped || this.stopping) return undefined;
      run.error = (error as Error)?.message ?? String(error);
      // A bug is logged with its stack; a site that is down or changed is an expected failure.
      if (isPlanwatchError(error)) logger.warn({ collection, err: run.error }, 'refresh: could not check the publications');
      else logger.error({ collection, err: error }, 'refresh: unexpected error');
    }
    if (!failed && run.refused.length > 0) {
      // The pages were read, but files were turned away: shown on /status, not retried sooner,
      // since a file NHS England laid out in a way Planwatch does not read will not change in a minute.
      const names = run.refused.map((file) => file.url.split('/').pop()).join(', ');
      run.error = `${run.refused.length} file(s) refused (${names}): ${run.refused[0]!.message}`;
    }
    const attempts = failed ? (previous?.attempts ?? 0) + 1 : 0;
    const delay = failed ? backoffMs(attempts, this.options.intervalMs, this.options.retryBaseMs) : this.options.intervalMs;
    const finishedAt = this.io.now();
    await markRefreshFinished(this.store, collection, {
      at: finishedAt.toISOString(),
      checked: !failed,
      error: run.error,
      attempts,
      nextDue: new Date(finishedAt.getTime() + delay).toISOString(),
      waiting: run.waiting,
    });
    logger.info(
      { collection, ingested: run.ingested.length, refused: run.refused.length, waiting: run.waiting, error: run.error, nextInMs: delay },
      failed ? `refresh: failed (attempt ${attempts}); trying again later` : 'refresh: checked',
    );
    this.schedule(collection, delay);
    return run;
  }

  /** Reads the pages, then downloads and ingests each file not yet in the store. */
  private async check(collection: string, run: RefreshRun): Promise<void> {
    const plugin = pluginById(collection);
    if (!plugin?.discover) throw new Error(`${collection} cannot be fetched`);
    const opts = plugin.options.parse({ baseUrl: this.config.baseUrl, reportUrl: this.config.odsReportUrl });
    const stored = await storedUrls(this.store);
    const refused = await refusedFiles(this.store, collection);
    const found: Publication[] = [];
    for await (const publication of plugin.discover(opts, this.io)) {
      if (this.stopping) throw new Stopped();
      // A file republished in place (the ODS reports) is asked for again: its next edition comes
      // at the address already stored. Unchanged, it costs a conditional request and is found
      // unchanged by its checksum.
      if (!stored.has(publication.url) || publication.republishedInPlace) found.push(publication);
    }
    // A refused file is downloaded again (conditionally) in case it was replaced, but it does not
    // count as waiting: it waits for NHS England, not for us; nor does a stored file asked for again.
    run.waiting = found.filter((publication) => !refused.has(publication.url) && !stored.has(publication.url)).length;
    await setWaiting(this.store, collection, run.waiting);
    if (found.length === 0) return;

    const fetched = fetchPublications(listOf(found), this.config.cacheDir, this.io, () => {}, { minIntervalMs: this.options.minIntervalMs ?? this.config.fetchIntervalMs });
    for await (const item of fetched) {
      if (this.stopping) throw new Stopped();
      const { publication } = item;
      const before = refused.get(publication.url);
      if (before?.sha256 === item.sha256) continue;
      const at = this.io.now().toISOString();
      let outcome: { outcome: 'stored' } | { outcome: 'refused'; message: string };
      try {
        const result = await ingestFile(this.store, { name: publication.name, bytes: await readFile(item.path), url: publication.url, page: publicationFromLink(publication) });
        if (result.status === 'ingested') run.ingested.push(publication.name);
        this.options.logger.info({ collection, file: publication.name, status: result.status, changed: result.changed }, `refresh: ${result.status} ${publication.name}`);
        outcome = { outcome: 'stored' };
      } catch (error) {
        if (!isPlanwatchError(error)) throw error;
        // A file NHS England laid out in a way we do not read: say so, keep the others coming.
        run.refused.push({ url: publication.url, message: error.message });
        this.options.logger.warn({ collection, file: publication.name, err: error.message }, 'refresh: file refused');
        outcome = { outcome: 'refused', message: error.message };
      }
      if (!before && !stored.has(publication.url)) run.waiting = Math.max(0, run.waiting - 1);
      await this.store.transaction(async () => {
        await recordRefreshFile(this.store, { url: publication.url, collection, sha256: item.sha256, at, ...outcome });
        await setWaiting(this.store, collection, run.waiting);
      }, { bookkeeping: true });
    }
    // Once the run's files are in: the measure values of the months they changed (issue 10).
    await refreshMeasureValues(this.store);
  }
}

async function* listOf<T>(items: readonly T[]): AsyncIterable<T> {
  yield* items;
}
