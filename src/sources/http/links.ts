import { createRequire } from 'node:module';
import type { Effects } from '../contract.js';
import { DEFAULT_RETRY, fetchPage, type RetryPolicy } from './request.js';
import { rebase } from './urls.js';

type Linkedom = typeof import('linkedom');
let linkedom: Linkedom | undefined;

/**
 * linkedom (with its CSS-selector and HTML-parser stack) loads on the first page read, not when
 * the CLI starts: ingesting files never reads a page (issue 10 item 5). createRequire keeps
 * extractLinks synchronous.
 */
function loadLinkedom(): Linkedom {
  linkedom ??= createRequire(import.meta.url)('linkedom') as Linkedom;
  return linkedom;
}

/** One followable link on a page. */
export interface PageLink {
  /** Absolute URL: the href resolved against the page (or its `<base href>`). */
  href: string;
  /** Visible text, whitespace collapsed; typographic characters (–, ’) kept as published. */
  text: string;
  /**
   * Text of the nearest heading above the link. NHS England year pages put each month's
   * links under a heading such as "January 2017" (publications.md §2.1), so this is the
   * last resort for a link whose text and file name do not say the month.
   */
  heading?: string;
}

const followable = new Set(['http:', 'https:']);

/** Collapses runs of whitespace, including no-break spaces, to one space and trims. */
export function normaliseText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Every `<a href>` on an HTML page, in document order. Anchors without an href (named
 * in-page targets), in-page jumps (`#Apr25`, or the page's own URL with a fragment) and
 * non-web schemes (mailto:, javascript:) are left out; they lead to no file
 * (publications.md §1.4). Navigation links are kept: choosing links is the caller's job.
 */
export function extractLinks(html: string, pageUrl: string): PageLink[] {
  const { document } = loadLinkedom().parseHTML(html);
  const page = new URL(pageUrl);
  const declaredBase = document.querySelector('base[href]')?.getAttribute('href');
  const base = declaredBase && URL.canParse(declaredBase, page.href) ? new URL(declaredBase, page) : page;

  const links: PageLink[] = [];
  let heading: string | undefined;
  for (const element of document.querySelectorAll('h1, h2, h3, h4, h5, h6, a')) {
    if (element.tagName !== 'A') {
      heading = normaliseText(element.textContent ?? '') || heading;
      continue;
    }
    const href = element.getAttribute('href')?.trim();
    if (!href || href.startsWith('#') || !URL.canParse(href, base.href)) continue;
    const target = new URL(href, base);
    if (!followable.has(target.protocol)) continue;
    if (target.hash !== '' && sameDocument(target, page)) continue;
    const text = normaliseText(element.textContent ?? '') || normaliseText(element.getAttribute('title') ?? '');
    links.push(heading === undefined ? { href: target.href, text } : { href: target.href, text, heading });
  }
  return links;
}

function sameDocument(a: URL, b: URL): boolean {
  return a.origin === b.origin && a.pathname === b.pathname && a.search === b.search;
}

/**
 * Fetches a page and returns its links, with links to NHS England's own host moved onto the
 * configured base URL (see `rebase`) so that a mirror or test server is followed, not the
 * live site.
 */
export async function fetchLinks(
  pageUrl: string,
  baseUrl: string,
  io: Pick<Effects, 'fetch' | 'logger'>,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<PageLink[]> {
  const page = await fetchPage(pageUrl, io, policy);
  return extractLinks(page.html, page.url).map((link) => ({ ...link, href: rebase(link.href, baseUrl) }));
}
