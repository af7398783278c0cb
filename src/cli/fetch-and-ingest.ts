import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { refreshMeasureValues } from '../assessment/measure-table.js';
import type { Config } from '../config.js';
import { PlanwatchError } from '../errors.js';
import type { Effects } from '../sources/contract.js';
import { fetchPublications } from '../sources/http/fetch.js';
import { publicationFromLink } from '../sources/publication.js';
import { pluginById, plugins } from '../sources/registry.js';
import { ingestFile, type IngestResult } from '../store/ingest.js';
import type { Store } from '../store/store.js';
import { createProgress, showFetchProgress } from './progress.js';

export interface FetchOutcome {
  url: string;
  fromCache: boolean;
  result: IngestResult;
}

/** Collections that can find their publications online. */
export function fetchableCollections(): string[] {
  return plugins.filter((plugin) => plugin.discover).map((plugin) => plugin.id);
}

/**
 * Discovers a collection's publications on NHS England's site, downloads them into the cache
 * (by URL and checksum) and ingests each file in its own transaction.
 */
export async function fetchAndIngest(store: Store, config: Config, collection: string, options: { since?: string; json?: boolean } = {}): Promise<FetchOutcome[]> {
  const plugin = pluginById(collection);
  if (!plugin?.discover) {
    throw new PlanwatchError('E_USAGE', `Planwatch cannot fetch "${collection}"; it can fetch: ${fetchableCollections().join(', ')}.`);
  }
  const io: Effects = {
    fetch: globalThis.fetch,
    // pino loads only when something is fetched (createRequire: it is CommonJS).
    logger: (createRequire(import.meta.url)('pino') as typeof import('pino')).default({ level: options.json ? 'silent' : config.logLevel === 'info' ? 'warn' : config.logLevel }, process.stderr),
    now: () => new Date(),
  };
  // Each plugin takes the addresses it knows (zod drops the rest): NHS England's site, ODS's reports.
  const opts = plugin.options.parse({ baseUrl: config.baseUrl, reportUrl: config.odsReportUrl, ...(options.since ? { since: options.since } : {}) });
  const bar = createProgress({ json: Boolean(options.json), label: `Fetching ${plugin.title}` });
  const outcomes: FetchOutcome[] = [];
  try {
    for await (const item of fetchPublications(plugin.discover(opts, io), config.cacheDir, io, showFetchProgress(bar), { minIntervalMs: config.fetchIntervalMs })) {
      const result = await ingestFile(store, { name: item.publication.name, bytes: await readFile(item.path), url: item.publication.url, page: publicationFromLink(item.publication) });
      outcomes.push({ url: item.publication.url, fromCache: item.fromCache, result });
    }
  } finally {
    bar.stop();
    // Even when a later download failed, the files ingested before it get their measure values.
    await refreshMeasureValues(store);
  }
  return outcomes;
}
