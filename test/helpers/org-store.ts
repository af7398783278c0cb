import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ParseItem, SourceFile, SourcePlugin } from '../../src/sources/contract.js';
import { ingestFile, sha256 } from '../../src/store/ingest.js';
import { DATA_TABLES } from '../../src/store/schema.js';
import { Store } from '../../src/store/store.js';

export const fixturesDir = path.resolve(import.meta.dirname, '..', 'fixtures');

export function fixture(...parts: string[]): Uint8Array {
  return readFileSync(path.join(fixturesDir, ...parts));
}

export function sourceFile(name: string, bytes: Uint8Array): SourceFile {
  return { name, bytes, sha256: sha256(bytes) };
}

/** Runs a plugin's parser to the end: every item and the summary. */
export async function parseAll(plugin: SourcePlugin, file: SourceFile): Promise<{ items: ParseItem[]; layout: string; periods: string[] }> {
  const items: ParseItem[] = [];
  const parser = plugin.parse(file, plugin.options.parse({}));
  let step = await parser.next();
  while (!step.done) {
    if (Array.isArray(step.value)) items.push(...(step.value as readonly ParseItem[]));
    else items.push(step.value as ParseItem);
    step = await parser.next();
  }
  return { items, ...step.value };
}

/** Row counts of every data table: equal before and after a refused file means nothing changed. */
export async function tableCounts(store: Store): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of DATA_TABLES) {
    const row = await store.one<{ n: bigint | number }>(`SELECT count(*) AS n FROM ${table}`);
    counts[table] = Number(row?.n ?? 0);
  }
  return counts;
}

export async function memoryStore(): Promise<Store> {
  return Store.open(':memory:');
}

export async function ingestFixture(store: Store, ...parts: string[]) {
  return ingestFile(store, { name: parts.at(-1)!, bytes: fixture(...parts) });
}
