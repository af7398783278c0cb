import { describe, expect, it } from 'vitest';
import { runCli, tempDb } from '../helpers/cli.js';

describe('--as-of validation (issue 12)', () => {
  for (const args of [['status', 'ENG'], ['series', 'ENG', 'ae_4hr'], ['league', 'ae_4hr']]) {
    it(`${args[0]} --as-of 2026-13 says what a month looks like and exits 2`, async () => {
      const run = await runCli(...args, '--as-of', '2026-13', '--db', tempDb());
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('--as-of must be a month as YYYY-MM (e.g. 2025-03), not "2026-13"');
    });
  }

  it('status refuses --period and --as-of naming different months', async () => {
    const run = await runCli('status', 'ENG', '--as-of', '2024-10', '--period', '2024-09', '--db', tempDb());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('name different months');
  });
});
