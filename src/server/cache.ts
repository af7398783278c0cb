import { gzipSync } from 'node:zlib';
import type { Store } from '../store/store.js';

export interface CachedResponse {
  type: string;
  body: string;
  headers?: Record<string, string>;
}

/** A finished response and, for large ones, its gzip, made once when it is cached. */
export interface StoredResponse extends CachedResponse {
  gzip?: Buffer;
}

// An org page is some 300 kB of HTML (eight charts and their tables) and gzips to a tenth of it;
// compressing once per store version costs less than sending the bytes on every request.
const GZIP_FROM_BYTES = 1024;

/**
 * Finished responses (a rendered org page, a CSV) kept per store version and URL. The queries
 * behind them are memoised in assessment/, but rendering a page with eight charts and their
 * tables still costs milliseconds; under 50 concurrent clients on two cores that queueing is
 * what the p95 latency is made of. Bounded: a burst of distinct URLs clears it.
 */
export class ResponseCache {
  private version = -1;
  private readonly entries = new Map<string, Promise<StoredResponse>>();

  constructor(
    private readonly store: Store,
    private readonly limit = 2_000,
  ) {}

  get(key: string, build: () => Promise<CachedResponse>): Promise<StoredResponse> {
    if (this.version !== this.store.version || this.entries.size >= this.limit) {
      this.entries.clear();
      this.version = this.store.version;
    }
    const hit = this.entries.get(key);
    if (hit) return hit;
    const built = build().then((response): StoredResponse =>
      response.body.length >= GZIP_FROM_BYTES ? { ...response, gzip: gzipSync(response.body) } : response);
    this.entries.set(key, built);
    built.catch(() => this.entries.delete(key));
    return built;
  }
}
