import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

const MTPF = 'https://www.england.nhs.uk/long-read/medium-term-planning-framework-delivering-change-together-2026-27-to-2028-29/';

describe('planwatch targets', () => {
  it('lists the 2026/27 and 2028/29 targets with thresholds or rules, deadlines, levels and the source URL (--json)', async () => {
    const run = await runCli('targets', '--json');
    expect(run.code, run.stderr).toBe(0);
    const targets = JSON.parse(run.stdout) as { id: string; due: string | null; threshold: number | null; rule: unknown; levels: string[]; source: { url: string }; reading: string | null }[];
    const byId = new Map(targets.map((t) => [t.id, t]));
    expect(byId.get('mtpf-ae-4hr-2627')).toMatchObject({ measure: 'ae_4hr', comparator: '>=', threshold: 82, due: '2027-03', levels: ['england', 'region', 'icb', 'trust'], source: { url: MTPF } });
    expect(byId.get('mtpf-ae-4hr-2829')).toMatchObject({ threshold: 85, due: '2029-03', period: { financialYear: '2028/29', average: 'pooled' } });
    expect(byId.get('mtpf-rtt-18wk-trust-2627')).toMatchObject({
      comparator: 'improve_vs_baseline', threshold: null, due: '2027-03', levels: ['trust'],
      rule: { baselinePeriod: '2026-03', improvement: 7, improvementUnit: 'points', floor: 65 },
    });
    expect(byId.get('mtpf-rtt-18wk-trust-2627')!.reading).toContain('percentage points');
    expect(byId.get('mtpf-dm01-england-2627')).toMatchObject({ measure: 'dm01_over_6wk', comparator: '<=', threshold: 14, due: '2027-03' });
    expect(byId.get('mtpf-ae-12hr-2627')).toMatchObject({ comparator: 'improve_on_previous_year', rule: { comparedWith: 'previous_year' }, due: '2027-03' });
    expect(byId.get('mtpf-amb-cat2-mean-2627')).toMatchObject({ threshold: 1500, due: '2027-03', unit: 'seconds' });
    for (const id of ['mtpf-rtt-18wk-england-2829', 'mtpf-amb-cat2-p90-2829', 'mtpf-cancer-31d-2829', 'mtpf-cancer-62d-2829', 'mtpf-dm01-england-2829']) {
      expect(byId.get(id)?.due, id).toBe('2029-03');
    }
    // Earlier documents stay listed: the 2024/25 March deadline, and standing standards last.
    expect(byId.get('pg2425-ae-4hr')?.due).toBe('2025-03');
    expect(targets.at(-1)!.due).toBeNull();
  });

  it('prints a table with each rule in words', async () => {
    const run = await runCli('targets');
    expect(run.code).toBe(0);
    const line = run.stdout.split('\n').find((l) => l.startsWith('mtpf-rtt-18wk-trust-2627'))!;
    expect(line).toContain('7 points better than own 2026-03, at least 65.0%');
    expect(run.stdout.split('\n').find((l) => l.startsWith('mtpf-ae-4hr-2829'))).toContain('2028/29 (whole year)');
  });
});
