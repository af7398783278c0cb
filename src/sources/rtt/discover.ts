import { parseHTML } from 'linkedom';
import { PlanwatchError } from '../../errors.js';
import type { Effects, Publication } from '../contract.js';
import { monthNumber, toPeriod } from '../months.js';

/**
 * Finds each month's RTT waiting-list file on NHS England's site (publications.md §4, §10):
 * year pages are found from the RTT landing page, never built from a template, and on each
 * year page the "Full CSV data file <MonYY> (ZIP, …)" link is taken for a month, or the
 * "Incomplete Provider <MonYY> (XLSX, …)" workbook when no zip is listed.
 */
export const LANDING_PATH = '/statistics/statistical-work-areas/rtt-waiting-times/';
const USER_AGENT = 'Planwatch/0.1 (reads NHS England performance statistics)';

export interface PageLink {
  url: string;
  /** Anchor text, whitespace collapsed, en dash read as a hyphen. */
  text: string;
}

/** Every <a href> of a page, resolved against the page's address; in-page anchors left out. */
export function pageLinks(html: string, pageUrl: string): PageLink[] {
  const { document } = parseHTML(html);
  const links: PageLink[] = [];
  for (const anchor of document.querySelectorAll('a[href]')) {
    const href = (anchor.getAttribute('href') ?? '').trim();
    if (!href || href.startsWith('#')) continue;
    let url: URL;
    try {
      url = new URL(href, pageUrl);
    } catch {
      // A malformed href is one of the page's ~150 navigation links at worst: not a data file.
      continue;
    }
    url.hash = '';
    const text = (anchor.textContent ?? '').replace(/\s+/g, ' ').replace(/[\u2013\u2014]/g, '-').trim();
    links.push({ url: url.href, text });
  }
  return links;
}

/** Financial-year pages ("rtt-data-2024-25", with or without a trailing slash), one per year. */
export function yearPages(links: readonly PageLink[]): { year: string; url: string }[] {
  const byYear = new Map<string, string>();
  for (const link of links) {
    const match = /\/rtt-data-(\d{4})-(\d{2})\/?$/.exec(new URL(link.url).pathname);
    if (!match || byYear.has(`${match[1]}-${match[2]}`)) continue;
    byYear.set(`${match[1]}-${match[2]}`, link.url);
  }
  return [...byYear.entries()].map(([year, url]) => ({ year, url })).sort((a, b) => b.year.localeCompare(a.year));
}

type Kind = 'full-extract' | 'incomplete-provider';

interface Candidate extends Publication {
  kind: Kind;
  folder: string;
}

function kindOf(text: string): Kind | undefined {
  if (/\bfull (extract )?csv data file\b/i.test(text)) return 'full-extract';
  if (/^incomplete provider\b/i.test(text)) return 'incomplete-provider';
  return undefined;
}

/** The data month from "Jul25" (anchor text first, then the file name) or "July 2025". */
export function periodFromText(...texts: string[]): string | undefined {
  for (const text of texts) {
    for (const [, name, year] of text.matchAll(/(?:^|[^A-Za-z])([A-Za-z]{3})-?(\d{2})(?![0-9])/g)) {
      const month = monthNumber(name!);
      if (month) return toPeriod(2000 + Number(year), month);
    }
    for (const [, name, year] of text.matchAll(/\b([A-Za-z]+)[ -](\d{4})\b/g)) {
      const month = monthNumber(name!);
      if (month) return toPeriod(Number(year), month);
    }
  }
  return undefined;
}

/** RTT waiting-list publications, one per month (oldest first), from `since` when given. */
export async function* discoverRtt(opts: { since?: string | undefined; baseUrl: string }, io: Effects): AsyncGenerator<Publication> {
  const landing = new URL(LANDING_PATH, opts.baseUrl).href;
  const years = yearPages(pageLinks(await getText(io, landing), landing))
    // A year page "2024-25" holds April 2024 to March 2025.
    .filter(({ year }) => !opts.since || `${Number(year.slice(0, 4)) + 1}-03` >= opts.since);
  if (years.length === 0) throw new PlanwatchError('E_FETCH', `${landing}: no RTT year pages ("rtt-data-YYYY-YY") linked; the page may have changed.`, { file: landing });
  const chosen = new Map<string, Candidate>();
  for (const { year, url } of years) {
    const found = filesOnYearPage(pageLinks(await getText(io, url), url));
    io.logger.info({ year, files: found.length }, 'RTT year page read');
    for (const candidate of found) {
      if (opts.since && candidate.period! < opts.since) continue;
      const current = chosen.get(candidate.period!);
      if (!current || preferred(candidate, current)) chosen.set(candidate.period!, candidate);
    }
  }
  for (const period of [...chosen.keys()].sort()) {
    const { collection, url, name, title, revised } = chosen.get(period)!;
    yield { collection, url, name, period, ...(title ? { title } : {}), ...(revised ? { revised } : {}) };
  }
}

function filesOnYearPage(links: readonly PageLink[]): Candidate[] {
  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  for (const link of links) {
    const path = new URL(link.url).pathname;
    const kind = kindOf(link.text);
    if (!kind || !/\/wp-content\/uploads\//.test(path) || seen.has(link.url)) continue;
    seen.add(link.url);
    const name = decodeURIComponent(path.split('/').at(-1) ?? '');
    const period = periodFromText(link.text.replace(/\(.*\)/, ''), name);
    if (!period) continue;
    const folder = /\/uploads\/sites\/\d+\/(\d{4}\/\d{2})\//.exec(path)?.[1] ?? '';
    candidates.push({ collection: 'rtt', url: link.url, name, period, title: link.text, revised: /revis/i.test(name) || /revis/i.test(link.text), kind, folder });
  }
  return candidates;
}

// One file per month: the full extract (every provider and commissioner) over the workbook,
// then a revised file over the original, then the later upload folder (publications.md §10.5).
function preferred(a: Candidate, b: Candidate): boolean {
  if (a.kind !== b.kind) return a.kind === 'full-extract';
  if (a.revised !== b.revised) return a.revised === true;
  return a.folder > b.folder;
}

async function getText(io: Effects, url: string): Promise<string> {
  // One retry: the site has been seen to answer a real page with a 404 or an empty body once.
  for (let attempt = 1; ; attempt++) {
    let problem: string;
    try {
      const response = await io.fetch(url, { headers: { 'user-agent': USER_AGENT, accept: 'text/html' } });
      const text = response.ok ? await response.text() : '';
      if (response.ok && text.trim() !== '') return text;
      problem = response.ok ? 'an empty page' : `${response.status} ${response.statusText}`.trim();
    } catch (error) {
      if (attempt >= 2) throw new PlanwatchError('E_FETCH', `${url}: could not fetch (${(error as Error).message}).`, { file: url }, { cause: error });
      io.logger.warn({ url, error: (error as Error).message }, 'retrying');
      continue;
    }
    if (attempt >= 2) throw new PlanwatchError('E_FETCH', `${url}: NHS England answered ${problem}.`, { file: url });
    io.logger.warn({ url, problem }, 'retrying');
  }
}
