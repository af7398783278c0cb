import { LRUCache } from 'lru-cache';
import type { Store } from '../store/store.js';

/**
 * Answers kept per store version. Every page and API call asks the same few questions (an
 * organisation's series, a league table, the names of all organisations); each costs DuckDB
 * work, and the answer cannot change until something is ingested, which bumps `store.version`
 * and drops the lot. Bounded in bytes (an estimate of each answer's size) and least-recently-used
 * first out, so odd parameters evict old answers one by one instead of emptying the cache.
 * Concurrent requests for the same answer share one query (lru-cache's fetch); a rejected one is
 * not kept, so errors are not cached.
 */
type Compute = () => Promise<unknown>;

interface Memo {
  version: number;
  entries: LRUCache<string, { value: unknown }, Compute>;
}

const caches = new WeakMap<Store, Memo>();

const MAX_BYTES = 64 * 1024 * 1024;

/** A rough size in bytes: JSON text for plain data, a per-entry allowance for maps. */
export function estimateBytes(value: unknown): number {
  if (value instanceof Map) {
    let bytes = 64;
    for (const [key, item] of value) bytes += 48 + estimateBytes(key) + estimateBytes(item);
    return bytes;
  }
  if (typeof value === 'string') return 40 + value.length * 2;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return 16;
  return 64 + 2 * (JSON.stringify(value)?.length ?? 0);
}

/**
 * The answers of the version the caller reads. A newer version starts a new set; a caller reading
 * an older version (a request that began before a commit) or inside a write transaction (whose
 * reads see rows not yet committed) gets none, and computes its answer without keeping it.
 */
function memoOf(store: Store): Memo | undefined {
  if (store.isWriting) return undefined;
  const version = store.version;
  let memo = caches.get(store);
  if (memo && version < memo.version) return undefined;
  if (!memo || memo.version !== version) {
    memo = {
      version,
      entries: new LRUCache<string, { value: unknown }, Compute>({
        maxSize: MAX_BYTES,
        sizeCalculation: (entry) => Math.max(1, estimateBytes(entry.value)),
        // Wrapped, because lru-cache treats an undefined result as "nothing to keep".
        fetchMethod: async (_key, _stale, { context }) => ({ value: await context() }),
      }),
    };
    caches.set(store, memo);
  }
  return memo;
}

export async function memoise<T>(store: Store, key: string, compute: () => Promise<T>): Promise<T> {
  const memo = memoOf(store);
  if (!memo) return compute();
  const entry = await memo.entries.fetch(key, { context: compute });
  return entry!.value as T;
}

/** A key from a function name and its arguments; undefined fields drop out. */
export function memoKey(name: string, ...args: unknown[]): string {
  return `${name}:${JSON.stringify(args)}`;
}
