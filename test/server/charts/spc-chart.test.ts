import { describe, expect, it } from 'vitest';
import { eventNumberRows, spcChart, type ChartInput } from '../../../src/server/charts/spc-chart.js';

const utc = (period: string) => new Date(`${period}-01T00:00:00Z`);

/** 36 synthetic months, November 2022 to October 2025, as the org pages draw them. */
function months(): string[] {
  const out: string[] = [];
  for (let i = 0; i < 36; i++) {
    const date = new Date(Date.UTC(2022, 10 + i, 1));
    out.push(`${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`);
  }
  return out;
}

describe('eventNumberRows(events, first, last)', () => {
  const [first, last] = [utc('2022-11'), utc('2025-10')];

  it('keeps numbers months apart on the foot of the plot', () => {
    const events = [{ number: '1', x1: utc('2023-01') }, { number: '2', x1: utc('2023-06') }, { number: '3', x1: utc('2024-06') }];
    expect(eventNumberRows(events, first, last)).toEqual([events]);
  });

  it('lifts a two-digit number that would run into the one a month before it, and drops the next back', () => {
    const events = ['2023-12', '2024-01', '2024-02'].map((period, i) => ({ number: String(12 + i), x1: utc(period) }));
    const rows = eventNumberRows(events, first, last);
    expect(rows.map((row) => row.map((event) => event.number))).toEqual([['12', '14'], ['13']]);
  });

  it('uses at most three rows however many events share a month', () => {
    const events = Array.from({ length: 6 }, (_, i) => ({ number: String(10 + i), x1: utc('2024-03') }));
    const rows = eventNumberRows(events, first, last);
    expect(rows).toHaveLength(3);
    expect(rows.flat()).toHaveLength(6);
  });
});

describe('spcChart(input) with events', () => {
  it('draws every event number, neighbouring months on different rows', () => {
    const periods = months();
    const input: ChartInput = {
      measure: 'synthetic measure',
      orgName: 'Synthetic Trust',
      unit: 'percent',
      frequency: 'month',
      points: periods.map((period, i) => ({ period, value: 60 + (i % 5) })),
      events: ['2023-10', '2023-12', '2024-01'].map((from, i) => ({ number: 11 + i, from })),
    };
    const { svg } = spcChart(input);
    const numbers = [...svg.matchAll(/<text[^>]*>(\d+)<\/text>/g)].map((match) => match[1]);
    expect(numbers).toEqual(expect.arrayContaining(['11', '12', '13']));
    // Each row of numbers is a group of its own, moved up by its row.
    const groups = [...svg.matchAll(/<g[^>]*font-size="10"[^>]*>([\s\S]*?)<\/g>/g)].map((match) => [...match[1]!.matchAll(/>(\d+)</g)].map((m) => m[1]));
    expect(groups).toEqual([['11', '12'], ['13']]);
  });
});
