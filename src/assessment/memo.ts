import type { Store } from '../store/store.js';

/**
 * Answers kept per store version. Every page and API call asks the same few questions (an
 * organisation's series, a league table, the names of all organisations); each costs a DuckDB
 * scan of the observations, and the answer cannot change until something is ingested, which
 * bumps `store.version` and drops the lot. Promises are kept, not values, so concurrent requests
 * for the same answer share one query; a rejected one is forgotten so errors are not cached.
 */
interface Cache {
  version: number;
  entries: Map<string, Promise<unknown>>;
}

const caches = new WeakMap<Store, Cache>();

// A bound, not an eviction policy: distinct keys come from organisations × measures × months,
// a few thousand at most, and a request stream of odd parameters must not grow memory forever.
const MAX_ENTRIES = 20_000;

export function memoise<T>(store: Store, key: string, compute: () => Promise<T>): Promise<T> {
  let cache = caches.get(store);
  if (!cache || cache.version !== store.version || cache.entries.size >= MAX_ENTRIES) {
    cache = { version: store.version, entries: new Map() };
    caches.set(store, cache);
  }
  const hit = cache.entries.get(key);
  if (hit) return hit as Promise<T>;
  const entries = cache.entries;
  const answer = compute();
  entries.set(key, answer);
  answer.catch(() => entries.delete(key));
  return answer;
}

/** A key from a function name and its arguments; undefined fields drop out. */
export function memoKey(name: string, ...args: unknown[]): string {
  return `${name}:${JSON.stringify(args)}`;
}
