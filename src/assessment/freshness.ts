import { periodLabel } from '../dimensions.js';
import { MEASURES } from '../measures/index.js';
import { pluginById, plugins } from '../sources/registry.js';
import { latestPublications } from '../store/freshness.js';
import { refreshStates, wasInterrupted } from '../store/refresh-state.js';
import type { Store } from '../store/store.js';
import { memoise, memoKey } from './memo.js';

/**
 * How fresh each collection's figures are (issue 11): the newest month held and when it was
 * published, and what the server's refresher last found on the publication pages. For /status,
 * /api/v1/status and the "figures to …, published …" lines on the pages.
 */

/** Short names for sentences such as "A&E figures to October 2025". */
const SHORT_NAMES: Readonly<Record<string, string>> = {
  ae: 'A&E',
  ambulance: 'Ambulance',
  rtt: 'RTT',
  cwt: 'Cancer waiting times',
  cwt_commissioner: 'Cancer waiting times (commissioner)',
  dm01: 'Diagnostics',
  beds: 'KH03 bed',
  beds_sitrep: 'Beds sitrep',
  discharge: 'Discharge sitrep',
  discharge_delays: 'Discharge delays',
  ods: 'Organisation (ODS)',
};

export interface CollectionFreshness {
  collection: string;
  title: string;
  short: string;
  /** Newest month with figures ('YYYY-MM'), and as people read it ("October 2025", "Q4 2024-25"). */
  latestPeriod: string | null;
  latestLabel: string | null;
  /** When that month's current file was published: 'YYYY-MM-DD' or 'YYYY-MM'; null when not stated. */
  published: string | null;
  publishedLabel: string | null;
  edition: string | null;
  /** Whether the server can read this collection's publication pages. */
  fetchable: boolean;
  /** ISO 8601: the last run that read the pages through. */
  lastChecked: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  /** Failed runs in a row. */
  attempts: number;
  nextCheck: string | null;
  /** Publications found on the pages and not yet in the store. */
  waiting: number;
  /** A run started and has not finished (under way, or the server stopped during it). */
  running: boolean;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** '2025-12-11' → '11 December 2025'; '2025-12' → 'December 2025'. */
export function dateLabel(date: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number | undefined];
  const monthYear = `${MONTHS[month - 1]} ${year}`;
  return day === undefined || Number.isNaN(day) ? monthYear : `${day} ${monthYear}`;
}

function frequencyOf(collection: string): 'month' | 'quarter' {
  return MEASURES.find((measure) => measure.collection === collection)?.frequency === 'quarter' ? 'quarter' : 'month';
}

/** Every collection Planwatch reads: those with figures, those it can fetch, and those the refresher knows. */
export async function getFreshness(store: Store): Promise<CollectionFreshness[]> {
  // The refresher's state is committed without a new store version (Store.transaction's
  // bookkeeping), so it is read afresh each time; only what the figures say is kept per version.
  const [latest, states] = await Promise.all([memoise(store, memoKey('freshness'), () => latestPublications(store)), refreshStates(store)]);
  const fetchable = new Set(plugins.filter((plugin) => plugin.discover).map((plugin) => plugin.id));
  const collections = plugins.map((plugin) => plugin.id).filter((id) => latest.has(id) || fetchable.has(id) || states.has(id));
  return collections.map((collection): CollectionFreshness => {
    const held = latest.get(collection);
    const state = states.get(collection);
    return {
      collection,
      title: pluginById(collection)?.title ?? collection,
      short: SHORT_NAMES[collection] ?? collection,
      latestPeriod: held?.period ?? null,
      latestLabel: held ? periodLabel(held.period, frequencyOf(collection)) : null,
      published: held?.published ?? null,
      publishedLabel: held?.published ? dateLabel(held.published) : null,
      edition: held?.edition ?? null,
      fetchable: fetchable.has(collection),
      lastChecked: state?.checkedAt ?? null,
      lastError: state?.lastError ?? null,
      lastErrorAt: state?.lastError ? state.errorAt : null,
      attempts: state?.attempts ?? 0,
      nextCheck: state?.nextDue ?? null,
      waiting: state?.waiting ?? 0,
      running: state ? wasInterrupted(state) : false,
    };
  });
}

/**
 * "A&E figures to October 2025, published 11 December 2025" for each collection given that has
 * figures, in the order given.
 */
export async function freshnessLines(store: Store, collections: readonly string[]): Promise<string[]> {
  const all = new Map((await getFreshness(store)).map((entry) => [entry.collection, entry]));
  return [...new Set(collections)].flatMap((collection) => {
    const entry = all.get(collection);
    if (!entry?.latestLabel) return [];
    const published = entry.publishedLabel ? `, published ${entry.publishedLabel}` : ', publication date not stated';
    return [`${entry.short} figures to ${entry.latestLabel}${published}`];
  });
}
