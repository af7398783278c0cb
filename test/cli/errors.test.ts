import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { wantsJson } from '../../src/cli/main.js';
import { runCli, tempDb } from '../helpers/cli.js';
import { fixtureText } from '../helpers/fixtures.js';

/**
 * The CLI's one top-level catch: with --json every error is one JSON object on stderr, with the
 * same five keys whatever went wrong; refused input never exits 1 (that is for bugs).
 */
afterEach(() => {
  vi.unstubAllEnvs();
});

function errorOf(stderr: string) {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as { error: Record<string, unknown> };
}

describe('planwatch … --json, when it fails', () => {
  it('prints a refused file as JSON naming file, line and column, and exits 3', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'planwatch-json-'));
    const lines = fixtureText('ae', 'synthetic-ae-2020.csv').split('\n');
    lines[2] = lines[2]!.replace(',13054,', ',n/a,');
    const file = path.join(folder, 'synthetic-ae-2020-text-in-number.csv');
    writeFileSync(file, lines.join('\n'));
    const run = await runCli('ingest', '--db', tempDb(), '--json', file);
    expect(run.code).toBe(3);
    const { error } = errorOf(run.stderr);
    expect(error).toEqual({
      code: 'E_NUMBER',
      message: expect.stringContaining('n/a'),
      file: 'synthetic-ae-2020-text-in-number.csv',
      line: 3,
      column: 'A&E attendances Type 1',
    });
  });

  it('prints an unknown organisation as JSON with null for the place it has not got, and exits 2', async () => {
    const run = await runCli('series', 'XYZ', 'ae_4hr', '--db', tempDb(), '--json');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(errorOf(run.stderr)).toEqual({ error: { code: 'E_NOT_FOUND', message: expect.any(String), file: null, line: null, column: null } });
  });

  it("prints commander's refusal of an unknown option as JSON, and exits 2", async () => {
    const run = await runCli('series', 'ENG', 'ae_4hr', '--json', '--colour', 'red');
    expect(run.code).toBe(2);
    expect(errorOf(run.stderr)).toEqual({ error: { code: 'E_USAGE', message: "unknown option '--colour'", file: null, line: null, column: null } });
  });

  it('refuses configuration it cannot use with its own message and exit 2, never as a bug', async () => {
    vi.stubEnv('PLANWATCH_SECURE_COOKIES', 'sometimes');
    const run = await runCli('series', 'ENG', 'ae_4hr', '--db', tempDb(), '--json');
    expect(run.code).toBe(2);
    expect(errorOf(run.stderr).error).toMatchObject({ code: 'E_CONFIG', message: expect.stringMatching(/^Invalid configuration: secureCookies/) });
    const plain = await runCli('series', 'ENG', 'ae_4hr', '--db', tempDb());
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/^planwatch: Invalid configuration: secureCookies/);
  });

  it('keeps plain text without --json', async () => {
    const run = await runCli('series', 'XYZ', 'ae_4hr', '--db', tempDb());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^planwatch: /);
  });
});

describe('wantsJson(argv)', () => {
  it('reads --json among the options, not after --', () => {
    expect(wantsJson(['node', 'planwatch', 'series', 'ENG', 'ae_4hr', '--json'])).toBe(true);
    expect(wantsJson(['node', 'planwatch', 'series', 'ENG', 'ae_4hr'])).toBe(false);
    expect(wantsJson(['node', 'planwatch', 'ingest', '--', '--json'])).toBe(false);
  });
});
