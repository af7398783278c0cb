import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assess } from '../../../src/analysis/assess.js';
import { getSeries, getStatus } from '../../../src/assessment/index.js';
import { ingestPaths } from '../../../src/cli/commands/ingest.js';
import { formatDuration } from '../../../src/cli/format.js';
import { measureById } from '../../../src/measures/index.js';
import { measureSeries, measureValues } from '../../../src/measures/query.js';
import { readSheets } from '../../../src/sources/workbook.js';
import { ingestPath } from '../../../src/store/ingest.js';
import { Store } from '../../../src/store/store.js';
import { realDataDir, realPath } from '../../helpers/real-data.js';

const WORKBOOK = 'AmbSYS-Time-Series-until-20250831.xlsx';

describe.skipIf(!realDataDir)('AmbSYS time series (real file)', () => {
  let store: Store;
  beforeAll(async () => {
    store = await Store.open(':memory:');
    await ingestPath(store, realPath('ambulance', WORKBOOK));
    await ingestPath(store, realPath('ods', 'etr.csv'));
  });
  afterAll(() => store.close());

  it('gives England\'s Category 2 mean for January 2025 as published: 2,139 s (35:39)', async () => {
    const [point] = await measureSeries(store, measureById('amb_c2_mean'), 'ENG', { from: '2025-01', to: '2025-01' });
    expect(Math.round(point!.value!)).toBe(2139);
    expect(formatDuration(point!.value!)).toBe('35:39');
  });

  it('gives England\'s Category 1 mean for January 2025 as published: 496 s', async () => {
    const [point] = await measureSeries(store, measureById('amb_c1_mean'), 'ENG', { from: '2025-01', to: '2025-01' });
    expect(Math.round(point!.value!)).toBe(496);
  });

  it('computes the 2024/25 Category 2 mean from summed seconds and incidents, as read independently from Raw', async () => {
    // Independent reading: the Raw sheet's England rows for 2024-25, A30 and A10 summed.
    const [raw] = await readSheets(WORKBOOK, readFileSync(realPath('ambulance', WORKBOOK)), ['Raw']);
    const header = raw!.rows[4]!;
    const englandRows = raw!.rows.filter((row) => row[header.indexOf('Year')] === '2024-25' && row[header.indexOf('Area')] === 'ENG');
    expect(englandRows).toHaveLength(12);
    const seconds = englandRows.reduce((sum, row) => sum + (row[header.indexOf('A30')] as number), 0);
    const incidents = englandRows.reduce((sum, row) => sum + (row[header.indexOf('A10')] as number), 0);

    const series = await measureSeries(store, measureById('amb_c2_mean'), 'ENG');
    const target = { id: 'c2-year', comparator: '<=' as const, threshold: 1800, period: { financial_year: '2024/25' } };
    const assessment = assess(series, target, '2025-08');
    expect(assessment.final).toBe(true);
    expect(assessment.value).toBeCloseTo(seconds / incidents, 6);
    // Not the average of the monthly means, which weights a quiet month like a busy one.
    const monthlyMeans = englandRows.reduce((sum, row) => sum + (row[header.indexOf('A30')] as number) / (row[header.indexOf('A10')] as number), 0) / 12;
    expect(Math.abs(assessment.value! - monthlyMeans)).toBeGreaterThan(1);
  });

  it('sums the services to the published England figures outside the months LAS did not report', async () => {
    const measure = measureById('amb_c2_incidents');
    const [rolled] = await measureValues(store, measure, { level: 'england', orgs: ['ENG'], from: '2025-01', to: '2025-01' });
    const published = await store.one<{ value: number }>("SELECT value FROM current_observations WHERE org = 'ENG' AND metric = 'A10' AND period = '2025-01'");
    expect(rolled!.value).toBe(published!.value);
    expect(rolled!.members).toHaveLength(11);
  });

  it('lists ambulance targets for an ambulance trust and for England', async () => {
    const rya = await getStatus(store, 'RYA', { period: '2025-03' });
    expect(rya.org.level).toBe('ambulance_trust');
    expect(rya.lines.map((line) => line.targetId)).toEqual(expect.arrayContaining(['pg2425-amb-cat2-mean', 'std-amb-cat1-mean', 'std-amb-cat4-p90']));
    const england = await getStatus(store, 'ENG', { period: '2025-03' });
    expect(england.lines.map((line) => line.targetId)).toEqual(expect.arrayContaining(['pg2425-amb-cat2-mean', 'std-amb-cat2-p90']));
  });

  it('estimates an ICB\'s mean from its services\' shares in the ICB lookup', async () => {
    const series = await getSeries(store, 'QRL', 'amb_c2_mean', { from: '2025-01', to: '2025-01' });
    expect(series.org.name).toBe('NHS Hampshire and Isle of Wight');
    expect(series.points[0]!.members).toEqual(['R1F', 'RYE']);
    expect(series.points[0]!.apportioned).toBe(true);
    // Between its two services' own means for the month.
    const own = await measureValues(store, measureById('amb_c2_mean'), { level: 'ambulance_trust', from: '2025-01', to: '2025-01' });
    const means = own.filter((v) => ['R1F', 'RYE'].includes(v.org)).map((v) => v.value!);
    expect(series.points[0]!.value!).toBeGreaterThanOrEqual(Math.min(...means));
    expect(series.points[0]!.value!).toBeLessThanOrEqual(Math.max(...means));
  });

  it('skips the AmbCO files in the folder rather than refusing them', async () => {
    const scratch = await Store.open(':memory:');
    try {
      const outcomes = await ingestPaths(scratch, [realPath('ambulance')]);
      expect(outcomes.map((o) => [o.path.split('/').pop(), o.status])).toEqual([
        ['AmbCO_TimeSeries.csv', 'skipped'], ['AmbSYS-AmbCO-Schemas.xlsx', 'skipped'], [WORKBOOK, 'ingested'],
      ]);
    } finally {
      scratch.close();
    }
  });
});
