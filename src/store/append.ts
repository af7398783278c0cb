import { DuckDBDataChunk, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import type { Store } from './store.js';

const CHUNK = 2048;

/**
 * Appends columns to a table in columnar chunks, the fast path DuckDB offers for bulk loads, on
 * the caller's connection (inside a transaction, the writer's). The appender is the store's,
 * kept from one call to the next; it is flushed before this returns, with no await between the
 * first chunk and the flush, so its rows belong to the caller's transaction alone.
 */
export async function appendColumns(store: Store, table: string, types: DuckDBType[], columns: DuckDBValue[][]): Promise<void> {
  const total = columns[0]?.length ?? 0;
  if (total === 0) return;
  const appender = await store.appender(table);
  try {
    for (let start = 0; start < total; start += CHUNK) {
      const size = Math.min(CHUNK, total - start);
      const chunk = DuckDBDataChunk.create(types, size);
      chunk.setColumns(columns.map((column) => column.slice(start, start + size)));
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
  } catch (error) {
    store.dropAppender(table);
    throw error;
  }
}
