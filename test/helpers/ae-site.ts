import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { Effects } from '../../src/sources/contract.js';
import { periodIn } from '../../src/sources/http/periods.js';
import { fetchOnly, startLocalServer, type LocalServer } from './local-server.js';
import { aeWorkbook } from '../fixtures/ae/synthetic-ae-xls.js';

/**
 * A local stand-in for NHS England's A&E statistics pages, serving the synthetic fixture pages
 * in test/fixtures/ae/site at the real paths, synthetic CSV bodies for every upload link, and
 * on request the failures a real download meets (404, cut-off body, dropped connection).
 */

const SITE_DIR = path.resolve(import.meta.dirname, '..', 'fixtures', 'ae', 'site');
const AE = '/statistics/statistical-work-areas/ae-waiting-times-and-activity/';

export const AE_PAGES: Readonly<Record<string, string>> = {
  [AE]: 'synthetic-landing.html',
  [`${AE}ae-attendances-and-emergency-admissions-2025-26/`]: 'synthetic-year-2025-26.html',
  [`${AE}ae-attendances-and-emergency-admissions-2024-25/`]: 'synthetic-year-2024-25.html',
  [`${AE}ae-attendances-and-emergency-admissions-2023-24/`]: 'synthetic-year-2023-24.html',
  [`${AE}statistical-work-areasae-waiting-times-and-activityae-attendances-and-emergency-admissions-2016-17/`]:
    'synthetic-year-2016-17.html',
};

export const UPLOADS = '/statistics/wp-content/uploads/sites/2/';

/** Fixture page with the shared navigation put in, as every real page carries it. */
export function fixturePage(file: string): string {
  const nav = readFileSync(path.join(SITE_DIR, 'synthetic-nav.html'), 'utf8');
  return readFileSync(path.join(SITE_DIR, file), 'utf8').replace('<!--#include synthetic-nav.html-->', nav);
}

const HEADER =
  'Period,Org Code,Parent Org,Org name,A&E attendances Type 1,A&E attendances Type 2,A&E attendances Other A&E Department,' +
  'A&E attendances Booked Appointments Type 1,A&E attendances Booked Appointments Type 2,A&E attendances Booked Appointments Other Department,' +
  'Attendances over 4hrs Type 1,Attendances over 4hrs Type 2,Attendances over 4hrs Other Department,' +
  'Attendances over 4hrs Booked Appointments Type 1,Attendances over 4hrs Booked Appointments Type 2,Attendances over 4hrs Booked Appointments Other Department,' +
  'Patients who have waited 4-12 hs from DTA to admission,Patients who have waited 12+ hrs from DTA to admission,' +
  'Emergency admissions via A&E - Type 1,Emergency admissions via A&E - Type 2,Emergency admissions via A&E - Other A&E department,Other emergency admissions';

/**
 * A small monthly A&E CSV with the published header (layout of Aug 2020 onwards), two made-up
 * organisations and their TOTAL row. `seed` varies the made-up numbers so that every URL
 * serves different bytes.
 */
