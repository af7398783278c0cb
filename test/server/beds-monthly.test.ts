import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { ingestFile } from '../../src/store/ingest.js';
import { Store } from '../../src/store/store.js';
import { kh03Sheets } from '../fixtures/beds/synthetic-kh03-overnight.js';
import { sitrepCsv } from '../fixtures/beds-sitrep/synthetic-beds-sitrep.js';
import { writeWorkbook } from '../helpers/xlsx.js';

let store: Store;
let server: FastifyInstance;
beforeAll(async () => {
  store = await Store.open(':memory:');
  await ingestFile(store, { name: 'Beds-Open-Overnight-Web_File-Q4-2024-25-synthetic.xlsx', bytes: await writeWorkbook(kh03Sheets()) });
  await ingestFile(store, { name: '202501-January-2025-beds-sitrep-data-synthetic.csv', bytes: new TextEncoder().encode(sitrepCsv()) });
  server = await buildApp({ store });
});
afterAll(async () => {
  await server.close();
  store.close();
});

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('GET /org/ENG/beds_ga_occupancy with KH03 and the monthly beds sitrep', () => {
  it("shows the monthly sitrep occupancy of the quarter's months beside KH03's quarterly figure", { timeout: 60_000 }, async () => {
    const response = await server.inject({ method: 'GET', url: '/org/ENG/beds_ga_occupancy' });
    expect(response.statusCode).toBe(200);
    const page = text(response.body);
    // Synthetic sitrep England: 900 of 1,001 G&A beds occupied in January 2025, within Q4 2024-25.
    expect(page).toMatch(/Monthly \(beds sitrep\) January 2025: 89\.9%/);
  });

  it('leaves the line out for a trust the monthly sitrep does not list', { timeout: 60_000 }, async () => {
    const response = await server.inject({ method: 'GET', url: '/org/R1X/beds_ga_occupancy' });
    expect(response.statusCode).toBe(200);
    expect(text(response.body)).toContain('General and acute beds occupied overnight, as a share of those available (KH03)');
    expect(text(response.body)).not.toContain('Monthly (beds sitrep)');
  });
});
