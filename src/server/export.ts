import { constants } from 'node:fs';
import { access, cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { parseHTML } from 'linkedom';
import { orgDirectory } from '../assessment/index.js';
import { allMeasureValues, type MeasureValueRow } from '../assessment/measure-table.js';
import { isEnoent, PlanwatchError } from '../errors.js';
import { observationsToParquet } from '../store/observations.js';
import { ParquetTable, type ParquetColumn } from '../store/parquet.js';
import type { Store } from '../store/store.js';
import { buildApp } from './app.js';
import { NHSUK_DIST, PUBLIC_DIR } from './views.js';

/**
 * `planwatch export --static DIR` (issue 10 item 3): every public page and the API's JSON and CSV
 * for them as files, for any static host, CDN path or object store, and file:// where browsers
 * allow. Pages are rendered by the app itself (`inject`), so they are the server's pages byte for
 * byte except their links: every local link is made relative and points at a file of the export,
 * or is taken out when there is no such file (a sorted or filtered league table, a search
 * query, a feed whose links must be absolute). Forms need a server, so each becomes a sentence
 * saying so. The export is a crawl from the home page and every organisation: what a page links
 * to is exported, so a link can only point at a file that is there (a test checks every one).
 */
export interface StaticExportOptions {
  store: Store;
  dir: string;
  /** Write into a folder that is not empty (files of the same names are replaced). */
  force?: boolean;
  /** Each organisation's board report (/org/CODE/report): one more page per organisation. */
  reports?: boolean;
  /** Pages rendered at once. */
  concurrency?: number;
  /** Called after each wave of pages with the files written so far. */
  progress?: (written: number) => void;
}

export interface StaticExportSummary {
  dir: string;
  pages: number;
  data: number;
  assets: number;
  bytes: number;
  /** Links taken out because nothing could be exported at their address. */
  unlinked: number;
  observations: { rows: number; bytes: number };
  measureValues: { rows: number; bytes: number };
  /** Whether the store changed while the export ran (only when a running server exports). */
  storeChanged: boolean;
  ms: number;
}

export const EXPORT_FILES = { observations: 'data/observations.parquet', measureValues: 'data/measure-values.parquet' } as const;

/** The measure-values file's columns (README, "Parquet"). */
export const MEASURE_VALUE_COLUMNS: readonly (ParquetColumn & { value: (row: MeasureValueRow) => string | number | boolean | null })[] = [
  { name: 'metric', type: 'text', value: (row) => row.metric },
  { name: 'org', type: 'text', value: (row) => row.org },
  { name: 'level', type: 'text', value: (row) => row.level },
  { name: 'period', type: 'text', value: (row) => row.period },
  { name: 'value', type: 'number', value: (row) => row.value },
  { name: 'numerator', type: 'number', value: (row) => row.numerator },
  { name: 'denominator', type: 'number', value: (row) => row.denominator },
  { name: 'unit', type: 'text', value: (row) => row.unit },
  { name: 'note', type: 'text', value: (row) => row.note },
  { name: 'members', type: 'integer', value: (row) => row.members },
  { name: 'excluded', type: 'text', value: (row) => row.excluded },
  { name: 'apportioned', type: 'boolean', value: (row) => row.apportioned },
];

const ORIGIN = 'http://planwatch.invalid';
const SAFE_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

// Pages exported at their plain address; with a query string a page is a server's answer to a
// question (a sort order, a filter, a month) and is not exported.
const PAGE_ROUTES = [
  /^\/$/, /^\/search$/, /^\/league$/, /^\/league\/[^/]+$/, /^\/signals$/, /^\/api$/,
  /^\/org\/[^/]+$/, /^\/org\/[^/]+\/signals$/, /^\/org\/[^/]+\/[^/]+$/,
];
const REPORT_ROUTE = /^\/org\/[^/]+\/report$/;
// The charts an organisation page shows as images (spcChartImage).
const CHART_ROUTE = /^\/org\/[^/]+\/[^/]+\/chart\.svg$/;
const isReport = (pathname: string) => REPORT_ROUTE.test(pathname);
// API answers are exported with the parameters pages link them with.
const API_PARAMETERS = new Set(['format', 'period', 'from', 'to', 'level', 'region']);
const API_FORMATS: Record<string, string> = { json: 'json', csv: 'csv', parquet: 'parquet' };
const ASSET_PREFIXES = ['/nhsuk/', '/static/'];

interface Target {
  /** What is asked of the app: path and query. */
  url: string;
  /** Where the answer goes, relative to DIR, with '/' separators. */
  file: string;
  kind: 'page' | 'data' | 'asset';
}

type Resolved = { external: true } | { external: false; target: Target | undefined; fragment: string };

/**
 * Where a link found on the page at `from` leads: outside the site (left alone), to a file of the
 * export, or to an address that cannot be a file (taken out).
 */
export function resolveLink(href: string, from: string, reports: boolean): Resolved {
  let url: URL;
  try {
    url = new URL(href, `${ORIGIN}${from}`);
  } catch {
    return { external: true };
  }
  if (url.origin !== ORIGIN) return { external: true };
  const fragment = url.hash;
  const segments = url.pathname.split('/').filter(Boolean).map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return '';
    }
  });
  if (!segments.every((segment) => SAFE_SEGMENT.test(segment))) return { external: false, target: undefined, fragment };
  const pathname = `/${segments.join('/')}`;
  const params = [...url.searchParams];
  if (ASSET_PREFIXES.some((prefix) => pathname.startsWith(prefix))) {
    return { external: false, target: params.length === 0 ? { url: pathname, file: segments.join('/'), kind: 'asset' } : undefined, fragment };
  }
  if (pathname.startsWith('/api/v1/')) {
    if (pathname.endsWith('.json')) return { external: false, target: params.length === 0 ? { url: pathname, file: segments.join('/'), kind: 'data' } : undefined, fragment };
    const format = API_FORMATS[url.searchParams.get('format') ?? 'json'];
    const usable = format && params.every(([key, value]) => API_PARAMETERS.has(key) && /^[A-Za-z0-9_-]*$/.test(value));
    if (!usable) return { external: false, target: undefined, fragment };
    const suffix = params.filter(([key, value]) => key !== 'format' && value !== '').sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => `.${key}-${value}`).join('');
    const query = new URLSearchParams(params.filter(([, value]) => value !== '')).toString();
    return { external: false, target: { url: `${pathname}${query ? `?${query}` : ''}`, file: `${segments.join('/')}${suffix}.${format}`, kind: 'data' }, fragment };
  }
  if (CHART_ROUTE.test(pathname)) return { external: false, target: params.length === 0 ? { url: pathname, file: segments.join('/'), kind: 'data' } : undefined, fragment };
  // A dot marks a file the server makes (an Atom feed), never a page.
  const isPage = !pathname.includes('.') && PAGE_ROUTES.some((route) => route.test(pathname)) && (reports || !isReport(pathname));
  if (!isPage || params.length > 0) return { external: false, target: undefined, fragment };
  return { external: false, target: { url: pathname, file: pathname === '/' ? 'index.html' : `${segments.join('/')}.html`, kind: 'page' }, fragment };
}

