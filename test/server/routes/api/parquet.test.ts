import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../../src/server/app.js';
import type { Store } from '../../../../src/store/store.js';
import { syntheticStore } from '../../../helpers/synthetic-ae.js';

let store: Store;
let server: FastifyInstance;
let folder: string;
beforeAll(async () => {
  store = await syntheticStore(15, '2025-03');
  server = await buildApp({ store });
  folder = mkdtempSync(path.join(tmpdir(), 'planwatch-parquet-test-'));
}, 120_000);
afterAll(async () => {
  await server?.close();
  store?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

/** Reads Parquet bytes back with DuckDB (a reader independent of how they were written). */
async function readParquet(bytes: Buffer): Promise<{ columns: Record<string, string>; rows: Record<string, unknown>[] }> {
  const file = path.join(folder, `read-${Math.random().toString(36).slice(2)}.parquet`);
  writeFileSync(file, bytes);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const described = await connection.prepare('DESCRIBE SELECT * FROM read_parquet($file)');
    described.bind({ file });
    const columns = Object.fromEntries((await described.runAndReadAll()).getRowObjectsJS().map((row) => [String(row.column_name), String(row.column_type)]));
    const select = await connection.prepare('SELECT * FROM read_parquet($file)');
    select.bind({ file });
    const rows = (await select.runAndReadAll()).getRowObjectsJS().map((row) =>
      Object.fromEntries(Object.entries(row).map(([key, value]) => [key, typeof value === 'bigint' ? Number(value) : value])));
    return { columns, rows };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function parquetOf(url: string) {
  const response = await server.inject({ method: 'GET', url });
  expect(response.statusCode, response.body.slice(0, 200)).toBe(200);
  return { response, ...(await readParquet(response.rawPayload)) };
}

const json = async (url: string) => (await server.inject({ method: 'GET', url })).json();

describe('?format=parquet on the API', () => {
  it('answers Parquet with its media type and a download name', async () => {
    const { response } = await parquetOf('/api/v1/series/RAA/ae_4hr?format=parquet');
    expect(response.headers['content-type']).toBe('application/vnd.apache.parquet');
    expect(response.headers['content-disposition']).toBe('attachment; filename="planwatch-RAA-ae_4hr.parquet"');
    // Parquet files start and end with the magic bytes PAR1.
    expect(response.rawPayload.subarray(0, 4).toString()).toBe('PAR1');
  });

  it("gives a series the same rows and typed columns as its JSON", async () => {
    const { rows, columns } = await parquetOf('/api/v1/series/RAA/ae_4hr?format=parquet');
    const answer = await json('/api/v1/series/RAA/ae_4hr');
    expect(columns).toMatchObject({ org: 'VARCHAR', period: 'VARCHAR', value: 'DOUBLE', numerator: 'DOUBLE', denominator: 'DOUBLE', lower_process_limit: 'DOUBLE', point_type: 'VARCHAR' });
    expect(rows).toHaveLength(answer.points.length);
    answer.points.forEach((point: { period: string; value: number | null; numerator: number | null; denominator: number | null; pointType: string }, i: number) => {
      const row = rows[i]!;
      expect(row.org).toBe('RAA');
      expect(row.period).toBe(point.period);
      expect(row.numerator).toBe(point.numerator);
      expect(row.denominator).toBe(point.denominator);
      expect(row.value as number).toBeCloseTo(point.value!, 5);
      expect(row.point_type).toBe(point.pointType);
    });
  });

  it('gives a league table its ranks as integers and target met as booleans', async () => {
    const { rows, columns } = await parquetOf('/api/v1/league/ae_4hr?format=parquet');
    const answer = await json('/api/v1/league/ae_4hr');
    expect(columns).toMatchObject({ rank: 'BIGINT', target_met: 'BOOLEAN', value: 'DOUBLE' });
    expect(rows.map((row) => [row.org, row.rank, row.target_met])).toEqual(
      answer.rows.map((row: { org: string; rank: number | null; targetMet: boolean | null }) => [row.org, row.rank, row.targetMet]));
  });

  it("gives an organisation's observations with their provenance, as the JSON lists them", async () => {
    const { rows, columns } = await parquetOf('/api/v1/observations/RBB?format=parquet&from=2025-01');
    const answer = await json('/api/v1/observations/RBB?from=2025-01');
    expect(columns).toMatchObject({ metric: 'VARCHAR', value: 'DOUBLE', current: 'BOOLEAN', line: 'BIGINT', column: 'VARCHAR' });
    expect(answer.observations.length).toBeGreaterThan(0);
    expect(rows).toEqual(answer.observations);
    expect(new Set(rows.map((row) => row.period))).toEqual(new Set(['2025-01', '2025-02', '2025-03']));
    expect(rows.find((row) => row.metric === 'attendances_type1')?.file).toBe('synthetic-ae-2025-01.csv');
  });

  it('answers the organisations and status tables too', async () => {
    const orgs = await parquetOf('/api/v1/orgs?format=parquet');
    expect(orgs.rows.map((row) => row.code)).toEqual((await json('/api/v1/orgs')).orgs.map((org: { code: string }) => org.code));
    const status = await parquetOf('/api/v1/status/RAA?format=parquet');
    expect(status.columns).toMatchObject({ met: 'BOOLEAN', threshold: 'DOUBLE' });
    expect(status.rows.map((row) => row.target)).toEqual((await json('/api/v1/status/RAA')).lines.map((line: { targetId: string }) => line.targetId));
  });

  it('refuses a format it does not offer, naming the parameter', async () => {
    const response = await server.inject({ method: 'GET', url: '/api/v1/league/ae_4hr?format=xlsx' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain('"format"');
  });
});
