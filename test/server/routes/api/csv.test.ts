import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../../src/server/app.js';
import { ingestFile } from '../../../../src/store/ingest.js';
import { Store } from '../../../../src/store/store.js';
import { syntheticAeMonth } from '../../../helpers/synthetic-ae.js';

// A publication whose trust name is a spreadsheet formula: names reach the API's CSVs as
// published, and a CSV is opened in Excel.
const FORMULA = "=cmd|' /C calc'!A0";

let store: Store;
let server: FastifyInstance;
beforeAll(async () => {
  store = await Store.open(':memory:');
  const text = syntheticAeMonth('2025-03', 0).replace('SYNTHETIC RIVERSIDE NHS TRUST', FORMULA);
  await ingestFile(store, { name: 'synthetic-ae-2025-03-formula-name.csv', bytes: new TextEncoder().encode(text) });
  server = await buildApp({ store });
});
afterAll(async () => {
  await server.close();
  store.close();
});

describe('GET /api/v1/…?format=csv', () => {
  it('neutralises an organisation name a spreadsheet would run as a formula', async () => {
    const response = await server.inject({ method: 'GET', url: '/api/v1/orgs?format=csv' });
    expect(response.statusCode).toBe(200);
    const line = response.body.split('\n').find((row) => row.startsWith('RBB,'));
    expect(line).toBeDefined();
    expect(line).toContain(`,'=cmd|' /C calc'!A0,`);
    expect(response.body).not.toMatch(/,=cmd/);
  });
});
