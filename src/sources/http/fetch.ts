import type { Effects, Publication } from '../contract.js';
import { DownloadCache, type FileProgress } from './download.js';
import { DEFAULT_RETRY, type RetryPolicy } from './request.js';

/**
 * Discovered publications → files in the download cache, one at a time, for any collection
 * whose plugin can discover. The CLI's `fetch` command ingests each result as it arrives.
 */

export interface FetchedPublication {
  publication: Publication;
  /** Absolute path of the file in the cache. */
  path: string;
  sha256: string;
  bytes: number;
  /** True when the server confirmed the cached copy (304) and nothing was downloaded. */
  fromCache: boolean;
}

/**
 * Where a fetch run is. Totals in bytes are only known per file, from each response, so the
 * run as a whole is measured in files (a HEAD request per file to learn sizes up front would
 * double the requests to NHS England's site).
 */
export interface FetchProgress {
  /** The file being downloaded. */
  file: FileProgress;
  /** Files finished so far, and in all. */
  filesDone: number;
  files: number;
  /** Bytes downloaded in this run, all files together (cached copies confirmed by 304 count nothing). */
  received: number;
}

export interface FetchOptions {
  retry?: RetryPolicy;
  /**
   * Least time between two requests. A conditional request still reaches the site, and a
   * full history is a hundred files; publications.md §10 asks to stay well under five
   * requests a second.
   */
  minIntervalMs?: number;
}

export const DEFAULT_MIN_INTERVAL_MS = 250;

/**
 * Downloads every discovered publication into `cacheDir` and yields each as it is ready, in
 * discovery order. Discovery is completed first so that progress can say "n of N files".
 * The first failure throws PlanwatchError('E_FETCH'); files yielded before it are cached
 * and the next run confirms them with conditional requests.
 */
export async function* fetchPublications(
  discovered: AsyncIterable<Publication>,
  cacheDir: string,
  io: Effects,
  onProgress: (progress: FetchProgress) => void = () => {},
  options: FetchOptions = {},
): AsyncGenerator<FetchedPublication, void, undefined> {
  const publications: Publication[] = [];
  for await (const publication of discovered) publications.push(publication);

  const cache = await DownloadCache.open(cacheDir, io);
  const minIntervalMs = options.minIntervalMs ?? DEFAULT_MIN_INTERVAL_MS;
  let received = 0;
  let lastRequestAt: number | undefined;

  for (const [index, publication] of publications.entries()) {
    if (lastRequestAt !== undefined) await pause(lastRequestAt + minIntervalMs - io.now().getTime());
    lastRequestAt = io.now().getTime();
    const receivedBefore = received;
    const downloaded = await cache.download(
      publication,
      io,
      (file) => onProgress({ file, filesDone: index, files: publications.length, received: receivedBefore + file.received }),
      options.retry ?? DEFAULT_RETRY,
    );
    received = downloaded.fromCache ? receivedBefore : receivedBefore + downloaded.bytes;
    onProgress({
      file: { url: publication.url, name: publication.name, received: downloaded.bytes, total: downloaded.bytes },
      filesDone: index + 1,
      files: publications.length,
      received,
    });
    yield { publication, path: downloaded.path, sha256: downloaded.sha256, bytes: downloaded.bytes, fromCache: downloaded.fromCache };
  }
}

function pause(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}
