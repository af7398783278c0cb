import { describe, expect, it } from 'vitest';
import { runCli, tempDb } from '../../helpers/cli.js';

describe('planwatch incentive', () => {
  it('names the schemes when given one it does not know, exit 2', async () => {
    const run = await runCli('incentive', 'ae-2030', '--db', tempDb());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Unknown incentive scheme "ae-2030". Schemes: ae-2024-80, ae-2024-top-march, ae-2024-most-improved, ae-2025-best-year, ae-2025-most-improved, ae-2025-12hr-improvers.');
  });
});
