import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserSkippedLine } from './skipped-reporter.js';

const root = path.resolve(import.meta.dirname, '..', '..');

type State = 'passed' | 'skipped' | 'failed';
const module = (project: string, states: State[]) => ({
  project: { name: project },
  children: { allTests: () => states.map((state) => ({ result: () => ({ state }) }))[Symbol.iterator]() },
}) as unknown as Parameters<typeof browserSkippedLine>[0][number];

describe('browserSkippedLine(modules, chromiumMissing)', () => {
  it('names the missing Chromium and counts the browser tests that did not run', () => {
    const modules = [module('unit', ['skipped', 'passed']), module('browser', ['skipped', 'skipped']), module('browser', ['skipped'])];
    expect(browserSkippedLine(modules, true, '/usr/bin/chromium')).toBe(
      'Browser tests skipped: Chromium not found at /usr/bin/chromium (apt-get install chromium, or set PLANWATCH_CHROMIUM); 3 tests in 2 files did not run.',
    );
  });

  it('says nothing when Chromium is there, or when the run held no browser test', () => {
    expect(browserSkippedLine([module('browser', ['passed'])], false)).toBeUndefined();
    expect(browserSkippedLine([module('unit', ['skipped'])], true)).toBeUndefined();
  });
});

describe('vitest run without Chromium', () => {
  // A whole Vitest run of one browser file: its time is the run's, so the limit is sized to it.
  it('ends with the one line that says the browser tests were skipped', { timeout: 180_000 }, () => {
    const missing = path.join(root, 'test-output', 'no-such-chromium');
    const run = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--project', 'browser', 'test/server/road.browser.test.ts'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, PLANWATCH_CHROMIUM: missing, TZ: 'UTC', FORCE_COLOR: '0', NO_COLOR: '1', CI: 'true' },
    });
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines.at(-1)).toBe(`Browser tests skipped: Chromium not found at ${missing} (apt-get install chromium, or set PLANWATCH_CHROMIUM); 1 test in 1 file did not run.`);
    expect(lines.filter((line) => line.startsWith('Browser tests skipped'))).toHaveLength(1);
  });
});
