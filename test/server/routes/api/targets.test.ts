import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../../src/server/app.js';
import { targetsResponse } from '../../../../src/server/routes/api/schemas.js';
import { Store } from '../../../../src/store/store.js';
import { syntheticStore } from '../../../helpers/synthetic-ae.js';

let store: Store;
let server: FastifyInstance;
beforeAll(async () => {
  store = await syntheticStore(3, '2025-03');
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
