import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ParseItem, SourceFile } from '../../src/sources/contract.js';
import { sha256 } from '../../src/store/ingest.js';

export const FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures');

export function fixturePath(...parts: string[]): string {
  return path.join(FIXTURES, ...parts);
}

export function fixtureText(...parts: string[]): string {
  return readFileSync(fixturePath(...parts), 'utf8');
}

export function sourceFile(name: string, text: string | Uint8Array): SourceFile {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  return { name, bytes, sha256: sha256(bytes) };
}

/** Collects a parser's items and summary. */
export async function collect(generator: AsyncGenerator<ParseItem, { layout: string; periods: string[] }, undefined>) {
  const items: ParseItem[] = [];
  let step = await generator.next();
  while (!step.done) {
    items.push(step.value);
    step = await generator.next();
  }
  return { items, summary: step.value };
}

/** One item per line, so snapshot diffs read well (STYLE.md §4). */
export function toJsonLines(items: readonly unknown[]): string {
  return `${items.map((item) => JSON.stringify(item)).join('\n')}\n`;
}
