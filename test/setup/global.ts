import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

/**
 * Once per `vitest run`, in Vitest's main process: a folder for the run's shared stores
 * (test/helpers/shared-stores.ts), handed to every test file through `inject`, removed at the end.
 */
export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(path.join(tmpdir(), 'planwatch-stores-'));
  project.provide('sharedStoresDir', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
