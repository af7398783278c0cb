import type { FastifyPluginAsync } from 'fastify';
import { getSeriesWithSpc, getStatus, latestPeriod, orgDirectory, periodsOf, searchOrgs, type DirectoryEntry } from '../../../assessment/index.js';
import type { Store } from '../../../store/store.js';
import { ENGLAND, LEVELS } from '../../../dimensions.js';
import { MEASURES, findMeasure, measureById, type MeasureDefinition } from '../../../measures/index.js';
import { PERIOD_PATTERN, addMonths, periodLabel } from '../../../dimensions.js';
import { guidanceYearOf, leadingMonth, splitByGuidanceYear } from '../../../assessment/guidance-years.js';
import { reportContext } from '../../report/report.js';
import { valueText } from '../../format.js';
import { API_ROUTES } from '../api/index.js';
import { parseInput } from '../api/schemas.js';
import { leaguePage, leagueQuery } from './league.js';
import { orgChartFile, orgMeasurePage, orgPage } from './org.js';
import { CHART_MONTHS, assessedText, gapText, levelPlural, levelText, regionText, spcIcons, statusText, verdictOf } from './present.js';
import { z } from 'zod';

/**
 * The pages: England's position (/), organisation search (/search), an organisation (/org/:code),
 * league tables (/league, /league/:metric) and the open-data page (/api). Every page is a plain
 * GET that works without JavaScript; finished pages are cached per store version.
 */
const searchQuery = z.object({ q: z.string().max(100).optional() });
const reportQuery = z.object({ period: z.union([z.literal(''), z.string().regex(PERIOD_PATTERN, 'must be a month as YYYY-MM, e.g. 2025-03')]).optional() });

