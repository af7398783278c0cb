import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ParseItem, ParseStep, SourceFile } from '../../src/sources/contract.js';
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
export async function collect(generator: AsyncGenerator<ParseStep, { layout: string; periods: string[] }, undefined>) {
  const items: ParseItem[] = [];
  let step = await generator.next();
  while (!step.done) {
    // A batch counts as its items, in order (ParseStep).
    if (Array.isArray(step.value)) items.push(...(step.value as readonly ParseItem[]));
    else items.push(step.value as ParseItem);
    step = await generator.next();
  }
  return { items, summary: step.value };
}

/** One item per line, so snapshot diffs read well (STYLE.md §4). */
export function toJsonLines(items: readonly unknown[]): string {
  return `${items.map((item) => JSON.stringify(item)).join('\n')}\n`;
}
