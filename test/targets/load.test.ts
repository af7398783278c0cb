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
