import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { getLeague, getSeriesWithSpc, getStatus, orgDirectory, pointJson, searchOrgs } from '../../../assessment/index.js';
import type { MeasureDefinition } from '../../../measures/index.js';
import { getFreshness } from '../../../assessment/freshness.js';
import type { ObservationRow } from '../../../store/observations.js';
import { getObservations } from '../../../assessment/observations.js';
import { listTargets } from '../../../assessment/target-list.js';
import { formatInterval } from '../../../config.js';
import { loadTargets } from '../../../targets/load.js';
import type { CsvColumn } from '../../csv.js';
import type { CachedResponse } from '../../cache.js';
import { PARQUET_TYPE } from '../../../store/parquet.js';
import { tableOf, type Table } from '../../table.js';
import { openApiDocument } from './openapi.js';
import * as schema from './schemas.js';

/**
 * The JSON (and CSV) API. Each route is data: path, schemas and handler; the OpenAPI document at
 * /api/v1/openapi.json is generated from this list, so every route is in it. Handlers call the
 * same assessment functions as the pages.
 */
export interface ApiRoute {
  path: string;
  summary: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  response: z.ZodType;
  /** Offers ?format=csv and ?format=parquet: the rows of the answer a spreadsheet or data tool wants. */
  csv?: true;
  /** Built for every request, never cached: the answer changes without a new store version. */
  live?: true;
  /** `table` holds those rows; `filename` is the download's name without its extension. */
  handler(input: { params: Record<string, string>; query: Record<string, unknown>; request: FastifyRequest }): Promise<{ json: unknown; table?: Table; filename?: string }>;
}

export function measureJson(measure: MeasureDefinition) {
  const { id, title, short, unit, direction, frequency } = measure;
  return { id, title, short, unit, direction, frequency };
}

/** Observations' columns, the same in CSV, Parquet and the static export's observations file. */
export const OBSERVATION_COLUMNS: CsvColumn<ObservationRow>[] = [
  { header: 'collection', value: (o) => o.collection },
  { header: 'metric', value: (o) => o.metric },
  { header: 'org', value: (o) => o.org },
  { header: 'period', value: (o) => o.period },
  { header: 'value', type: 'number', value: (o) => o.value },
  { header: 'note', value: (o) => o.note },
  { header: 'current', type: 'boolean', value: (o) => o.current },
  { header: 'file', value: (o) => o.file },
  { header: 'sha256', value: (o) => o.sha256 },
  { header: 'published', value: (o) => o.published },
  { header: 'edition', value: (o) => o.edition },
  { header: 'line', type: 'integer', value: (o) => o.line },
  { header: 'column', value: (o) => o.column },
];

const round = (value: number | null | undefined) => (value === null || value === undefined ? null : Math.round(value * 1e6) / 1e6);

