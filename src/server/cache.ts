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
  private readonly entries: LRUCache<string, StoredResponse, () => Promise<CachedResponse>>;

  constructor(
    private readonly store: Store,
    maxBytes = 128 * 1024 * 1024,
  ) {
    this.entries = new LRUCache<string, StoredResponse, () => Promise<CachedResponse>>({
      maxSize: maxBytes,
      sizeCalculation: sizeOf,
      fetchMethod: async (_key, _stale, { context }) => {
        const response = await context();
        return typeof response.body === 'string' && response.body.length >= GZIP_FROM_BYTES ? { ...response, gzip: gzipSync(response.body) } : response;
      },
    });
  }

  async get(key: string, build: () => Promise<CachedResponse>): Promise<StoredResponse> {
    if (this.version !== this.store.version) {
      this.entries.clear();
      this.version = this.store.version;
    }
    // A response larger than the whole cache is built and sent, not kept.
    return (await this.entries.fetch(key, { context: build }))!;
  }

  /** Entries held and their bytes: for tests and the bench. */
  get stats(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.entries.calculatedSize };
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }
}
