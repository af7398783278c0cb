import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * `planwatch ingest` of a CSV must not load what only other commands or other formats need
 * (issue 10 item 5: a CPU profile found 0.8 s of such loading in a CSV ingest). Checked in a
 * fresh process whose module hook records every package it imports.
 */
const root = path.resolve(import.meta.dirname, '..', '..');
// yaml: the targets, which only the measure values need; a standalone ingest leaves those to the next reader.
const HEAVY = ['exceljs', 'fastify', 'nunjucks', '@observablehq/plot', 'linkedom', '@electric-sql/pglite', 'pg', 'pino', '@e965/xlsx', 'yaml'];

describe('planwatch ingest (a CSV)', () => {
  it('loads no server, database-driver, workbook or page-reading package', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'planwatch-lazy-'));
    try {
      const hook = `data:text/javascript,${encodeURIComponent(`
        export async function resolve(specifier, context, next) {
          if (/^[@a-z]/.test(specifier) && !specifier.startsWith('node:')) process.stderr.write('PACKAGE ' + specifier + '\\n');
          return next(specifier, context);
        }`)}`;
      const program = `
        const { register } = await import('node:module');
        register(${JSON.stringify(hook)});
        const { main } = await import(${JSON.stringify(path.join(root, 'src/cli/main.ts'))});
        process.exitCode = await main(['node', 'planwatch', 'ingest', '--db', ${JSON.stringify(path.join(dir, 'lazy.duckdb'))},
          ${JSON.stringify(path.join(root, 'test/fixtures/ae/synthetic-ae-2020-booked.csv'))}]);
      `;
      const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', program], { cwd: root, encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toContain('ingested');
      const loaded = new Set([...run.stderr.matchAll(/^PACKAGE (\S+)$/gm)].map((match) => match[1]!));
      // The hook sees the packages the CSV path does load, so an empty list cannot pass by accident.
      expect(loaded).toContain('csv-parse');
      expect(loaded).toContain('@duckdb/node-api');
      expect(HEAVY.filter((name) => loaded.has(name))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
