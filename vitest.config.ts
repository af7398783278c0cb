import { defineConfig } from 'vitest/config';
import LongestFirstSequencer from './test/setup/sequencer.js';

/**
 * What every test process sees, and the servers and commands the tests start. Password hashes at
 * OWASP's scrypt cost take a quarter of a second each, seconds on a busy machine, and the
 * interface tests make hundreds: the run hashes at N = 1024 (test/interface/helpers/stores.ts),
 * except test/interface/passwords.test.ts, which hashes at the real cost.
 */
const env = {
  PLANWATCH_SCRYPT_N: '1024',
  // The tests' publication sites run on this machine: no need to space requests to them as to
  // NHS England's (250 ms each; test/sources/http/fetch.test.ts tests the spacing itself).
  PLANWATCH_FETCH_INTERVAL_MS: '0',
};

/**
 * Each test file imported the whole module graph again (Fastify, DuckDB, Observable Plot,
 * linkedom): 350 s of a run. One module cache per worker instead; no test relies on a fresh
 * module state, and each restores what it changes (process.env, spies).
 */
const isolate = false;

// Three kinds of test, chosen by file suffix (STYLE.md §4): fast unit tests over synthetic
// fixtures, tests over the real NHS England files in PLANWATCH_REAL_DATA, and browser tests
// that drive Debian's Chromium.
export default defineConfig({
  test: {
    // Vitest runs one worker fewer than the machine has cores: one, on two cores, so the run was
    // serial. Much of a test's time is spent waiting (PostgreSQL, Chromium, child processes,
    // DuckDB's own threads), so two workers keep both cores busy.
    maxWorkers: 2,
    // And never fewer: with Vitest's minimum (cores − 1 = 1) the pool reaps the idle second
    // worker, which races the reuse of workers (isolate: false) and can fail a green run with
    // "Terminating worker thread" (vitest-dev/vitest#8133, #8564).
    minWorkers: 2,
    // At the root: the pool reads it here (a project's own setting alone changes nothing), and the
    // projects, which do not set it, take it from the pool.
    isolate,
    // The longest files first, also in a fresh clone (test/setup/sequencer.ts).
    sequence: { sequencer: LongestFirstSequencer },
    // Once per run: the folder of the shared real-data stores (test/helpers/shared-stores.ts).
    globalSetup: ['./test/setup/global.ts'],
    // The last line of a run says when the browser tests did not run for want of Chromium.
    reporters: ['default', './test/setup/skipped-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          env,
          // These tests open DuckDB and PGlite stores, start servers and run whole commands: a
          // second's work can take ten on a busy two-core machine, so Vitest's 5 s is too short.
          testTimeout: 30_000,
          hookTimeout: 60_000,
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.real.test.ts', 'test/**/*.browser.test.ts'],
        },
      },
      {
        test: {
          name: 'real',
          env,
          include: ['test/**/*.real.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'browser',
          env,
          include: ['test/**/*.browser.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