/** League tables worth linking to: measures whose collection has been ingested. */
async function measuresWithFigures(store: Store): Promise<MeasureDefinition[]> {
  const present = await Promise.all(MEASURES.map(async (measure) => (await periodsOf(store, measure.collection)).length > 0));
  return MEASURES.filter((_, i) => present[i]);
}

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const pages: FastifyPluginAsync = async (fastify) => {
  const html = 'text/html; charset=utf-8';

  fastify.get('/', async (request, reply) =>
    fastify.sendCached(request, reply, async () => {
      const store = fastify.store;
      const status = await getStatus(store, ENGLAND);
      const cards = await Promise.all(status.lines.map(async (line) => {
        const measure = measureById(line.metric);
        const latest = await latestPeriod(store, measure.collection);
        const from = addMonths(latest ?? line.assessedPeriod, -(CHART_MONTHS - 1));
        const { spc } = await getSeriesWithSpc(store, ENGLAND, line.metric, { from, ...(line.threshold !== null ? { threshold: line.threshold } : {}) });
        return {
          title: line.title,
          value: valueText(line.value, line.unit),
          period: assessedText(line),
          verdict: verdictOf(line),
          gap: gapText(line.gap, line.unit),
          lastMet: line.lastMet ? periodLabel(line.lastMet, measure.frequency) : 'never in the data',
          ...(line.due && !line.final ? { note: `Due ${periodLabel(line.due)}: this is the position so far.` } : {}),
          href: `/org/${ENGLAND}/${line.metric}`,
          linkText: `England's ${measure.short} chart`,
          source: { title: line.source.document, url: line.source.url },
          headingLevel: 3,
          // A target whose month has passed is settled: SPC icons describe the present, so they
          // go only with standing standards and targets still to come.
          ...(line.due === null || !line.final ? { iconsHtml: spcIcons(spc) } : {}),
          guidanceYear: guidanceYearOf(line.targetId),
        };
      }));
      const period = status.period;
      // As an organisation's scorecard: today's guidance year leads, earlier years' targets fold away.
      const { shown, earlier, year } = splitByGuidanceYear(cards, (card) => card.guidanceYear, leadingMonth(period, new Date()));
      return {
        type: html,
        body: await fastify.renderPage('pages/home.njk', {
          title: 'England against the NHS targets', nav: 'home', cards: shown, earlier, year, period, measures: await measuresWithFigures(store),
        }),
      };
    }, {}));

  fastify.get('/search', async (request, reply) => {
    const { q } = parseInput(searchQuery, request.query, 'Query parameter');
    const query = q?.trim() ?? '';
    const results = query ? await searchOrgs(fastify.store, query) : [];
    // A code, or one organisation's whole name (as the suggestions offer it), goes straight to its
    // page; anything else lists the matches to choose from.
    const wanted = query.toUpperCase();
    const byName = results.filter((org) => org.name.toUpperCase() === wanted);
    const exact = results[0]?.code === wanted ? results[0] : byName.length === 1 ? byName[0] : undefined;
    if (exact) return reply.redirect(`/org/${exact.code}`, 303);
    const directory = await orgDirectory(fastify.store);
    const latest = directory[0]?.lastPeriod ?? null;
    const described = (org: DirectoryEntry) => ({
      ...org,
      levelText: levelText(org.level),
      regionName: regionText(org.region),
      status: statusText(org, latest),
    });
    // Without a query, every organisation by kind: a list to browse, and the whole of search in
    // the static export, where there is no server to ask.
    const browse = query ? [] : LEVELS.map((level) => ({
      heading: level === 'england' ? 'England' : sentence(levelPlural(level)),
      orgs: directory.filter((org) => org.level === level).sort((a, b) => a.name.localeCompare(b.name)).map(described),
    })).filter((group) => group.orgs.length > 0);
    return reply.type(html).send(await fastify.renderPage('pages/search.njk', {
      title: query ? `Search results for “${query}”` : 'Find an organisation', nav: 'search', query, results: results.map(described), browse,
    }));
  });

  fastify.get('/org/:code', async (request, reply) => {
    const { code } = request.params as { code: string };
    // One address per organisation: /org/rhu and /org/RHU are the same page.
    if (code !== code.toUpperCase()) return reply.redirect(`/org/${encodeURIComponent(code.toUpperCase())}`, 301);
    return fastify.sendCached(request, reply, async () => ({ type: html, body: await orgPage(fastify, code) }), {});
  });

  fastify.get('/org/:code/report', async (request, reply) => {
    const { code } = request.params as { code: string };
    const { period } = parseInput(reportQuery, request.query, 'Query parameter');
    if (code !== code.toUpperCase()) return reply.redirect(`/org/${encodeURIComponent(code.toUpperCase())}/report${period ? `?period=${period}` : ''}`, 301);
    return fastify.sendCached(request, reply, async () => {
      const context = await reportContext(fastify, code, period || undefined);
      return {
        type: html,
        body: await fastify.renderPage('pages/report.njk', {
          ...context,
          nav: 'search',
          crumbs: [{ href: '/', text: 'Home' }, { href: `/org/${context.org.code}`, text: context.org.name }],
        }),
      };
    }, { period });
  });

  // An organisation page's charts, each an SVG file shown by an <img> (spcChartImage). Shown as an
  // image it runs no script and loads nothing, so its policy allows only its own <style>.
  fastify.get('/org/:code/:metric/chart.svg', async (request, reply) => {
    const { code, metric } = request.params as { code: string; metric: string };
    if (code !== code.toUpperCase()) return reply.redirect(`/org/${encodeURIComponent(code.toUpperCase())}/${encodeURIComponent(metric)}/chart.svg`, 301);
    return fastify.sendCached(request, reply, async () => ({
      type: 'image/svg+xml; charset=utf-8',
      body: await orgChartFile(fastify, code, metric),
      headers: { 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" },
    }), {});
  });

  fastify.get('/org/:code/:metric', async (request, reply) => {
    const { code, metric } = request.params as { code: string; metric: string };
    if (code !== code.toUpperCase()) return reply.redirect(`/org/${encodeURIComponent(code.toUpperCase())}/${encodeURIComponent(metric)}`, 301);
    return fastify.sendCached(request, reply, async () => ({ type: html, body: await orgMeasurePage(fastify, code, metric) }), {});
  });

  fastify.get('/league', async (request, reply) =>
    fastify.sendCached(request, reply, async () => ({
      type: html,
      body: await fastify.renderPage('pages/league-index.njk', { title: 'League tables', nav: 'league', measures: await measuresWithFigures(fastify.store) }),
    }), {}));

  fastify.get('/league/:metric', async (request, reply) => {
    const metric = (request.params as { metric: string }).metric;
    measureById(metric);
    const query = parseInput(leagueQuery, request.query, 'Query parameter');
    return fastify.sendCached(request, reply, async () => ({ type: html, body: await leaguePage(fastify, metric, query) }), query);
  });

  fastify.get('/api', async (request, reply) =>
    fastify.sendCached(request, reply, async () => {
      const example = findMeasure('ae_4hr') ?? MEASURES[0]!;
      const period = (await latestPeriod(fastify.store, example.collection)) ?? '';
      const routes = API_ROUTES.map((route) => ({
        path: `/api/v1${route.path}`,
        summary: route.summary,
        example: `/api/v1${route.path.replace(':org', ENGLAND).replace(':metric', example.id)}${route.path.startsWith('/league') && period ? `?period=${period}` : ''}`,
      }));
      return { type: html, body: await fastify.renderPage('pages/api.njk', { title: 'Open data and API', nav: 'api', routes }) };
    }, {}));
};
