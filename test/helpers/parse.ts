import { sha256 } from '../../src/store/ingest.js';
import type { ParseItem, ParseSummary, SourceFile, SourcePlugin } from '../../src/sources/contract.js';

/** A SourceFile for a plugin's parse(), as ingest would build it. */
export function sourceFile(name: string, bytes: Uint8Array): SourceFile {
  return { name, bytes, sha256: sha256(bytes) };
}

/** Runs a plugin's parser to the end: every item it yields and the summary it returns. */
export async function parseAll(plugin: SourcePlugin, name: string, bytes: Uint8Array): Promise<{ items: ParseItem[]; summary: ParseSummary }> {
  const parser = plugin.parse(sourceFile(name, bytes), plugin.options.parse({}));
  const items: ParseItem[] = [];
  let step = await parser.next();
  while (!step.done) {
    items.push(step.value);
    step = await parser.next();
  }
  return { items, summary: step.value };
}

/** One item per line, so snapshot diffs read well (STYLE.md §4). */
export function toJsonLines(items: readonly unknown[]): string {
  return items.map((item) => JSON.stringify(item)).join('\n') + '\n';
}
