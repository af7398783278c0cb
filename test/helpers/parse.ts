import type { SourcePlugin } from '../../src/sources/contract.js';
import { collect, sourceFile } from './fixtures.js';

/** Runs a plugin's parser over bytes named as published: every item it yields and its summary. */
export function parseFile(plugin: SourcePlugin, name: string, bytes: Uint8Array) {
  return collect(plugin.parse(sourceFile(name, bytes), plugin.options.parse({})));
}
