import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../../src/server/app.js';
import { statusResponse, targetsResponse } from '../../../../src/server/routes/api/schemas.js';
import { Store } from '../../../../src/store/store.js';
import { syntheticStore } from '../../../helpers/synthetic-ae.js';

let store: Store;
let server: FastifyInstance;
beforeAll(async () => {
  store = await syntheticStore(30, '2025-03');
  server = await buildApp({ store });
});
afterAll(async () => {
  await server.close();
  store.close();
});

describe('GET /api/v1/targets', () => {
  it('lists every target as planwatch targets --json does, valid against its schema', async () => {
    const response = await server.inject({ method: 'GET', url: '/api/v1/targets' });
    expect(response.statusCode).toBe(200);
    const body = targetsResponse.parse(response.json());
    expect(body.targets.find((t) => t.id === 'mtpf-dm01-system-2627')).toMatchObject({
      measure: 'dm01_over_6wk', levels: ['icb'], due: '2027-03', rule: { baselinePeriod: '2026-03', improvement: 3, floor: 20 },
    });
  });

  it('gives the rules as CSV, and is in the OpenAPI document', async () => {
    const csv = await server.inject({ method: 'GET', url: '/api/v1/targets?format=csv' });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\n')[0]).toContain('id,title,measure,comparator,threshold,baseline_period,improvement');
    expect(csv.body).toContain('mtpf-ae-4hr-2627');
    const document = (await server.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(Object.keys(document.paths)).toContain('/api/v1/targets');
  });
});

describe('as_of on the API (issue 12)', () => {
  it('status as of October projects each deadline not yet due, with an interval, verdict and what it would take', async () => {
    const response = await server.inject({ method: 'GET', url: '/api/v1/status/ENG?as_of=2024-10' });
    expect(response.statusCode).toBe(200);
    const status = statusResponse.parse(response.json());
    expect(status.period).toBe('2024-10');
    const march = status.lines.find((line) => line.targetId === 'pg2425-ae-4hr')!;
    expect(march.assessedPeriod).toBe('2024-10');
    expect(march.projection).toMatchObject({ period: '2025-03', method: 'seasonal' });
    expect(march.projection!.low).toBeLessThanOrEqual(march.projection!.value);
    expect(status.lines.find((line) => line.targetId === 'std-ae-4hr')!.projection).toBeNull();
    const csv = await server.inject({ method: 'GET', url: '/api/v1/status/ENG?as_of=2024-10&format=csv' });
    expect(csv.body.split('\n')[0]).toContain('projected_value,projected_low,projected_high,verdict,needed_per_month');
  });

  it('series as_of leaves out later months, and a bad as_of is a 400 naming it', async () => {
    const series = (await server.inject({ method: 'GET', url: '/api/v1/series/ENG/ae_4hr?as_of=2024-10' })).json();
    expect(series.points.at(-1).period).toBe('2024-10');
    const bad = await server.inject({ method: 'GET', url: '/api/v1/status/ENG?as_of=2026-13' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('as_of');
  });
});