function relative(from: string, to: string): string {
  const link = path.posix.relative(path.posix.dirname(from), to);
  return link === '' ? path.posix.basename(to) : link;
}

/** Refuses a folder that cannot be written or holds files (unless forced), before any work. */
async function prepareFolder(dir: string, force: boolean): Promise<void> {
  let entries: string[] = [];
  try {
    entries = await readdir(dir);
  } catch (error) {
    if (!isEnoent(error)) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new PlanwatchError('E_USAGE', `${dir} cannot be used for the export (${code === 'ENOTDIR' ? 'it is a file, not a folder' : code}): name a folder that is empty or does not exist yet.`, { file: dir }, { cause: error });
    }
  }
  if (entries.length > 0 && !force) {
    throw new PlanwatchError('E_USAGE', `${dir} is not empty (${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}): name an empty or new folder, or pass --force to write over files of the same names. Nothing was written.`, { file: dir });
  }
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (error) {
    throw new PlanwatchError('E_USAGE', `${dir} cannot be written (${(error as NodeJS.ErrnoException).code}): name a folder you can write to. Nothing was written.`, { file: dir }, { cause: error });
  }
}

async function write(dir: string, file: string, body: string | Buffer): Promise<number> {
  const full = path.join(dir, ...file.split('/'));
  await mkdir(path.dirname(full), { recursive: true });
  await writeFile(full, body);
  return typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
}

