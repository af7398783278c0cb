import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { isProcessRunning } from '../../src/processes.js';

/**
 * Things a test run makes once and every test file shares (stores of real files, a migrated
 * PGlite snapshot), whichever worker process asks first. They live in the run's folder that
 * test/setup/global.ts makes and removes, so nothing outlives a change to the code that made it.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder of this run's shared stores (test/setup/global.ts). */
    sharedStoresDir: string;
  }
}

/** This run's shared folder. */
export function runDir(): string {
  let dir: string | undefined;
  try {
    dir = inject('sharedStoresDir');
  } catch {
    // Outside Vitest's runner (a script importing this helper): a folder of this process.
  }
  if (!dir) {
    dir = process.env.PLANWATCH_SHARED_STORES_DIR ?? mkdtempSync(path.join(tmpdir(), 'planwatch-stores-'));
    process.env.PLANWATCH_SHARED_STORES_DIR = dir;
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

const POLL_MS = 250;

/**
 * The path of `file` in this run's shared folder, made by `make(path)` in exactly one process of
 * the run; the others wait for it. `make` writes the path itself, and only when complete (write
 * elsewhere and rename): a file there is a finished one.
 */
export async function buildOnce(file: string, make: (target: string) => Promise<void>): Promise<string> {
  const target = path.join(runDir(), file);
  const lock = `${target}.lock`;
  for (;;) {
    if (existsSync(target)) return target;
    let mine = false;
    try {
      mkdirSync(lock);
      mine = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (mine) {
      writeFileSync(path.join(lock, 'pid'), String(process.pid));
      try {
        if (!existsSync(target)) await make(target);
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
      return target;
    }
    // Another process is making it. If that process has died, its lock goes and we try again.
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    let holder: number | undefined;
    try {
      holder = Number(readFileSync(path.join(lock, 'pid'), 'utf8'));
    } catch {
      // The lock has just gone, or its pid file is not written yet: look again.
    }
    if (holder && !isProcessRunning(holder)) rmSync(lock, { recursive: true, force: true });
  }
}

