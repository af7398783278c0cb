import { DEFAULT_BASE_URL } from '../../config.js';

/** The shapes of NHS England URLs: where pages live, what a file is called, when it was uploaded. */

const NHS_ENGLAND_HOSTS = new Set([new URL(DEFAULT_BASE_URL).host, 'england.nhs.uk']);

/**
 * A URL on NHS England's site, under the configured base URL: `siteUrl(base,
 * 'statistics/…/')`. A base with a path (a mirror at http://host/mirror/) keeps its path.
 */
export function siteUrl(baseUrl: string, sitePath: string): string {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return new URL(sitePath.replace(/^\/+/, ''), base).href;
}

/**
 * Moves a link that points at NHS England's own host onto the configured base URL. Real
 * pages mix absolute `https://www.england.nhs.uk/…` and site-relative hrefs (publications.md
 * §1.2); without this a local mirror or test server would send requests to the live site.
 * With the default base URL nothing changes.
 */
export function rebase(url: string, baseUrl: string): string {
  const target = new URL(url);
  if (!NHS_ENGLAND_HOSTS.has(target.host) || new URL(baseUrl).host === target.host) return url;
  return siteUrl(baseUrl, target.pathname + target.search + target.hash);
}

/**
 * The file name a link points to: the last path segment, percent-decoding undone
 * (`Monthly-AE-June-2025-1-1.csv`).
 */
export function fileNameOf(url: URL): string {
  const segment = url.pathname.split('/').pop() ?? '';
  try {
    return decodeURIComponent(segment);
  } catch (error) {
    // A stray "%" that is not an escape: the name is what the page wrote.
    if (error instanceof URIError) return segment;
    throw error;
  }
}

/**
 * The WordPress upload folder of a file link, 'YYYY-MM' (`…/uploads/sites/2/2024/10/…` →
 * '2024-10'). It is the month the file was uploaded, not the month its data describe
 * (publications.md §1.2): use it only to order two uploads of the same month.
 */
export function uploadFolderOf(url: URL): string | undefined {
  const match = /\/uploads\/(?:sites\/\d+\/)?(\d{4})\/(\d{2})\//.exec(url.pathname);
  return match ? `${match[1]}-${match[2]}` : undefined;
}
