import { gzipSync } from 'node:zlib';
import { LRUCache } from 'lru-cache';
import type { Store } from '../store/store.js';

export interface CachedResponse {
  type: string;
  /** Text, or bytes for binary answers (Parquet), which are compressed already and never gzipped. */
  body: string | Buffer;
  headers?: Record<string, string>;
}

/** A finished response and, for large ones, its gzip, made once when it is cached. */
export interface StoredResponse extends CachedResponse {
  gzip?: Buffer;
}

// An org page is some 300 kB of HTML (eight charts and their tables) and gzips to a tenth of it;
// compressing once per store version costs less than sending the bytes on every request.
const GZIP_FROM_BYTES = 1024;

function finished(response: CachedResponse): StoredResponse {
  return typeof response.body === 'string' && response.body.length >= GZIP_FROM_BYTES ? { ...response, gzip: gzipSync(response.body) } : response;
}

/** What a route's answer depends on: the route and its inputs after validation, never the raw URL. */
export function cacheKey(route: string, input: Readonly<Record<string, unknown>> = {}): string {
  const fields = Object.keys(input).filter((name) => input[name] !== undefined).sort().map((name) => [name, input[name]]);
  return `${route} ${JSON.stringify(fields)}`;
}

/** Bytes a response holds in memory: its text (UTF-16 in V8, so two per character at most) and its gzip. */
function sizeOf(response: StoredResponse): number {
  const body = typeof response.body === 'string' ? response.body.length * 2 : response.body.byteLength;
  return body + (response.gzip?.byteLength ?? 0) + 256;
}

/**
 * Finished responses (a rendered org page, a CSV) kept per store version, keyed by what each
 * route declares it depends on (cacheKey). Rendering a page with eight charts still costs
 * milliseconds; under 50 concurrent clients on two cores that queueing is what latency is made
 * of. Bounded in bytes and least-recently-used first out, so a stream of odd requests evicts only
 * the oldest pages instead of emptying the lot (the hand-written cache it replaces did), and a
 * query string a route does not declare is not part of the key at all. Concurrent requests for
 * the same key share one build.
 */
export class ResponseCache {
  private version = -1;
  private entries: LRUCache<string, StoredResponse, () => Promise<CachedResponse>>;

  constructor(
    private readonly store: Store,
    private readonly maxBytes = 128 * 1024 * 1024,
  ) {
    this.entries = this.empty();
  }

  private empty(): LRUCache<string, StoredResponse, () => Promise<CachedResponse>> {
    return new LRUCache<string, StoredResponse, () => Promise<CachedResponse>>({
      maxSize: this.maxBytes,
      sizeCalculation: sizeOf,
      fetchMethod: async (_key, _stale, { context }) => finished(await context()),
    });
  }

  /**
   * The response for `key` at the store version the caller reads (its snapshot). A newer version
   * starts a new set of entries; the old set is dropped, not cleared, because clearing an
   * lru-cache aborts the builds in flight and their requests would fail. A request reading an
   * older version (it began before a commit) gets its answer built and not kept.
   */
  async get(key: string, build: () => Promise<CachedResponse>): Promise<StoredResponse> {
    const version = this.store.version;
    if (version > this.version) {
      this.entries = this.empty();
      this.version = version;
    }
    if (version < this.version) return finished(await build());
    // A response larger than the whole cache is built and sent, not kept (fetch gives undefined).
    return (await this.entries.fetch(key, { context: build })) ?? finished(await build());
  }

  /**
   * The response kept for `key` when the cache holds the latest committed version: what a request
   * can be answered with before it opens a read snapshot (a snapshot costs DuckDB round trips).
   */
  latest(key: string): StoredResponse | undefined {
    if (this.version !== this.store.latestVersion) return undefined;
    return this.entries.get(key);
  }

  /** Entries held and their bytes: for tests and the bench. */
  get stats(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.entries.calculatedSize };
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }
}
