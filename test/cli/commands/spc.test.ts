import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { spc } from '../../../src/analysis/spc/index.js';
import { parseSeriesCsv, runSpcCommand, type SpcFlags, type SpcIo } from '../../../src/cli/commands/spc.js';
import { main } from '../../../src/cli/main.js';
import { expectPlanwatchError } from '../../helpers/errors.js';

const fixture = path.join(import.meta.dirname, '..', '..', 'fixtures', 'spc', 'synthetic-series.csv');
const good = readFileSync(fixture, 'utf8');

/** Runs the command in-process on text given as a named file (or stdin), returning what it printed. */
async function run(text: string, flags: SpcFlags = {}, file: string | undefined = 'series.csv'): Promise<string> {
  let printed = '';
  const io: SpcIo = {
    readFile: async (name) => {
      if (name !== 'series.csv') throw Object.assign(new Error(`ENOENT: ${name}`), { code: 'ENOENT' });
      return text;
    },
    readStdin: async () => text,
    write: (chunk) => {
      printed += chunk;
    },
  };
  await runSpcCommand(file, flags, io);
  return printed;
}

/** The good fixture with one line replaced (1-based line numbers, header = line 1). */
function withLine(line: number, replacement: string): string {
  const lines = good.split('\n');
  lines[line - 1] = replacement;
  return lines.join('\n');
}

describe('runSpcCommand(file, flags)', () => {
  it('prints the published JSON for the series', async () => {
    const printed = JSON.parse(await run(good, { json: true, target: '75', direction: 'increase' }));
    expect(printed).toEqual(spc(parseSeriesCsv(good, 'series.csv'), { direction: 'increase', target: 75 }));
    expect(printed.points).toHaveLength(15);
    expect(printed.points[13]).toMatchObject({ period: '2024-02', value: null, pointType: 'common_cause' });
    expect(printed.points[14]).toMatchObject({ period: '2024-03', value: 84.5, pointType: 'special_cause_improvement' });
    expect(printed.variation).toBe('improvement_high');
  });

  it('prints a table with the icons in words when --json is not given', async () => {
    const printed = await run(good, { target: '75' });
    const lines = printed.split('\n');
    expect(lines[0]).toMatch(/^period\s+value\s+mean\s+lpl\s+upl\s+rules\s+point type$/);
    expect(lines[16]).toMatch(/^2024-03\s+84\.5\s.*beyond\s+special cause: improvement$/);
    expect(printed).toContain('variation: Special cause improvement (high values)');
    expect(printed).toContain('assurance: Hits and misses the target (target 75)');
    expect(printed).toContain('limits 2023-01 to 2024-03 (15 points)');
  });

  it('passes rebase, fix-after, direction and no-screen through', async () => {
    const flags = { json: true, rebase: '2023-07, 2024-01', fixAfter: '12', direction: 'decrease', screen: false };
    const printed = JSON.parse(await run(good, flags));
    const expected = spc(parseSeriesCsv(good, 'x'), { direction: 'decrease', rebase: ['2023-07', '2024-01'], fixAfter: 12, screen: false });
    expect(printed).toEqual(expected);
    expect(printed.segments.map((s: { from: string; trial: boolean }) => [s.from, s.trial])).toEqual([
      ['2023-01', true],
      ['2023-07', true],
      ['2024-01', true],
    ]);
  });

  it('reads stdin for "-" or no file, and accepts a BOM, CRLF, dates and extra columns', async () => {
    const text = '\uFEFFValue,Period,note\r\n3,2024-01-31,a\r\n4,2024-02-29,b\r\n';
    const printed = JSON.parse(await run(text, { json: true }, '-'));
    expect(printed.points.map((p: { period: string; value: number }) => [p.period, p.value])).toEqual([
      ['2024-01-31', 3],
      ['2024-02-29', 4],
    ]);
    expect(JSON.parse(await run(text, { json: true }, undefined))).toEqual(printed);
  });
});

describe('runSpcCommand(file, flags) on bad input', () => {
  it('rejects text in a number column, naming line and column', async () => {
    const error = await expectPlanwatchError(() => run(withLine(5, '2023-04,n/a')), 'E_NUMBER', { file: 'series.csv', line: 5, column: 'value' });
    expect(error.message).toBe('series.csv line 5, column "value": expected a number, found "n/a".');
  });

  it('rejects a malformed period, naming line and column', async () => {
    await expectPlanwatchError(() => run(withLine(3, 'Feb 2023,73.0')), 'E_NUMBER', { file: 'series.csv', line: 3, column: 'period' });
  });

  it('rejects a duplicate period, naming both lines', async () => {
    const error = await expectPlanwatchError(() => run(withLine(4, '2023-02-01,72.1')), 'E_DUPLICATE', { line: 4, column: 'period' });
    expect(error.message).toMatch(/already appears on line 3/);
  });

  it('rejects a header without period and value', async () => {
    await expectPlanwatchError(() => run(withLine(1, 'month,value')), 'E_HEADER', { file: 'series.csv', line: 1, column: 'period' });
  });

  it('rejects a row with an extra cell, and a quote left open', async () => {
    await expectPlanwatchError(() => run(withLine(6, '2023-05,74.2,9')), 'E_TRUNCATED', { file: 'series.csv', line: 6 });
    await expectPlanwatchError(() => run(`${good}2024-04,"7`), 'E_TRUNCATED', { file: 'series.csv' });
  });

  it('rejects an empty file and a header with no rows', async () => {
    await expectPlanwatchError(() => run(''), 'E_EMPTY', { file: 'series.csv' });
    await expectPlanwatchError(() => run('period,value\n'), 'E_EMPTY', { file: 'series.csv', line: 1 });
  });

  it('reports a missing file by name', async () => {
    await expectPlanwatchError(() => run(good, {}, 'nowhere.csv'), 'E_NOT_FOUND', { file: 'nowhere.csv' });
  });

  it('rejects bad flags as usage errors', async () => {
    await expectPlanwatchError(() => run(good, { target: 'high' }), 'E_USAGE');
    await expectPlanwatchError(() => run(good, { fixAfter: '6' }), 'E_USAGE');
    await expectPlanwatchError(() => run(good, { direction: 'up' }), 'E_USAGE');
    await expectPlanwatchError(() => run(good, { rebase: '2023-13' }), 'E_USAGE');
  });
});

describe('planwatch spc (through main)', () => {
  afterEach(() => vi.restoreAllMocks());

  function capture() {
    let out = '';
    let err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
    return { out: () => out, err: () => err };
  }

  it('is registered, reads the file and exits 0', async () => {
    const io = capture();
    const code = await main(['node', 'planwatch', 'spc', fixture, '--json', '--target', '75']);
    expect(code).toBe(0);
    expect(JSON.parse(io.out()).assurance).toBe('hit_and_miss');
  });

  it('exits 3 with the located message when the file is rejected', async () => {
    const io = capture();
    const bad = path.join(path.dirname(fixture), 'synthetic-series-text-in-number.csv');
    expect(await main(['node', 'planwatch', 'spc', bad])).toBe(3);
    expect(io.err()).toBe(`planwatch: ${bad} line 5, column "value": expected a number, found "n/a".\n`);
  });

  it('exits 2 on a missing file or a bad direction', async () => {
    const io = capture();
    expect(await main(['node', 'planwatch', 'spc', path.join(path.dirname(fixture), 'no-such-file.csv')])).toBe(2);
    expect(io.err()).toMatch(/no-such-file\.csv: no such file/);
    expect(await main(['node', 'planwatch', 'spc', fixture, '--direction', 'sideways'])).toBe(2);
  });
});
