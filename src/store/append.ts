import { DuckDBDataChunk, DuckDBTypeId, ENUM, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
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
      const slices = columns.map((column) => column.slice(start, start + size));
      const chunk = DuckDBDataChunk.create(types.map((type, index) => chunkType(type, slices[index]!)), size);
      chunk.setColumns(slices);
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
  } catch (error) {
    store.dropAppender(table);
    throw error;
  }
}

/**
 * A text column whose values repeat (an observation's metric, organisation and month, the same
 * few in every row of a file) goes to DuckDB as an ENUM of its distinct values, which the
 * appender casts back to the table's VARCHAR: the same text is stored, but each distinct string
 * crosses from JavaScript once per chunk instead of once per row. One call per string was half
 * of the appender's time in an A&E ingest (issue 10 item 5).
 */
function chunkType(type: DuckDBType, values: readonly DuckDBValue[]): DuckDBType {
  if (type.typeId !== DuckDBTypeId.VARCHAR) return type;
  const distinct = new Set<string>();
  for (const value of values) {
    if (value === null) continue;
    if (typeof value !== 'string') return type;
    distinct.add(value);
    // Mostly different values (names, addresses) gain nothing: the ENUM would carry them all.
    if (distinct.size * 4 > values.length) return type;
  }
  return distinct.size === 0 ? type : ENUM([...distinct]);
}
