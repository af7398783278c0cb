import { describe, expect, it } from 'vitest';
import { loadTargets, parseTargetsFile } from '../../src/targets/load.js';
import { expectPlanwatchError } from '../helpers/errors.js';

const valid = `id: demo
title: Demo guidance
publisher: NHS England
url: https://www.england.nhs.uk/
targets:
  - id: demo-ae
    title: Demo
    metric: ae_4hr
    comparator: ">="
    threshold: 78
    period: { month: "2025-03" }
    levels: [england]
    source: { title: Demo, url: "https://www.england.nhs.uk/" }
`;

describe('loadTargets()', () => {
  it('loads every targets file in the repo, each target citing its source', () => {
    const targets = loadTargets();
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) expect(target.source.url).toMatch(/^https:\/\//);
    expect(targets.map((t) => t.id)).toContain('pg2425-ae-4hr');
  });
});

describe('parseTargetsFile(name, text)', () => {
  it('accepts a valid file', () => {
    expect(parseTargetsFile('demo.yaml', valid).targets[0]!.metric).toBe('ae_4hr');
  });

  it('names the file, line and field of a bad value', async () => {
    const error = await expectPlanwatchError(() => parseTargetsFile('demo.yaml', valid.replace('"2025-03"', '"March 2025"')), 'E_TARGETS', { file: 'demo.yaml', line: 11 });
    expect(error.message).toContain('targets.0.period');
  });

  it('refuses a target on a measure Planwatch does not know', async () => {
    await expectPlanwatchError(() => parseTargetsFile('demo.yaml', valid.replace('metric: ae_4hr', 'metric: ae_four_hours')), 'E_TARGETS', { column: 'targets.0.metric' });
  });

  it('refuses a target without a source', async () => {
    await expectPlanwatchError(() => parseTargetsFile('demo.yaml', valid.replace(/    source:.*\n/, '')), 'E_TARGETS', { file: 'demo.yaml' });
  });

  it('refuses YAML that does not parse, naming the line', async () => {
    await expectPlanwatchError(() => parseTargetsFile('demo.yaml', `${valid}  - id: [unclosed\n`), 'E_TARGETS', { file: 'demo.yaml' });
  });
});

describe('the Medium Term Planning Framework file (issue 12)', () => {
  const targets = loadTargets();
  const byId = new Map(targets.map((target) => [target.id, target]));

  it('holds the 2026/27 and 2028/29 targets, each citing the MTPF', () => {
    for (const id of ['mtpf-ae-4hr-2627', 'mtpf-amb-cat2-mean-2627', 'mtpf-rtt-18wk-trust-2627', 'mtpf-rtt-18wk-england-2627', 'mtpf-cancer-31d-2627',
      'mtpf-cancer-62d-2627', 'mtpf-cancer-fds-2627', 'mtpf-dm01-england-2627', 'mtpf-dm01-system-2627', 'mtpf-ae-12hr-2627',
      'mtpf-rtt-18wk-england-2829', 'mtpf-ae-4hr-2829', 'mtpf-amb-cat2-mean-2829', 'mtpf-amb-cat2-p90-2829', 'mtpf-cancer-31d-2829', 'mtpf-cancer-62d-2829', 'mtpf-dm01-england-2829']) {
      expect(byId.get(id)?.source.url, id).toContain('medium-term-planning-framework-delivering-change-together-2026-27-to-2028-29');
    }
  });

  it('encodes the RTT trust rule as 7 points on March 2026 with a 65% floor, saying which reading and why', () => {
    expect(byId.get('mtpf-rtt-18wk-trust-2627')).toMatchObject({ comparator: 'improve_vs_baseline', improvement: 7, improvement_unit: 'points', baseline_period: '2026-03', floor: 65, levels: ['trust'] });
    expect(byId.get('mtpf-rtt-18wk-trust-2627')!.reading).toMatch(/percentage points.*improvement_unit: percent/s);
  });

  it('states the diagnostics targets as the share waiting 6+ weeks, lower being better', () => {
    expect(byId.get('mtpf-dm01-england-2627')).toMatchObject({ metric: 'dm01_over_6wk', comparator: '<=', threshold: 14 });
    expect(byId.get('mtpf-dm01-system-2627')).toMatchObject({ metric: 'dm01_over_6wk', comparator: 'improve_vs_baseline', floor: 20, levels: ['icb'] });
  });

  it('reads the 2028/29 4-hour target as a pooled whole-year average', () => {
    expect(byId.get('mtpf-ae-4hr-2829')).toMatchObject({ threshold: 85, period: { financial_year: '2028/29', average: 'pooled' } });
  });
});

describe('bad targets files (issue 12)', () => {
  it('names the line of a target whose threshold is missing', async () => {
    const error = await expectPlanwatchError(() => parseTargetsFile('demo.yaml', valid.replace('    threshold: 78\n', '')), 'E_TARGETS', { file: 'demo.yaml', line: 6, column: 'targets.0.threshold' });
    expect(error.message).toContain('needs a threshold');
    expect(error.exitCode).toBe(2);
  });

  it('names the line of an unknown measure, exit 2', async () => {
    const error = await expectPlanwatchError(() => parseTargetsFile('demo.yaml', valid.replace('metric: ae_4hr', 'metric: ae_four_hours')), 'E_TARGETS', { line: 8, column: 'targets.0.metric' });
    expect(error.message).toMatch(/^demo\.yaml line 8, field "targets\.0\.metric": unknown measure "ae_four_hours"/);
    expect(error.exitCode).toBe(2);
  });

  it('refuses a relative target without its baseline month, and one with a fixed threshold', async () => {
    const relative = valid.replace('comparator: ">="\n    threshold: 78', 'comparator: improve_vs_baseline\n    improvement: 7');
    await expectPlanwatchError(() => parseTargetsFile('demo.yaml', relative), 'E_TARGETS', { column: 'targets.0.baseline_period' });
    await expectPlanwatchError(() => parseTargetsFile('demo.yaml', relative.replace('improvement: 7', 'improvement: 7\n    baseline_period: "2026-03"\n    threshold: 65')), 'E_TARGETS', { column: 'targets.0.threshold', line: 12 });
  });

  it('refuses a year-on-year target given a threshold', async () => {
    await expectPlanwatchError(() => parseTargetsFile('demo.yaml', valid.replace('comparator: ">="', 'comparator: improve_on_previous_year')), 'E_TARGETS', { column: 'targets.0.threshold' });
  });
});