export function syntheticAeCsv(seed: string): string {
  let state = [...seed].reduce((sum, char) => (sum * 31 + char.charCodeAt(0)) % 2_147_483_647, 7);
  const next = (limit: number) => {
    state = (state * 48_271) % 2_147_483_647;
    return state % limit;
  };
  const orgs = [
    ['RXA', 'SYNTHETIC ACUTE TRUST A'],
    ['RXB', 'SYNTHETIC ACUTE TRUST B'],
  ];
  const rows = orgs.map(([code, name]) => [code!, name!, Array.from({ length: 18 }, () => next(900) + 10)] as const);
  const totals = rows[0]![2].map((value, index) => value + rows[1]![2][index]!);
  // The Period cell follows the file's own month so the served files ingest end to end.
  const [year, month] = (periodIn(path.basename(seed)) ?? '2000-01').split('-').map(Number) as [number, number];
  const period = `MSitAE-${new Date(Date.UTC(year, month - 1)).toLocaleString('en-GB', { month: 'long', timeZone: 'UTC' }).toUpperCase()}-${year}`;
  const lines = [
    HEADER,
    ...rows.map(([code, name, values]) => `${period},${code},NHS ENGLAND LONDON,${name},${values.join(',')}`),
    `TOTAL,TOTAL,TOTAL,TOTAL,${totals.join(',')}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** How a path misbehaves; `times` counts the requests it applies to (then it behaves). */
export type Fault =
  | 'not-found'
  | 'server-error'
  | 'empty'
  /** Sends Content-Length and half the body, then drops the connection. */
  | 'truncate'
  /** Drops the connection before answering. */
  | 'close'
  /** Never answers: the request waits until the client gives up or the site closes. */
  | 'hang';

export interface AeSite {
  origin: string;
  /** What discovery and download are given as Config.baseUrl. */
  baseUrl: string;
  requests: LocalServer['requests'];
  /** Serve these bytes at `path` from now on (a changed publication, or a duplicate). */
  setBody(path: string, body: string): void;
  fail(path: string, fault: Fault, times?: number): void;
  /** Which validators the server sends and honours. */
  validators: 'etag' | 'last-modified' | 'both' | 'none';
  close(): Promise<void>;
}

const LAST_MODIFIED = 'Thu, 14 Aug 2025 08:30:00 GMT';

export async function startAeSite(): Promise<AeSite> {
  const bodies = new Map<string, string>();
  const faults = new Map<string, { fault: Fault; times: number }>();
  const site: AeSite = {
    origin: '',
    baseUrl: '',
    requests: [],
    validators: 'both',
    setBody: (at, body) => bodies.set(at, body),
    fail: (at, fault, times = Number.POSITIVE_INFINITY) => faults.set(at, { fault, times }),
    close: async () => {},
  };

  const server = await startLocalServer((request: IncomingMessage, response: ServerResponse) => {
    // A body set for a path with its query (an ODS report) is served for that query only.
    const url = new URL(request.url ?? '/', 'http://fixture');
    const at = bodies.has(`${url.pathname}${url.search}`) ? `${url.pathname}${url.search}` : url.pathname;
    const fault = faults.get(at);
    if (fault && fault.times > 0) {
      fault.times -= 1;
      return misbehave(fault.fault, request, response, bodyFor(at, bodies) ?? '');
    }
    // WordPress answers a page path without its trailing slash with a redirect to it.
    if (AE_PAGES[`${at}/`] !== undefined) {
      response.writeHead(301, { location: `${at}/` }).end();
      return;
    }
    const body = bodyFor(at, bodies);
    if (body === undefined) {
      response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Page not found</h1>');
      return;
    }
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
    const headers: Record<string, string> = { 'content-type': at.endsWith('/') ? 'text/html; charset=utf-8' : at.endsWith('.xls') ? 'application/vnd.ms-excel' : 'text/csv' };
    if (site.validators === 'etag' || site.validators === 'both') headers.etag = etag;
    if (site.validators === 'last-modified' || site.validators === 'both') headers['last-modified'] = LAST_MODIFIED;
    if (notModified(request, headers)) {
      response.writeHead(304, headers).end();
      return;
    }
    response.writeHead(200, { ...headers, 'content-length': String(Buffer.byteLength(body)) }).end(body);
  });
  site.origin = server.origin;
  site.baseUrl = server.origin;
  site.requests = server.requests;
  site.close = server.close;
  return site;
}

let workbook: Buffer | undefined;

function bodyFor(at: string, bodies: Map<string, string>): string | Buffer | undefined {
  const set = bodies.get(at);
  if (set !== undefined) return set;
  const page = AE_PAGES[at];
  if (page !== undefined) return fixturePage(page);
  if (at.startsWith(UPLOADS) && at.endsWith('.csv')) return syntheticAeCsv(at);
  // Discovery offers a month's .xls when its page lists no CSV: one synthetic provider workbook
  // (its own month inside) stands for all of them.
  if (at.startsWith(UPLOADS) && at.endsWith('.xls')) return (workbook ??= Buffer.from(aeWorkbook('ae-xls-2018')));
  return undefined;
}

function notModified(request: IncomingMessage, headers: Record<string, string>): boolean {
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch !== undefined) return headers.etag !== undefined && ifNoneMatch === headers.etag;
  const ifModifiedSince = request.headers['if-modified-since'];
  return ifModifiedSince !== undefined && headers['last-modified'] !== undefined && Date.parse(ifModifiedSince) >= Date.parse(headers['last-modified']);
}

function misbehave(fault: Fault, request: IncomingMessage, response: ServerResponse, body: string | Buffer): void {
  switch (fault) {
    case 'not-found':
      response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Page not found</h1>');
      return;
    case 'server-error':
      response.writeHead(503, { 'content-type': 'text/html' }).end('<h1>Service unavailable</h1>');
      return;
    case 'empty':
      response.writeHead(200, { 'content-type': 'text/csv', 'content-length': '0' }).end();
      return;
    case 'truncate': {
      const bytes = Buffer.from(body);
      response.writeHead(200, { 'content-type': 'text/csv', 'content-length': String(bytes.length) });
      response.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => request.socket.destroy());
      return;
    }
    case 'close':
      request.socket.destroy();
      return;
    case 'hang':
      return;
  }
}

/** Effects for tests: fetch confined to the local site, warnings collected, a fixed clock. */
export function siteEffects(site: AeSite, now = new Date('2026-06-11T09:30:00Z')): Effects & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    fetch: fetchOnly(site.origin),
    logger: { info: () => {}, debug: () => {}, warn: (message: string) => void warnings.push(message) } as unknown as Effects['logger'],
    now: () => now,
    warnings,
  };
}
