import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startControl } from '../../src/cli/control.js';
import { main } from '../../src/cli/main.js';
import { loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/server/app.js';
import { ingestFile } from '../../src/store/ingest.js';
import { Store } from '../../src/store/store.js';
import { syntheticAeCsv } from '../helpers/ae-site.js';
import { runCli } from '../helpers/cli.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const MONTHS = ['April', 'May', 'June', 'July', 'August', 'September'];
const NEW_MONTHS = ['October', 'November', 'December'];

function aeFile(month: string): { name: string; text: string } {
  const name = `Monthly-AE-${month}-2025.csv`;
  return { name, text: syntheticAeCsv(`/statistics/wp-content/uploads/sites/2/2025/11/${name}`) };
}

interface StatusJson {
  period: string;
  lines: { metric: string; assessedPeriod: string; due: string | null; final: boolean }[];
}

/**
 * A mixed answer: England's status reads each measure on its own, so an answer built across a
 * commit would give the new month as the status period and the old one on some line (or the
 * reverse). Lines still to be assessed, or standing, are assessed at the status period.
 */
function mixed(status: StatusJson): string | undefined {
  const stray = status.lines.filter((line) => (line.due === null || !line.final) && /^\d{4}-\d{2}$/.test(line.assessedPeriod) && line.assessedPeriod !== status.period);
  return stray.length > 0 ? `status period ${status.period}, but ${stray.map((line) => `${line.metric} at ${line.assessedPeriod}`).join(', ')}` : undefined;
}

/**
 * A mixed page: an organisation's page gives its month three times, each read by its own query at
 * a different moment of building it: under the heading (its status, read first), in the freshness
 * line and in the footer (read last, after the charts are drawn). One version gives one month.
 */
function mixedPage(html: string): string | undefined {
  const heading = /Figures to ([A-Z][a-z]+ \d{4}), from NHS England/.exec(html)?.[1];
  const freshness = /A&amp;E figures to ([A-Z][a-z]+ \d{4})/.exec(html)?.[1];
  const footer = /A&amp;E Attendances and Emergency Admissions to ([A-Z][a-z]+ \d{4})/.exec(html)?.[1];
  if (!heading || !freshness || !footer) return `a page without its months: ${heading}, ${freshness}, ${footer}`;
  return heading === freshness && freshness === footer ? undefined : `page heading ${heading}, freshness ${freshness}, footer ${footer}`;
}

describe('a server under 20 clients while planwatch ingest adds a month', { timeout: 180_000 }, () => {
  it('ingests (exit 0), serves the new month, answers series, and fails or mixes no request', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'planwatch-load-'));
    const db = path.join(dir, 'store.duckdb');
    const store = await Store.open(db);
    cleanups.push(() => store.close());
    for (const month of MONTHS) {
      const { name, text } = aeFile(month);
      await ingestFile(store, { name, bytes: new TextEncoder().encode(text) });
    }
    const control = await startControl(loadConfig({ db }, {}), store, main);
    cleanups.push(() => control.close());
    const app = await buildApp({ store });
    cleanups.push(() => app.close());
    const base = await app.listen({ host: '127.0.0.1', port: 0 });

    const paths = ['/api/v1/status/ENG', '/api/v1/series/ENG/ae_attendances', '/api/v1/league/ae_4hr', '/org/RXA', '/'];
    const failures: string[] = [];
    const mixes: string[] = [];
    let answered = 0;
    let newMonthSeen = false;
    let stop = false;
    const clients = Array.from({ length: 20 }, async (_, client) => {
      for (let i = client; !stop; i++) {
        const at = paths[i % paths.length]!;
        try {
          const response = await fetch(`${base}${at}`);
          const body = await response.text();
          answered++;
          if (response.status !== 200) failures.push(`${at}: ${response.status} ${body.slice(0, 200)}`);
          else if (at === '/api/v1/status/ENG') {
            const problem = mixed(JSON.parse(body) as StatusJson);
            if (problem) mixes.push(problem);
          } else if (at === '/org/RXA') {
            const problem = mixedPage(body);
            if (problem) mixes.push(problem);
          } else if (at.startsWith('/api/v1/series') && body.includes('"2025-12"')) newMonthSeen = true;
        } catch (error) {
          failures.push(`${at}: ${(error as Error).message}`);
        }
      }
    });
    try {
      while (answered < 40) await new Promise((resolve) => setTimeout(resolve, 20));
      // Several months, one commit each, so that commits land while answers are being built.
      const folder = path.join(dir, 'new');
      mkdirSync(folder);
      for (const month of NEW_MONTHS) writeFileSync(path.join(folder, aeFile(month).name), aeFile(month).text);

      const ingest = await runCli('ingest', '--db', db, folder);
      expect(ingest.code, ingest.stderr).toBe(0);
      expect(ingest.stdout.match(/^ingested\s+ae\s+2025-\d\d/gm)).toHaveLength(NEW_MONTHS.length);
      const series = await runCli('series', 'ENG', 'ae_attendances', '--db', db, '--json');
      expect(series.code, series.stderr).toBe(0);
      expect((JSON.parse(series.stdout) as { period: string }[]).map((point) => point.period).at(-1)).toBe('2025-12');

      const seenBy = answered;
      while (!newMonthSeen || answered < seenBy + 40) await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      stop = true;
      await Promise.all(clients);
    }
    expect(failures).toEqual([]);
    expect(mixes).toEqual([]);
    expect(newMonthSeen).toBe(true);
  });
});
