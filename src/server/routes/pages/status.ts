import type { FastifyPluginAsync } from 'fastify';
import { getFreshness, type CollectionFreshness } from '../../../assessment/freshness.js';

/**
 * /status: each collection's newest month and publication date, and what the server's refresher
 * last found (issue 11). The JSON is /api/v1/status. Cached per store version like every page:
 * the refresher writes its state to the store, so each check makes a new version.
 */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** '2026-01-08T09:30:12.000Z' → '8 January 2026 at 09:30 UTC'. */
export function timeText(iso: string): string {
  const date = new Date(iso);
  const hours = String(date.getUTCHours()).padStart(2, '0');
  const minutes = String(date.getUTCMinutes()).padStart(2, '0');
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} at ${hours}:${minutes} UTC`;
}

/** 86_400_000 → 'day', 21_600_000 → '6 hours', for "every day", "every 6 hours". */
export function intervalWords(ms: number): string {
  for (const [word, size] of [['day', 86_400_000], ['hour', 3_600_000], ['minute', 60_000], ['second', 1000]] as const) {
    if (ms % size === 0) return ms === size ? word : `${ms / size} ${word}s`;
  }
  return `${ms} ms`;
}

function row(key: string, value: string) {
  return { key: { text: key }, value: { text: value } };
}

function statusRows(entry: CollectionFreshness, refreshing: boolean) {
  const rows = [
    row('Figures to', entry.latestLabel ?? 'No figures held yet'),
    row('Published', entry.publishedLabel ? `${entry.publishedLabel}${entry.edition && entry.edition !== 'first' ? ` (${entry.edition})` : ''}` : entry.latestLabel ? 'Not stated by the file, its name or its page' : '–'),
  ];
  if (!entry.fetchable) {
    rows.push(row('Publication pages', 'Not read automatically: ingest these files with planwatch ingest'));
    return rows;
  }
  rows.push(row('Pages last checked', entry.lastChecked ? timeText(entry.lastChecked) : 'Not yet'));
  rows.push(row('Publications waiting', entry.waiting === 0 ? 'None' : `${entry.waiting} found on the pages, not yet in the figures`));
  rows.push(row('Last error', entry.lastError ? `${entry.lastError}${entry.lastErrorAt ? ` (${timeText(entry.lastErrorAt)}${entry.attempts > 0 ? `, ${entry.attempts} failed ${entry.attempts === 1 ? 'check' : 'checks'} in a row` : ''})` : ''}` : 'None'));
  if (refreshing && entry.nextCheck) rows.push(row('Next check', timeText(entry.nextCheck)));
  return rows;
}

function tagOf(entry: CollectionFreshness): { text: string; classes: string } | undefined {
  if (!entry.fetchable) return undefined;
  if (entry.running) return { text: 'Checking', classes: 'nhsuk-tag--blue' };
  if (entry.attempts > 0) return { text: 'Cannot check', classes: 'nhsuk-tag--red' };
  if (entry.lastError) return { text: 'Files refused', classes: 'nhsuk-tag--orange' };
  if (entry.lastChecked) return { text: 'Up to date', classes: 'nhsuk-tag--green' };
  return undefined;
}

export const statusRoutes: FastifyPluginAsync = async (fastify) => {
  // Not cached: the refresher's state changes without a new store version (it changes no figure),
  // and the page is one small query and a render.
  fastify.get('/status', async (_request, reply) => {
    const page = await (async () => {
      const entries = await getFreshness(fastify.store);
      const refreshing = fastify.refreshMs !== null;
      const refreshText = refreshing
        ? `This server checks NHS England's publication pages every ${intervalWords(fastify.refreshMs!)} and adds new and revised files as they appear. A check that fails is tried again after a minute, then after longer waits, up to six hours.`
        : 'This server does not check the publication pages by itself: new figures arrive when someone runs planwatch fetch or planwatch ingest.';
      const collections = entries
        .filter((entry) => entry.latestPeriod !== null || entry.fetchable)
        .map((entry) => ({ collection: entry.collection, title: entry.title, tag: tagOf(entry), rows: statusRows(entry, refreshing) }));
      return fastify.renderPage('pages/status.njk', { title: 'Data status', collections, refreshText });
    })();
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(page);
  });
};
