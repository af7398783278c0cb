import type { Signal } from '../assessment/signals.js';
import { POINT_TYPE_LABELS } from '../analysis/spc/icons.js';
import { ENGLAND, regionName } from '../measures/hierarchy.js';
import { measureById } from '../measures/index.js';
import { periodLabel } from '../measures/periods.js';
import { changeText, displayName, valueText } from './format.js';

/**
 * Signals in words, for the signals page and the Atom feeds: a title a journalist could use, a
 * sentence of context, and the chart that shows it. Every timestamp comes from the figures'
 * month (its first day), never the clock, so the same store gives the same feed.
 */
export interface SignalEntry {
  id: string;
  title: string;
  summary: string;
  href: string;
  period: string;
  updated: string;
  org: string;
  kind: Signal['kind'];
}

export function orgLabel(code: string, names: ReadonlyMap<string, string>): string {
  if (code === ENGLAND) return 'England';
  return regionName(code) ?? displayName(names.get(code) ?? code);
}

export function signalEntry(signal: Signal, names: ReadonlyMap<string, string>): SignalEntry {
  const measure = measureById(signal.metric);
  const unit = measure.unit;
  const where = orgLabel(signal.org, names);
  const when = periodLabel(signal.period, measure.frequency);
  const value = valueText(signal.value, unit);
  const short = measure.short.charAt(0).toLowerCase() + measure.short.slice(1);
  let title: string;
  let summary: string;
  switch (signal.kind) {
    case 'record_high':
    case 'record_low': {
      const high = signal.kind === 'record_high';
      const better = measure.direction === 'neutral' ? '' : (high === (measure.direction === 'increase')) ? ' (the best on record)' : ' (the worst on record)';
      title = `${where}: ${high ? 'highest' : 'lowest'} ${short} on record, ${value} in ${when}`;
      summary = `${value} in ${when}${better}; the previous ${high ? 'high' : 'low'} was ${valueText(signal.previous!.value, unit)} in ${periodLabel(signal.previous!.period, measure.frequency)}.`;
      break;
    }
    case 'special_cause': {
      const kind = POINT_TYPE_LABELS[signal.pointType!].replace('special cause: ', '');
      title = `${where}: special cause ${kind} in ${short}, ${when}`;
      summary = `${value} in ${when}, the first month of a special-cause signal (${kind}) on the Making Data Count chart of the last 36 months.`;
      break;
    }
    case 'target_met':
    case 'target_missed': {
      const met = signal.kind === 'target_met';
      title = `${where}: ${short} ${met ? 'met' : 'missed'} the ${valueText(signal.threshold!, unit)} target in ${when}`;
      summary = `${value} in ${when}, against ${valueText(signal.threshold!, unit)}; ${valueText(signal.previous!.value, unit)} in ${periodLabel(signal.previous!.period, measure.frequency)}, when it was ${met ? 'missed' : 'met'}.`;
      break;
    }
    case 'against_trend': {
      const c = signal.changes!;
      title = `${where}: longer 12-hour waits from decision to admit while England's fell, ${when}`;
      summary = `${value} patients waited 12+ hours from decision to admit in ${when}, ${changeText(c.own, 'count')} than a year earlier, while England had ${changeText(c.england, 'count').replace('fewer', 'fewer')}; the trust's 4-hour performance was ${changeText(c.fourHour, 'percent')} over the same year.`;
      break;
    }
  }
  return {
    id: `tag:planwatch,2026:signal/${signal.period}/${signal.kind}/${signal.org}/${signal.metric}`,
    title,
    summary,
    href: `/org/${signal.org}/${signal.metric}`,
    period: signal.period,
    updated: `${signal.period}-01T00:00:00Z`,
    org: signal.org,
    kind: signal.kind,
  };
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** An Atom 1.0 feed (RFC 4287): id, title, updated and a link on the feed and every entry. */
export function atomFeed(options: { id: string; title: string; base: string; self: string; page: string; entries: readonly SignalEntry[] }): string {
  const updated = options.entries.map((entry) => entry.updated).sort().at(-1) ?? '1970-01-01T00:00:00Z';
  const entries = options.entries.map((entry) => [
    '  <entry>',
    `    <id>${xml(entry.id)}</id>`,
    `    <title>${xml(entry.title)}</title>`,
    `    <updated>${entry.updated}</updated>`,
    `    <link rel="alternate" type="text/html" href="${xml(options.base + entry.href)}"/>`,
    `    <summary>${xml(entry.summary)}</summary>`,
    `    <category term="${entry.kind}"/>`,
    '  </entry>',
  ].join('\n'));
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${xml(options.id)}</id>`,
    `  <title>${xml(options.title)}</title>`,
    `  <updated>${updated}</updated>`,
    '  <author><name>Planwatch (independent, not an NHS service)</name></author>',
    `  <link rel="self" type="application/atom+xml" href="${xml(options.base + options.self)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xml(options.base + options.page)}"/>`,
    '  <rights>Contains public sector information licensed under the Open Government Licence v3.0. Source: NHS England.</rights>',
    ...entries,
    '</feed>',
    '',
  ].join('\n');
}
