import type { Store } from '../store/store.js';

export interface CachedResponse {
  type: string;
  body: string;
  headers?: Record<string, string>;
}

/**
 * Finished responses (a rendered org page, a CSV) kept per store version and URL. The queries
 * behind them are memoised in assessment/, but rendering a page with eight charts and their
 * tables still costs milliseconds; under 50 concurrent clients on two cores that queueing is
 * what the p95 latency is made of. Bounded: a burst of distinct URLs clears it.
 */
export class ResponseCache {
  private version = -1;
  private readonly entries = new Map<string, Promise<CachedResponse>>();

  constructor(
    private readonly store: Store,
    private readonly limit = 2_000,
  ) {}

  get(key: string, build: () => Promise<CachedResponse>): Promise<CachedResponse> {
    if (this.version !== this.store.version || this.entries.size >= this.limit) {
      this.entries.clear();
      this.version = this.store.version;
    }
    const hit = this.entries.get(key);
    if (hit) return hit;
    const built = build();
    this.entries.set(key, built);
    built.catch(() => this.entries.delete(key));
    return built;
  }
}
