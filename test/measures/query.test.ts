import { describe, expect, it } from 'vitest';
import { measureById } from '../../src/measures/index.js';
import { measureSeries, measureValues } from '../../src/measures/query.js';
import { fixtureText } from '../helpers/fixtures.js';
import { ingestFixture, memoryStore } from '../helpers/store.js';

/** Reads the synthetic fixture's own cells, so expectations come from the file, not the code. */
function cells(name: string, org: string): Record<string, number> {
  const [header, ...rows] = fixtureText('ae', name).replace(/^\uFEFF/, '').trim().split(/\r?\n/).map((line) => line.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/));
  const row = rows.find((r) => r[1] === org)!;
  return Object.fromEntries(header!.map((h, i) => [h.trim(), Number(row[i])]));
}

describe('measureValues(store, measure, query)', () => {
  it('computes a trust\'s 4-hour % with booked appointments in numerator and denominator', async () => {
    const store = await memoryStore();
    await ingestFixture(store, 'ae', 'synthetic-ae-2020-booked.csv');
    const c = cells('synthetic-ae-2020-booked.csv', 'RAA');
    const attendances = c['A&E attendances Type 1']! + c['A&E attendances Type 2']! + c['A&E attendances Other A&E Department']!
      + c['A&E attendances Booked Appointments Type 1']! + c['A&E attendances Booked Appointments Type 2']! + c['A&E attendances Booked Appointments Other Department']!;
    const over = c['Attendances over 4hrs Type 1']! + c['Attendances over 4hrs Type 2']! + c['Attendances over 4hrs Other Department']!
      + c['Attendances over 4hrs Booked Appointments Type 1']! + c['Attendances over 4hrs Booked Appointments Type 2']! + c['Attendances over 4hrs Booked Appointments Other Department']!;
    const [raa] = await measureValues(store, measureById('ae_4hr'), { level: 'trust', orgs: ['RAA'] });
    expect(raa).toMatchObject({ numerator: attendances - over, denominator: attendances });
    expect(raa!.value).toBeCloseTo((100 * (attendances - over)) / attendances, 10);
  });

  it('sums numerators and denominators for England, never averaging rates', async () => {
    const store = await memoryStore();
    await ingestFixture(store, 'ae', 'synthetic-ae-2020.csv');
    const trusts = await measureValues(store, measureById('ae_4hr'), { level: 'provider' });
    const [england] = await measureValues(store, measureById('ae_4hr'), { level: 'england' });
    const numerator = trusts.reduce((s, t) => s + t.numerator!, 0);
    const denominator = trusts.reduce((s, t) => s + t.denominator!, 0);
    expect(england).toMatchObject({ org: 'ENG', numerator, denominator, members: ['RAA', 'RCC', 'Y00001'] });
    const meanOfRates = trusts.reduce((s, t) => s + t.value!, 0) / trusts.length;
    expect(england!.value).not.toBeCloseTo(meanOfRates, 3);
  });

  it('leaves field-testing trusts out of regional and national 4-hour figures, and says so', async () => {
    const store = await memoryStore();
    await ingestFixture(store, 'ae', 'synthetic-ae-2019.csv');
    const [rhu] = await measureValues(store, measureById('ae_4hr'), { level: 'trust', orgs: ['RHU'] });
    expect(rhu).toMatchObject({ value: null, numerator: null });
    expect(rhu!.note).toMatch(/field-testing/);
    const [southEast] = await measureValues(store, measureById('ae_4hr'), { level: 'region', orgs: ['Y59'] });
    expect(southEast).toMatchObject({ members: ['RBB'], excluded: ['RHU'] });
    const rbb = cells('synthetic-ae-2019.csv', 'RBB');
    expect(southEast!.denominator).toBe(rbb['Number of A&E attendances Type 1']! + rbb['Number of A&E attendances Type 2']! + rbb['Number of A&E attendances Other A&E Department']!);
    const [attendances] = await measureValues(store, measureById('ae_attendances'), { level: 'region', orgs: ['Y59'] });
    expect(attendances!.members).toEqual(['RBB', 'RHU']);
  });
});

describe('measureSeries(store, measure, org)', () => {
  it('reports months without a publication as missing, never invented', async () => {
    const store = await memoryStore();
    await ingestFixture(store, 'ae', 'synthetic-ae-2019.csv');
    await ingestFixture(store, 'ae', 'synthetic-ae-2020.csv');
    const series = await measureSeries(store, measureById('ae_attendances'), 'ENG');
    expect(series.map((p) => p.period)).toHaveLength(12);
    expect(series[0]!.period).toBe('2019-06');
    expect(series.at(-1)!.period).toBe('2020-05');
    const gaps = series.filter((p) => p.value === null);
    expect(gaps).toHaveLength(10);
    expect(gaps.every((p) => p.note === 'no publication in the store for this month')).toBe(true);
  });
});