export const API_ROUTES: ApiRoute[] = [
  {
    path: '/status',
    summary: "How fresh the figures are: each collection's newest month and its publication date, when the server last checked the publication pages, the last error and how many publications are waiting",
    query: schema.freshnessQuery,
    response: schema.freshnessResponse,
    csv: true,
    live: true,
    async handler({ request }) {
      const collections = await getFreshness(request.server.store);
      const refreshMs = request.server.refreshMs;
      return {
        json: { refresh: { enabled: refreshMs !== null, interval: refreshMs === null ? null : formatInterval(refreshMs) }, collections },
        filename: 'planwatch-status',
        table: tableOf(collections, [
          { header: 'collection', value: (c) => c.collection },
          { header: 'title', value: (c) => c.title },
          { header: 'latest_period', value: (c) => c.latestPeriod },
          { header: 'published', value: (c) => c.published },
          { header: 'edition', value: (c) => c.edition },
          { header: 'last_checked', value: (c) => c.lastChecked },
          { header: 'last_error', value: (c) => c.lastError },
          { header: 'attempts', type: 'integer', value: (c) => c.attempts },
          { header: 'next_check', value: (c) => c.nextCheck },
          { header: 'waiting', type: 'integer', value: (c) => c.waiting },
        ]),
      };
    },
  },
  {
    path: '/targets',
    summary: 'Every target loaded: measure, comparator, threshold or rule (baseline, improvement, floor), due month, levels and source',
    query: schema.targetsQuery,
    response: schema.targetsResponse,
    csv: true,
    async handler() {
      const targets = listTargets(loadTargets());
      return {
        json: { targets },
        filename: 'planwatch-targets',
        table: tableOf(targets, [
          { header: 'id', value: (t) => t.id },
          { header: 'title', value: (t) => t.title },
          { header: 'measure', value: (t) => t.measure },
          { header: 'comparator', value: (t) => t.comparator },
          { header: 'threshold', type: 'number', value: (t) => t.threshold },
          { header: 'baseline_period', value: (t) => t.rule?.baselinePeriod },
          { header: 'improvement', type: 'number', value: (t) => t.rule?.improvement },
          { header: 'improvement_unit', value: (t) => t.rule?.improvementUnit },
          { header: 'floor', type: 'number', value: (t) => t.rule?.floor },
          { header: 'due', value: (t) => t.due },
          { header: 'levels', value: (t) => t.levels.join(' ') },
          { header: 'source_url', value: (t) => t.source.url },
          { header: 'reading', value: (t) => t.reading },
        ]),
      };
    },
  },
  {
    path: '/orgs',
    summary: 'Every organisation: England, regions, ICBs and trusts (ODS), other providers the publications list; or those matching q',
    query: schema.orgsQuery,
    response: schema.orgsResponse,
    csv: true,
    async handler({ query, request }) {
      const { q } = query as z.infer<typeof schema.orgsQuery>;
      const store = request.server.store;
      const orgs = q ? await searchOrgs(store, q) : await orgDirectory(store);
      return {
        json: { orgs },
        filename: 'planwatch-organisations',
        table: tableOf(orgs, [
          { header: 'code', value: (o) => o.code },
          { header: 'name', value: (o) => o.name },
          { header: 'level', value: (o) => o.level },
          { header: 'region', value: (o) => o.region },
          { header: 'icb', value: (o) => o.icb },
          { header: 'last_period', value: (o) => o.lastPeriod },
          { header: 'closed', value: (o) => o.closed },
        ]),
      };
    },
  },
  {
    path: '/series/:org/:metric',
    summary: "One organisation's series for a measure, with Making Data Count SPC limits, rules and icons",
    params: schema.seriesParams,
    query: schema.seriesQuery,
    response: schema.seriesResponse,
    csv: true,
    async handler({ params, query, request }) {
      const { from, to, as_of: asOf } = query as z.infer<typeof schema.seriesQuery>;
      const series = await getSeriesWithSpc(request.server.store, params.org!, params.metric!, { ...(from ? { from } : {}), ...(to ? { to } : {}), ...(asOf ? { asOf } : {}) });
      const points = series.points.map((point, i) => {
        const judged = series.spc.points[i]!;
        return {
          ...pointJson(point),
          mean: judged.mean,
          lpl: judged.lpl,
          upl: judged.upl,
          rules: judged.rules,
          pointType: judged.pointType,
        };
      });
      const columns: CsvColumn<(typeof points)[number]>[] = [
        { header: 'org', value: () => series.org.code },
        { header: 'metric', value: () => series.measure.id },
        { header: 'period', value: (p) => p.period },
        { header: 'value', type: 'number', value: (p) => round(p.value) },
        { header: 'numerator', type: 'number', value: (p) => p.numerator },
        { header: 'denominator', type: 'number', value: (p) => p.denominator },
        { header: 'mean', type: 'number', value: (p) => round(p.mean) },
        { header: 'lower_process_limit', type: 'number', value: (p) => round(p.lpl) },
        { header: 'upper_process_limit', type: 'number', value: (p) => round(p.upl) },
        { header: 'point_type', value: (p) => p.pointType },
        { header: 'note', value: (p) => p.note },
        { header: 'includes_estimates', value: (p) => (p.includesEstimates ? 'true' : '') },
        { header: 'basis', value: (p) => p.basis },
      ];
      return {
        json: {
          org: series.org,
          measure: measureJson(series.measure),
          points,
          variation: series.spc.variation,
          assurance: series.spc.assurance,
          ...(series.target ? { target: series.target } : {}),
          segments: series.spc.segments,
        },
        filename: `planwatch-${series.org.code}-${series.measure.id}`,
        table: tableOf(points, columns),
      };
    },
  },
  {
    path: '/league/:metric',
    summary: 'Organisations ranked on a measure for a month, optionally with the change since an earlier month',
    params: schema.metricParams,
    query: schema.leagueQuery,
    response: schema.leagueResponse,
    csv: true,
    async handler({ params, query, request }) {
      const { period, from, level, region, as_of: asOf } = query as z.infer<typeof schema.leagueQuery>;
      const league = await getLeague(request.server.store, params.metric!, { level, ...(period ? { period } : {}), ...(from ? { from } : {}), ...(region ? { region } : {}), ...(asOf ? { asOf } : {}) });
      const columns: CsvColumn<(typeof league.rows)[number]>[] = [
        { header: 'rank', type: 'integer', value: (r) => r.rank },
        { header: 'org', value: (r) => r.org },
        { header: 'name', value: (r) => r.name },
        { header: 'region', value: (r) => r.region },
        { header: 'period', value: () => league.period },
        { header: 'value', type: 'number', value: (r) => round(r.value) },
        { header: 'numerator', type: 'number', value: (r) => r.numerator },
        { header: 'denominator', type: 'number', value: (r) => r.denominator },
        { header: 'year_earlier', type: 'number', value: (r) => round(r.yearEarlier) },
        { header: 'change_on_year', type: 'number', value: (r) => round(r.change) },
        { header: 'target_met', type: 'boolean', value: (r) => r.targetMet },
        ...(league.from ? ([
          { header: `value_${league.from}`, type: 'number', value: (r: (typeof league.rows)[number]) => round(r.fromValue) },
          { header: 'change_since_from', type: 'number', value: (r: (typeof league.rows)[number]) => round(r.changeSinceFrom) },
          { header: 'improvement_rank', type: 'integer', value: (r: (typeof league.rows)[number]) => r.improvementRank },
        ] satisfies CsvColumn<(typeof league.rows)[number]>[]) : []),
      ];
      return {
        json: { ...league, measure: measureJson(league.measure) },
        filename: `planwatch-league-${league.measure.id}-${league.period}`,
        table: tableOf(league.rows, columns),
      };
    },
  },
  {
    path: '/status/:org',
    summary: 'Every applicable target for an organisation: value, threshold, met, gap and the last month met',
    params: schema.orgParams,
    query: schema.statusQuery,
    response: schema.statusResponse,
    csv: true,
    async handler({ params, query, request }) {
      const { period, as_of: asOf } = query as z.infer<typeof schema.statusQuery>;
      const status = await getStatus(request.server.store, params.org!, { ...(period ? { period } : {}), ...(asOf ? { asOf } : {}) });
      return {
        json: status,
        filename: `planwatch-status-${status.org.code}-${status.period}`,
        table: tableOf(status.lines, [
          { header: 'org', value: () => status.org.code },
          { header: 'target', value: (l) => l.targetId },
          { header: 'title', value: (l) => l.title },
          { header: 'metric', value: (l) => l.metric },
          { header: 'assessed_period', value: (l) => l.assessedPeriod },
          { header: 'value', type: 'number', value: (l) => round(l.value) },
          { header: 'comparator', value: (l) => l.comparator },
          { header: 'threshold', type: 'number', value: (l) => l.threshold },
          { header: 'met', type: 'boolean', value: (l) => l.met },
          { header: 'final', type: 'boolean', value: (l) => l.final },
          { header: 'gap', type: 'number', value: (l) => round(l.gap) },
          { header: 'last_met', value: (l) => l.lastMet },
          { header: 'projected_period', value: (l) => l.projection?.period },
          { header: 'projected_value', type: 'number', value: (l) => round(l.projection?.value) },
          { header: 'projected_low', type: 'number', value: (l) => round(l.projection?.low) },
          { header: 'projected_high', type: 'number', value: (l) => round(l.projection?.high) },
          { header: 'verdict', value: (l) => l.projection?.verdict },
          { header: 'needed_per_month', type: 'number', value: (l) => round(l.needed?.perMonth) },
          { header: 'needed_patients_per_month', type: 'number', value: (l) => round(l.needed?.patientsPerMonth) },
        ]),
      };
    },
  },
  {
    path: '/observations/:org',
    summary: "One organisation's figures as published (the raw fields behind the measures), current publications only, each with its file, line and column",
    params: schema.orgParams,
    query: schema.observationsQuery,
    response: schema.observationsResponse,
    csv: true,
    async handler({ params, query, request }) {
      const { collection, from, to } = query as z.infer<typeof schema.observationsQuery>;
      const answer = await getObservations(request.server.store, params.org!, { ...(collection ? { collection } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) });
      return {
        json: answer,
        filename: `planwatch-observations-${answer.org.code}${collection ? `-${collection}` : ''}`,
        table: tableOf(answer.observations, OBSERVATION_COLUMNS),
      };
    },
  },
];

