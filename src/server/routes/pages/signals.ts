import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { describeOrg, orgDirectory } from '../../../assessment/index.js';
import { getSignals } from '../../../assessment/signals.js';
import { PERIOD_PATTERN, periodLabel } from '../../../measures/periods.js';
import { atomFeed, orgLabel, signalEntry, type SignalEntry } from '../../signals.js';
import { parseInput } from '../api/schemas.js';

/**
 * What changed in the figures (issue 13): /signals (a month at a time), /org/:code/signals, and
 * Atom feeds of both. Feeds carry absolute links built from the request's host, so they are
 * built per request from the memoised signals rather than cached whole.
 */
const FEED_ENTRIES = 500;
const signalsQuery = z.object({ period: z.union([z.literal(''), z.string().regex(PERIOD_PATTERN, 'must be a month as YYYY-MM, e.g. 2025-03')]).optional() });

async function entries(fastify: FastifyInstance): Promise<{ entries: SignalEntry[]; names: Map<string, string> }> {
  const names = new Map((await orgDirectory(fastify.store)).map((org) => [org.code, org.name]));
  return { entries: (await getSignals(fastify.store)).map((signal) => signalEntry(signal, names)), names };
}

function baseOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

const ATOM = 'application/atom+xml; charset=utf-8';

export const signalRoutes: FastifyPluginAsync = async (fastify) => {
  fastify.get('/signals.atom', async (request, reply) => {
    const { entries: all } = await entries(fastify);
    return reply.type(ATOM).send(atomFeed({ id: 'tag:planwatch,2026:signals', title: 'Planwatch: what changed in the NHS England figures', base: baseOf(request), self: '/signals.atom', page: '/signals', entries: all.slice(0, FEED_ENTRIES) }));
  });

  fastify.get('/org/:code/signals.atom', async (request, reply) => {
    const org = await describeOrg(fastify.store, (request.params as { code: string }).code);
    const { entries: all, names } = await entries(fastify);
    return reply.type(ATOM).send(atomFeed({
      id: `tag:planwatch,2026:signals/${org.code}`,
      title: `Planwatch: what changed for ${orgLabel(org.code, names)}`,
      base: baseOf(request),
      self: `/org/${org.code}/signals.atom`,
      page: `/org/${org.code}/signals`,
      entries: all.filter((entry) => entry.org === org.code),
    }));
  });

  fastify.get('/signals', async (request, reply) => {
    const { period } = parseInput(signalsQuery, request.query, 'Query parameter');
    return fastify.sendCached(request, reply, async () => {
      const { entries: all, names } = await entries(fastify);
      const months = [...new Set(all.map((entry) => entry.period))].sort().reverse();
      const shown = period || months[0] || '';
      const rows = all.filter((entry) => entry.period === shown);
      return {
        type: 'text/html; charset=utf-8',
        body: await fastify.renderPage('pages/signals.njk', {
          title: `What changed${shown ? `, ${periodLabel(shown)}` : ''}`,
          nav: 'signals',
          crumbs: [{ href: '/', text: 'Home' }],
          feed: '/signals.atom',
          period: shown,
          monthItems: months.map((month) => ({ value: month, text: periodLabel(month), selected: month === shown })),
          groups: groupByOrg(rows, names),
          count: rows.length,
        }),
      };
    }, { period });
  });

  fastify.get('/org/:code/signals', async (request, reply) => {
    const { code } = request.params as { code: string };
    if (code !== code.toUpperCase()) return reply.redirect(`/org/${encodeURIComponent(code.toUpperCase())}/signals`, 301);
    return fastify.sendCached(request, reply, async () => {
      const org = await describeOrg(fastify.store, code);
      const { entries: all, names } = await entries(fastify);
      const rows = all.filter((entry) => entry.org === org.code);
      const name = orgLabel(org.code, names);
      return {
        type: 'text/html; charset=utf-8',
        body: await fastify.renderPage('pages/signals.njk', {
          title: `What changed for ${name}`,
          nav: 'signals',
          crumbs: [{ href: '/', text: 'Home' }, { href: `/org/${org.code}`, text: name }],
          feed: `/org/${org.code}/signals.atom`,
          orgName: name,
          groups: groupByMonth(rows),
          count: rows.length,
        }),
      };
    }, {});
  });
};

function groupByOrg(rows: readonly SignalEntry[], names: ReadonlyMap<string, string>) {
  const groups = new Map<string, SignalEntry[]>();
  for (const row of rows) groups.set(row.org, [...(groups.get(row.org) ?? []), row]);
  return [...groups].map(([org, items]) => ({ heading: orgLabel(org, names), href: `/org/${org}/signals`, items }));
}

function groupByMonth(rows: readonly SignalEntry[]) {
  const groups = new Map<string, SignalEntry[]>();
  for (const row of rows) groups.set(row.period, [...(groups.get(row.period) ?? []), row]);
  return [...groups].map(([period, items]) => ({ heading: periodLabel(period), items }));
}
