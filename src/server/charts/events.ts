import { eventsFor, loadEvents, type ChartEvent } from '../../events/load.js';
import { periodLabel } from '../../measures/periods.js';
import type { ChartEventMark } from './spc-chart.js';

/**
 * The events (events/*.yaml) that belong on one chart: numbered marks for the chart, the same
 * numbers in a list under it with dates and sources, and the rule changes offered to SPC as
 * rebase points. Offered only: the limits drawn are never rebased without being asked.
 */
export interface ChartEvents {
  marks: ChartEventMark[];
  list: { number: number; title: string; when: string; source: { title: string; url: string } }[];
  rebase: { period: string; text: string }[];
}

function when(event: ChartEvent): string {
  return event.to && event.to !== event.from ? `${periodLabel(event.from)} to ${periodLabel(event.to)}` : periodLabel(event.from);
}

export function chartEvents(metric: string, from: string, to: string): ChartEvents {
  // Numbered in date order, so the numbers run left to right along the chart.
  const events = eventsFor(loadEvents(), metric, from, to).sort((a, b) => a.from.localeCompare(b.from) || a.id.localeCompare(b.id));
  return {
    marks: events.map((event, i) => ({ number: i + 1, from: event.from, to: event.to })),
    list: events.map((event, i) => ({ number: i + 1, title: event.title, when: when(event), source: event.source })),
    rebase: events.filter((event) => event.rebase && event.from > from && event.from <= to)
      .map((event) => ({ period: event.from, text: `${periodLabel(event.from)} (${event.title.charAt(0).toLowerCase()}${event.title.slice(1)})` })),
  };
}