export const api: FastifyPluginAsync = async (fastify) => {
  for (const route of API_ROUTES) {
    fastify.get(route.path, async (request: FastifyRequest, reply: FastifyReply) => {
      const params = route.params ? schema.parseInput(route.params, request.params, 'Path parameter') : {};
      const query = route.query ? schema.parseInput(route.query, request.query, 'Query parameter') : {};
      const build = async (): Promise<CachedResponse> => {
        const answer = await route.handler({ params: params as Record<string, string>, query: query as Record<string, unknown>, request });
        const filename = answer.filename ?? 'planwatch';
        if (query.format === 'csv' && answer.table) {
          return { type: 'text/csv; charset=utf-8', body: answer.table.csv(), headers: { 'content-disposition': `attachment; filename="${filename}.csv"` } };
        }
        if (query.format === 'parquet' && answer.table) {
          return { type: PARQUET_TYPE, body: await answer.table.parquet(), headers: { 'content-disposition': `attachment; filename="${filename}.parquet"` } };
        }
        return { type: 'application/json; charset=utf-8', body: JSON.stringify(answer.json) };
      };
      if (!route.live) return fastify.sendCached(request, reply, build, query);
      const response = await build();
      for (const [name, value] of Object.entries(response.headers ?? {})) reply.header(name, value);
      return reply.type(response.type).header('cache-control', 'no-cache').send(response.body);
    });
  }
  const document = JSON.stringify(openApiDocument(API_ROUTES, fastify.prefix));
  fastify.get('/openapi.json', async (_request, reply) => reply.type('application/json; charset=utf-8').send(document));
};
