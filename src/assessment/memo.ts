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
  shared: Map<string, Promise<unknown>>;
}

const caches = new WeakMap<Store, Memo>();

const MAX_BYTES = 64 * 1024 * 1024;

// Arrays and maps longer than this are sized from as many of their items, evenly spaced.
const SAMPLE = 16;

/**
 * A rough size in bytes, by walking the value: strings by length, objects by their fields, long
 * arrays and maps from a sample of their items. It was JSON text (twice its length), which made
 * every answer of a page into a string just to weigh it: a tenth of a first page's CPU.
 */
export function estimateBytes(value: unknown): number {
  if (typeof value === 'string') return 40 + value.length * 2;
  if (typeof value !== 'object' || value === null) return 16;
  if (Array.isArray(value)) return 64 + sampled(value.length, (i) => estimateBytes(value[i]));
  if (value instanceof Set) {
    const items = [...value];
    return 64 + sampled(items.length, (i) => 16 + estimateBytes(items[i]));
  }
  if (value instanceof Map) {
    const entries = [...value.entries()];
    return 64 + sampled(entries.length, (i) => 48 + estimateBytes(entries[i]![0]) + estimateBytes(entries[i]![1]));
  }
  let bytes = 64;
  for (const key in value) bytes += 16 + key.length * 2 + estimateBytes((value as Record<string, unknown>)[key]);
  return bytes;
}

function sampled(length: number, sizeAt: (i: number) => number): number {
  if (length <= SAMPLE) {
    let bytes = 0;
    for (let i = 0; i < length; i++) bytes += sizeAt(i);
    return bytes;
  }
  let bytes = 0;
  for (let k = 0; k < SAMPLE; k++) bytes += sizeAt(Math.floor((k * length) / SAMPLE));
  return Math.round((bytes / SAMPLE) * length);
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
      shared: new Map(),
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

/**
 * memoise for the few answers every page of a version shares, under fixed keys (the organisation
 * directory, names and descriptions, peer figures, signals): kept for the whole version, never
 * pushed out by the per-organisation answers around them. Seven region pages' series (each point
 * with its members) filled the 64 MB and pushed them out, and the next trust page read them all
 * again. A rejected answer is not kept.
 */
export function memoiseShared<T>(store: Store, key: string, compute: () => Promise<T>): Promise<T> {
  const memo = memoOf(store);
  if (!memo) return compute();
  let pending = memo.shared.get(key) as Promise<T> | undefined;
  if (!pending) {
    const started = compute();
    pending = started;
    memo.shared.set(key, started);
    started.catch(() => {
      if (memo.shared.get(key) === started) memo.shared.delete(key);
    });
  }
  return pending;
}

/** A key from a function name and its arguments; undefined fields drop out. */
export function memoKey(name: string, ...args: unknown[]): string {
  return `${name}:${JSON.stringify(args)}`;
}
