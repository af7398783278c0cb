import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { FastifyInstance } from 'fastify';
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { EXPORT_FILES, exportStatic, resolveLink, type StaticExportSummary } from '../../src/server/export.js';
import type { Store } from '../../src/store/store.js';
import { expectPlanwatchError } from '../helpers/errors.js';
import { syntheticStore } from '../helpers/synthetic-ae.js';

let store: Store;
let server: FastifyInstance;
let root: string;
let dir: string;
let summary: StaticExportSummary;
// Ingesting 14 synthetic months and rendering every page takes tens of seconds on a busy machine.
beforeAll(async () => {
  store = await syntheticStore(14, '2025-03');
  server = await buildApp({ store });
  root = mkdtempSync(path.join(tmpdir(), 'planwatch-export-test-'));
  dir = path.join(root, 'site');
  summary = await exportStatic({ store, dir });
}, 300_000);
afterAll(async () => {
  await server?.close();
  store?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

function filesUnder(folder: string, prefix = ''): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(path.join(folder, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`]);
}

const isExternal = (link: string) => /^[a-z][a-z0-9+.-]*:/i.test(link) || link.startsWith('//');

/** The file a relative link from `from` names, without its fragment; undefined for external links. */
function linkedFile(from: string, link: string): string | undefined {
  if (isExternal(link) || link.startsWith('#')) return undefined;
  return path.posix.join(path.posix.dirname(from), link.split('#')[0]!.split('?')[0]!);
}

const read = (file: string) => readFileSync(path.join(dir, ...file.split('/')), 'utf8');

/** Text a person reads in the main content: tags dropped, whitespace collapsed. */
function mainText(html: string): string {
  const { document } = parseHTML(html);
  return (document.querySelector('main')?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

// Each test reads and parses every exported page: seconds of work, more on a busy machine.
describe('exportStatic(options)', { timeout: 60_000 }, () => {
  it('writes the home page, every organisation, measure page, league table and their JSON and CSV', () => {
    const files = new Set(filesUnder(dir));
    for (const file of [
      'index.html', 'search.html', 'league.html', 'league/ae_4hr.html', 'signals.html', 'api.html',
      'org/ENG.html', 'org/Y56.html', 'org/RAA.html', 'org/RAA/ae_4hr.html', 'org/RAA/report.html', 'org/RAA/signals.html',
      'api/v1/series/RAA/ae_4hr.csv', 'api/v1/series/RAA/ae_4hr.json', 'api/v1/status/RAA.json', 'api/v1/status/RAA.csv',
      'api/v1/orgs.json', 'api/v1/orgs.csv', 'api/v1/openapi.json',
      'static/planwatch.css', 'static/planwatch.js', 'nhsuk/nhsuk-frontend.min.js', 'nhsuk/assets/images/favicon.svg',
      EXPORT_FILES.observations, EXPORT_FILES.measureValues,
    ]) expect(files, file).toContain(file);
    expect(summary.pages).toBe(filesUnder(dir).filter((file) => file.endsWith('.html')).length);
    // Forms and feeds need a server: none is written.
    expect([...files].filter((file) => file.includes('interface') || file.endsWith('.atom') || file.includes('.atom.'))).toEqual([]);
  });

  it('leaves no local link or asset reference broken in any page: every href and src names a file of the export', () => {
    const pages = filesUnder(dir).filter((file) => file.endsWith('.html'));
    const broken: string[] = [];
    let checked = 0;
    for (const page of pages) {
      const { document } = parseHTML(read(page));
      for (const element of document.querySelectorAll('[href], [src]')) {
        const link = element.getAttribute('href') ?? element.getAttribute('src')!;
        if (link.startsWith('/')) broken.push(`${page}: ${link} is absolute`);
        const target = linkedFile(page, link);
        if (link.startsWith('#') && link.length > 1 && !document.getElementById(link.slice(1))) broken.push(`${page}: ${link} names no element`);
        if (target === undefined) continue;
        checked++;
        if (!existsSync(path.join(dir, ...target.split('/')))) broken.push(`${page}: ${link} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
    expect(checked).toBeGreaterThan(pages.length * 10);
  });

  it('leaves no broken url() in the stylesheets or import in the scripts', () => {
    const broken: string[] = [];
    for (const file of filesUnder(dir).filter((name) => name.endsWith('.css') || name.endsWith('.js'))) {
      const text = read(file);
      const refs = file.endsWith('.css')
        ? [...text.matchAll(/url\((['"]?)([^'")]+)\1\)/g)].map((match) => match[2]!)
        : [...text.matchAll(/\bfrom\s*['"]([^'"]+)['"]/g)].map((match) => match[1]!);
      for (const ref of refs) {
        if (ref.startsWith('data:') || ref.startsWith('#')) continue;
        if (ref.startsWith('/') && !ref.startsWith('//')) broken.push(`${file}: ${ref} is absolute`);
        const target = linkedFile(file, ref);
        if (target !== undefined && !existsSync(path.join(dir, ...target.split('/')))) broken.push(`${file}: ${ref}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("gives pages the server's content: the same words in the main content of a trust's page, a measure page and a league table", async () => {
    for (const [url, file] of [['/org/RAA', 'org/RAA.html'], ['/org/RAA/ae_4hr', 'org/RAA/ae_4hr.html'], ['/org/ENG', 'org/ENG.html']] as const) {
      expect(mainText(read(file)), url).toBe(mainText((await server.inject(url)).body));
    }
    // The league table loses its sort links and filter form, not its rows.
    const league = parseHTML(read('league/ae_4hr.html')).document;
    const served = parseHTML((await server.inject('/league/ae_4hr')).body).document;
    expect(league.querySelector('table')?.textContent?.replace(/\s+/g, ' ')).toBe(served.querySelector('table')?.textContent?.replace(/\s+/g, ' '));
  });

  it('links pages relatively, so the export works under any path prefix', () => {
    const { document } = parseHTML(read('org/RAA/ae_4hr.html'));
    const hrefs = [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'));
    expect(hrefs).toContain('../RAA.html');
    expect(hrefs).toContain('../../api/v1/series/RAA/ae_4hr.csv');
    expect(hrefs).toContain('../../index.html');
    expect(document.querySelector('link[rel="stylesheet"]')?.getAttribute('href')).toMatch(/^\.\.\/\.\.\/nhsuk\/nhsuk-frontend-[\d.]+\.min\.css$/);
  });

  it('replaces every form with a sentence saying it needs the live service, and lists every organisation on the search page', () => {
    for (const file of filesUnder(dir).filter((name) => name.endsWith('.html'))) {
      expect(parseHTML(read(file)).document.querySelectorAll('form'), file).toHaveLength(0);
    }
    const search = parseHTML(read('search.html')).document;
    expect(search.querySelector('h1')?.textContent).toBe('Find an organisation');
    expect(search.querySelector('main')?.textContent).toContain('searching needs the live service');
    const listed = [...search.querySelectorAll('main a[href]')].map((a) => a.getAttribute('href'));
    expect(listed).toEqual(expect.arrayContaining(['org/ENG.html', 'org/Y56.html', 'org/RAA.html', 'org/RDD.html']));
    expect(read('league/ae_4hr.html')).toContain('choosing another month, filter or order needs the live service');
  });

  it('writes every observation and every measure value as Parquet that reads back equal to the JSON', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const rows = async (sql: string, file: string) => {
      const statement = await connection.prepare(sql);
      statement.bind({ file: path.join(dir, ...file.split('/')) });
      return (await statement.runAndReadAll()).getRowObjectsJS();
    };
    try {
      const observations = await rows('SELECT * FROM read_parquet($file) WHERE org = \'RBB\' ORDER BY collection, metric, org, period', EXPORT_FILES.observations);
      const json = (await server.inject('/api/v1/observations/RBB')).json().observations as Record<string, unknown>[];
      expect(observations.map((row) => ({ ...row, line: Number(row.line) }))).toEqual(json);
      expect(summary.observations.rows).toBe(Number((await rows('SELECT count(*) AS n FROM read_parquet($file)', EXPORT_FILES.observations))[0]!.n));

      const values = await rows('SELECT period, value, numerator, denominator, level FROM read_parquet($file) WHERE metric = \'ae_4hr\' AND org = \'RAA\' ORDER BY period', EXPORT_FILES.measureValues);
      const series = (await server.inject('/api/v1/series/RAA/ae_4hr')).json().points as { period: string; value: number; numerator: number; denominator: number }[];
      expect(values.map((row) => [row.period, row.numerator, row.denominator, row.level])).toEqual(series.map((point) => [point.period, point.numerator, point.denominator, 'trust']));
      values.forEach((row, i) => expect(row.value as number).toBeCloseTo(series[i]!.value, 9));
      const england = await rows('SELECT period, numerator FROM read_parquet($file) WHERE metric = \'ae_attendances\' AND org = \'ENG\' ORDER BY period', EXPORT_FILES.measureValues);
      const englandSeries = (await server.inject('/api/v1/series/ENG/ae_attendances')).json().points as { period: string; numerator: number }[];
      expect(england).toEqual(englandSeries.map((point) => ({ period: point.period, numerator: point.numerator })));
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
    expect(read('api.html')).toContain(`href="${EXPORT_FILES.observations}"`);
  });

  it('refuses a folder that is not empty, naming it, unless forced, and writes nothing', async () => {
    const full = path.join(root, 'full');
    mkdirSync(full);
    writeFileSync(path.join(full, 'keep.txt'), 'mine');
    const error = await expectPlanwatchError(() => exportStatic({ store, dir: full }), 'E_USAGE', { file: full });
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(`${full} is not empty`);
    expect(error.message).toContain('--force');
    expect(readdirSync(full)).toEqual(['keep.txt']);
  });

  it('refuses a folder that cannot be made (a file stands in its path)', async () => {
    const file = path.join(root, 'a-file');
    writeFileSync(file, 'x');
    const error = await expectPlanwatchError(() => exportStatic({ store, dir: path.join(file, 'site') }), 'E_USAGE');
    expect(error.message).toContain('cannot be');
    const onFile = await expectPlanwatchError(() => exportStatic({ store, dir: file }), 'E_USAGE', { file });
    expect(onFile.message).toContain('it is a file, not a folder');
  });
});

describe('resolveLink(href, from)', () => {
  it('exports pages at their plain address and API answers with their format, never a page with a query', () => {
    const file = (href: string, from = '/') => {
      const resolved = resolveLink(href, from, true);
      return resolved.external ? 'external' : resolved.target?.file;
    };
    expect(file('/')).toBe('index.html');
    expect(file('/org/RAA/ae_4hr#chart')).toBe('org/RAA/ae_4hr.html');
    expect(file('/api/v1/league/ae_4hr?period=2025-03&format=csv')).toBe('api/v1/league/ae_4hr.period-2025-03.csv');
    expect(file('/league/ae_4hr?sort=name&order=ascending')).toBeUndefined();
    expect(file('/org/RAA/signals.atom')).toBeUndefined();
    expect(file('/interface/sign-in')).toBeUndefined();
    expect(file('/org/%2E%2E/x')).toBeUndefined();
    expect(file('https://www.england.nhs.uk/')).toBe('external');
    expect(resolveLink('/org/RAA/report', '/', false)).toMatchObject({ target: undefined });
  });
});
