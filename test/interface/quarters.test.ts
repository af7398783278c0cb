import { describe, expect, it } from 'vitest';
import { previousQuarter, quarter, quarterContaining } from '../../src/interface/quarters.js';
import { expectPlanwatchError } from '../helpers/errors.js';

describe('quarter(key)', () => {
  it.each([
    ['2025-03', 'Q4 2024-25', '2025-01-01T00:00:00.000Z', '2025-03-31T23:00:00.000Z'],
    ['2024-06', 'Q1 2024-25', '2024-03-31T23:00:00.000Z', '2024-06-30T23:00:00.000Z'],
    ['2024-09', 'Q2 2024-25', '2024-06-30T23:00:00.000Z', '2024-09-30T23:00:00.000Z'],
    ['2024-12', 'Q3 2024-25', '2024-09-30T23:00:00.000Z', '2025-01-01T00:00:00.000Z'],
    ['2000-03', 'Q4 1999-00', '2000-01-01T00:00:00.000Z', '2000-03-31T23:00:00.000Z'],
  ])('reads %s as %s, from midnight in England to the next quarter’s', (key, label, start, end) => {
    const q = quarter(key);
    expect([q.label, q.start.toISOString(), q.end.toISOString()]).toEqual([label, start, end]);
  });

  it.each(['2025-02', '2025-3', 'Q4 2024-25', ''])('refuses %j, saying how to write a quarter', async (key) => {
    const error = await expectPlanwatchError(() => quarter(key), 'E_USAGE');
    expect(error.message).toContain('like 2025-03');
  });
});

describe('previousQuarter(quarter)', () => {
  it('steps back across a financial and a calendar year', () => {
    expect(previousQuarter(quarter('2024-06')).key).toBe('2024-03');
    expect(previousQuarter(quarter('2025-03')).key).toBe('2024-12');
  });
});

describe('quarterContaining(instant)', () => {
  it('uses the calendar in England: 23:30 UTC on 31 March is already April there', () => {
    expect(quarterContaining(new Date('2024-03-31T22:59:59Z')).key).toBe('2024-03');
    expect(quarterContaining(new Date('2024-03-31T23:30:00Z')).key).toBe('2024-06');
    expect(quarterContaining(new Date('2024-12-31T23:30:00Z')).key).toBe('2024-12');
  });
});