async function inPool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

type Html = ReturnType<typeof parseHTML>['document'];
type HtmlElement = ReturnType<Html['createElement']>;

/** The sentence a form becomes: a static copy has no server to send it to. */
function formNote(document: Html, form: HtmlElement, from: string): HtmlElement {
  const note = document.createElement('div');
  const heading = form.querySelector('h1');
  if (heading) {
    const h1 = document.createElement('h1');
    h1.className = 'nhsuk-heading-l';
    h1.textContent = heading.textContent?.trim() ?? '';
    note.append(h1);
  }
  const p = document.createElement('p');
  p.className = 'nhsuk-body-s pw-static-note';
  if ((form.getAttribute('action') ?? '').split('?')[0] === '/search') {
    if (from === '/search') {
      p.textContent = 'This is a static copy of Planwatch: searching needs the live service. Every organisation is listed below.';
    } else {
      p.append('Find an organisation: ');
      const link = document.createElement('a');
      link.setAttribute('href', '/search');
      link.textContent = 'every organisation, listed by kind';
      p.append(link, '.');
    }
  } else {
    p.textContent = 'This is a static copy of Planwatch: choosing another month, filter or order needs the live service. It shows the default view.';
  }
  note.append(p);
  return note;
}

interface Rewritten {
  html: string;
  links: Target[];
  unlinked: number;
}

/** A page with every local link made relative to its file, or taken out, and forms replaced. */
function rewritePage(html: string, page: Target, reports: boolean): Rewritten {
  const { document } = parseHTML(html);
  // Forms first: the search form's note links to /search, which the pass below makes relative.
  for (const form of [...document.querySelectorAll('form')]) {
    const action = form.getAttribute('action') ?? '';
    const resolved = resolveLink(action || page.url, page.url, reports);
    if (!resolved.external) form.replaceWith(formNote(document, form, page.url));
  }
  const links: Target[] = [];
  let unlinked = 0;
  for (const element of [...document.querySelectorAll('[href], [src]')]) {
    const attribute = element.hasAttribute('href') ? 'href' : 'src';
    const value = element.getAttribute(attribute)!;
    if (value.startsWith('#') || value.startsWith('data:')) continue;
    const resolved = resolveLink(value, page.url, reports);
    if (resolved.external) continue;
    if (resolved.target) {
      element.setAttribute(attribute, `${relative(page.file, resolved.target.file)}${resolved.fragment}`);
      links.push(resolved.target);
      continue;
    }
    unlinked++;
    if (element.tagName.toLowerCase() === 'a') {
      // The words stay; only the link goes (a sort order, a feed).
      const span = document.createElement('span');
      span.append(...element.childNodes);
      element.replaceWith(span);
    } else {
      element.remove();
    }
  }
  return { html: document.toString(), links, unlinked };
}

/** nhsuk-frontend's CSS is built to be served at the site root: its url(/assets/…) are made relative. */
function rewriteCss(css: string, file: string): string {
  const root = file.startsWith('nhsuk/') ? 'nhsuk' : '';
  return css.replace(/url\((['"]?)\/(?!\/)([^'")]+)\1\)/g, (_match, quote: string, target: string) =>
    `url(${quote}${relative(file, root && !target.startsWith(`${root}/`) ? `${root}/${target}` : target)}${quote})`);
}

/** Takes the links to `gone` (addresses that answered with an error) out of a written page. */
async function unlinkIn(dir: string, pageFile: string, gone: ReadonlySet<string>): Promise<number> {
  const full = path.join(dir, ...pageFile.split('/'));
  const { document } = parseHTML(await readFile(full, 'utf8'));
  let count = 0;
  for (const element of [...document.querySelectorAll('a[href]')]) {
    const href = element.getAttribute('href')!.split('#')[0]!;
    if (!gone.has(path.posix.join(path.posix.dirname(pageFile), href))) continue;
    const span = document.createElement('span');
    span.append(...element.childNodes);
    element.replaceWith(span);
    count++;
  }
  await writeFile(full, document.toString());
  return count;
}

/** Adds the whole-store files to the open-data page of the export. */
async function listDataFiles(dir: string, summary: Pick<StaticExportSummary, 'observations' | 'measureValues'>): Promise<void> {
  const full = path.join(dir, 'api.html');
  const { document } = parseHTML(await readFile(full, 'utf8'));
  const main = document.querySelector('main .nhsuk-grid-column-two-thirds') ?? document.querySelector('main');
  if (!main) return;
  const size = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  const section = parseHTML(`<section>
<h2 class="nhsuk-heading-m">Whole files in this copy</h2>
<p>This is a static copy of Planwatch. Each organisation's figures are in the pages' CSV and JSON files; everything in the store is in two Parquet files (columns described in Planwatch's README):</p>
<ul class="nhsuk-list nhsuk-list--bullet">
<li><a href="${EXPORT_FILES.observations}" download>Every figure as published</a>, with its file, line and column (${summary.observations.rows.toLocaleString('en-GB')} rows, ${size(summary.observations.bytes)})</li>
<li><a href="${EXPORT_FILES.measureValues}" download>Every measure's value</a> for every organisation, level and month (${summary.measureValues.rows.toLocaleString('en-GB')} rows, ${size(summary.measureValues.bytes)})</li>
</ul>
<p class="nhsuk-body-s">The API's other questions (a month, a filter, a search) need the live service; the examples above that this copy holds link to their files.</p>
</section>`).document.querySelector('section')!;
  main.append(section);
  await writeFile(full, document.toString());
}

async function copyTree(from: string, to: string, filter: (file: string) => boolean = () => true): Promise<number> {
  let count = 0;
  await cp(from, to, {
    recursive: true,
    filter: async (source) => {
      const isFile = (await stat(source)).isFile();
      if (isFile && filter(source)) count++;
      return !isFile || filter(source);
    },
  });
  return count;
}

export async function exportStatic(options: StaticExportOptions): Promise<StaticExportSummary> {
  const started = performance.now();
  const { store, dir } = options;
  const reports = options.reports ?? true;
  await prepareFolder(dir, options.force ?? false);
  const version = store.version;
  const app: FastifyInstance = await buildApp({ store });
  const summary: StaticExportSummary = {
    dir, pages: 0, data: 0, assets: 0, bytes: 0, unlinked: 0,
    observations: { rows: 0, bytes: 0 }, measureValues: { rows: 0, bytes: 0 }, storeChanged: false, ms: 0,
  };
  try {
    // Assets whole: ours, and nhsuk-frontend's images and icons (favicons, the manifest's icons
    // and those its CSS names). Its CSS and JS files come through the app below, as linked.
    summary.assets += await copyTree(PUBLIC_DIR, path.join(dir, 'static'));
    summary.assets += await copyTree(path.join(NHSUK_DIST, 'nhsuk', 'assets'), path.join(dir, 'nhsuk', 'assets'));

    const seen = new Set<string>();
    const gone = new Set<string>();
    const linkedFrom = new Map<string, Set<string>>();
    const seeds: string[] = ['/', '/search', '/league', '/signals', '/api', '/api/v1/orgs', '/api/v1/orgs?format=csv', '/api/v1/targets', '/api/v1/targets?format=csv'];
    for (const org of await orgDirectory(store)) {
      seeds.push(`/org/${org.code}`, `/api/v1/status/${org.code}`, `/api/v1/status/${org.code}?format=csv`);
    }
    let wave: Target[] = [];
    const add = (target: Target | undefined, list: Target[]) => {
      if (!target || seen.has(target.file)) return;
      seen.add(target.file);
      list.push(target);
    };
    for (const seed of seeds) {
      const resolved = resolveLink(seed, '/', reports);
      if (!resolved.external) add(resolved.target, wave);
    }

    while (wave.length > 0) {
      const next: Target[] = [];
      await inPool(wave, options.concurrency ?? 4, async (target) => {
        const response = await app.inject({ method: 'GET', url: target.url });
        if (response.statusCode !== 200) {
          gone.add(target.file);
          return;
        }
        const type = String(response.headers['content-type'] ?? '');
        if (target.kind === 'page' && type.startsWith('text/html')) {
          const page = rewritePage(response.body, target, reports);
          summary.unlinked += page.unlinked;
          summary.bytes += await write(dir, target.file, page.html);
          summary.pages++;
          for (const link of page.links) {
            let pages = linkedFrom.get(link.file);
            if (!pages) linkedFrom.set(link.file, (pages = new Set()));
            pages.add(target.file);
            add(link, next);
          }
          // A measure's page offers its figures as CSV; its JSON goes beside it.
          const measure = /^\/org\/([^/]+)\/([^/]+)$/.exec(target.url);
          if (measure && measure[2] !== 'signals' && measure[2] !== 'report') add(resolveLinkTarget(`/api/v1/series/${measure[1]}/${measure[2]}`, reports), next);
          return;
        }
        if (type.startsWith('text/css')) {
          summary.bytes += await write(dir, target.file, rewriteCss(response.body, target.file));
        } else if (type.includes('javascript')) {
          // Our script imports nhsuk-frontend's by a relative address: that file is exported too.
          summary.bytes += await write(dir, target.file, response.rawPayload);
          for (const [, specifier] of response.body.matchAll(/\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
            const imported = resolveLink(specifier!, target.url, reports);
            if (!imported.external) add(imported.target, next);
          }
        } else {
          summary.bytes += await write(dir, target.file, response.rawPayload);
        }
        if (target.kind === 'asset') summary.assets++;
        else summary.data++;
      });
      options.progress?.(summary.pages + summary.data);
      wave = next;
    }

    // Links to addresses that answered with an error come out of the pages that hold them.
    const fix = new Set<string>();
    for (const file of gone) for (const page of linkedFrom.get(file) ?? []) fix.add(page);
    for (const page of fix) summary.unlinked += await unlinkIn(dir, page, gone);

    await mkdir(path.join(dir, 'data'), { recursive: true });
    summary.observations = await observationsToParquet(store, path.join(dir, ...EXPORT_FILES.observations.split('/')));
    summary.measureValues = await writeMeasureValues(store, path.join(dir, ...EXPORT_FILES.measureValues.split('/')));
    summary.data += 2;
    summary.bytes += summary.observations.bytes + summary.measureValues.bytes;
    await listDataFiles(dir, summary);
    summary.storeChanged = store.version !== version;
  } finally {
    await app.close();
  }
  summary.ms = performance.now() - started;
  return summary;
}

function resolveLinkTarget(url: string, reports: boolean): Target | undefined {
  const resolved = resolveLink(url, '/', reports);
  return resolved.external ? undefined : resolved.target;
}

/** Every measure value, appended a measure and level at a time, written as one Parquet file. */
export async function writeMeasureValues(store: Store, file: string): Promise<{ rows: number; bytes: number }> {
  // Every value of every measure can outgrow memory: the rows wait in a DuckDB file of their own.
  const scratch = await mkdtemp(path.join(tmpdir(), 'planwatch-measure-values-'));
  try {
    const table = await ParquetTable.create(MEASURE_VALUE_COLUMNS, { scratch: path.join(scratch, 'values.duckdb') });
    try {
      for await (const slice of allMeasureValues(store)) table.append(slice.map((row) => MEASURE_VALUE_COLUMNS.map((column) => column.value(row))));
      const rows = await table.writeTo(file);
      return { rows, bytes: (await stat(file)).size };
    } finally {
      await table.close();
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
