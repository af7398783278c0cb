import { freshnessLines } from '../../../assessment/freshness.js';
import type { FastifyInstance } from 'fastify';
import { PlanwatchError } from '../../../errors.js';
import { describeOrg, getSeries, getSeriesWithSpc, getStatus, orgDirectory, periodsOf, rankOf, targetFor, type SeriesResult } from '../../../assessment/index.js';
import { POINT_TYPE_LABELS } from '../../../analysis/spc/icons.js';
import type { Level } from '../../../dimensions.js';
import { MEASURES, measureById } from '../../../measures/index.js';
import { icbFormed } from '../../../sources/icbs.js';
import { pluginById } from '../../../sources/registry.js';
import { addMonths, periodLabel } from '../../../dimensions.js';
import { chartEvents } from '../../charts/events.js';
import { spcChart, spcChartFile, spcChartImage, type ChartInput } from '../../charts/spc-chart.js';
import { changeText, displayName, valueText } from '../../format.js';
import { neededParams, projectionParams } from './road.js';
import { CHART_MONTHS, assessedText, levelPlural, spcIcons, statusText, gapText, levelText, regionText, slug, verdictOf } from './present.js';
import { guidanceYearOf, leadingMonth, splitByGuidanceYear } from '../../../assessment/guidance-years.js';
import { scorecardRows } from './scorecard.js';


// Trusts rank in the trust table of each measure, which for ambulance measures is the table of
// ambulance trusts (getLeague judges it so); other levels rank among their own kind.
const RANK_LEVEL: Partial<Record<Level, Level>> = { trust: 'trust', ambulance_trust: 'trust', provider: 'provider', region: 'region', icb: 'icb' };

// KH03's occupancy is a quarterly average of overnight beds; the monthly beds sitrep gives G&A
// occupancy each month (issue 15), so a quarter's figure is shown with its own months beside it.
const MONTHLY_BESIDE: Readonly<Record<string, string>> = { beds_ga_occupancy: 'beds_sitrep_ga_occupancy' };

/**
 * For an ICB, when it was formed and from which boards (ODS successions): "Formed in April 2026
 * from …". A board that kept its 2022 code while taking part of another (QRL took part of QNQ in
 * April 2026) is said to have taken it in instead.
 */
export function formedText(org: Awaited<ReturnType<typeof describeOrg>>): string | undefined {
  if (org.level !== 'icb' || !org.predecessors?.length) return undefined;
  const first = org.predecessors.map((p) => p.from).sort()[0]!;
  const boards = org.predecessors.filter((p) => p.from === first).map((p) => `${p.name ? displayName(p.name) : p.code} (${p.code})`);
  const list = boards.length > 1 ? `${boards.slice(0, -1).join(', ')} and ${boards.at(-1)!}` : boards[0]!;
  return icbFormed(org.code) ? `Formed in ${periodLabel(first)} from ${list}.` : `Since ${periodLabel(first)} also covers part of ${list}.`;
}

export async function orgPage(fastify: FastifyInstance, code: string): Promise<string> {
  const store = fastify.store;
  const org = await describeOrg(store, code);
  const directory = await orgDirectory(store);
  const listing = directory.find((entry) => entry.code === org.code);
  const status = await getStatus(store, org.code);
  // Measures grouped by the collection that publishes them (A&E, ambulance, cancer, diagnostics),
  // in the order MEASURES lists them; a collection with no figure for this organisation is named
  // once. Measures with a target get their chart; the rest go in one compact table per group.
  const groups: { id: string; title: string; summary: string; sections: Awaited<ReturnType<typeof measureSection>>[]; compact?: { caption: string; head: object[]; rows: object[][] } }[] = [];
  const empty: string[] = [];
  const shownCollections: string[] = [];
  let period = '';
  for (const collection of [...new Set(MEASURES.map((measure) => measure.collection))]) {
    const sections = [];
    const compactRows: object[][] = [];
    // A collection not ingested at all has nothing to query, measure by measure.
    const ingested = (await periodsOf(store, collection)).length > 0;
    for (const measure of ingested ? MEASURES.filter((m) => m.collection === collection) : []) {
      const full = await getSeries(store, org.code, measure.id);
      const latest = full.points.filter((point) => point.value !== null).at(-1);
      if (!latest) continue;
      if (latest.period > period) period = latest.period;
      const href = `/org/${org.code}/${measure.id}`;
      if (targetFor(measure.id, org.level, latest.period)) {
        // A dozen charts folded away under the scorecard: each is an image of its own, fetched
        // when its collection is opened (spcChartImage); the measure's own page draws it inline.
        sections.push({ ...(await measureSection(fastify, full, latest.period, org.level, chartAddress(org.code, measure.id))), headingLevel: 3, href });
        continue;
      }
      const yearEarlier = full.points.find((point) => point.period === addMonths(latest.period, -12))?.value ?? null;
      compactRows.push([
        { html: `<a href="${href}">${escapeHtml(measure.title)}</a>` },
        { text: valueText(latest.value, measure.unit), format: 'numeric' },
        { text: periodLabel(latest.period, measure.frequency) },
        { text: yearEarlier === null || latest.value === null ? '' : changeText(latest.value - yearEarlier, measure.unit) || 'no change' },
      ]);
    }
    const title = pluginById(collection)?.title ?? collection;
    const count = sections.length + compactRows.length;
    if (count === 0) {
      empty.push(title);
      continue;
    }
    shownCollections.push(collection);
    groups.push({
      id: slug(collection),
      title,
      summary: `${title} (${count} ${count === 1 ? 'measure' : 'measures'})`,
      sections,
      ...(compactRows.length > 0 ? {
        compact: {
          caption: sections.length > 0 ? 'Other measures, without a target' : 'Measures without a target',
          head: [{ text: 'Measure' }, { text: 'Latest', format: 'numeric' }, { text: 'Month' }, { text: 'Change on a year earlier' }],
          rows: compactRows,
        },
      } : {}),
    });
  }
  const shownPeriod = period || status.period;
  const leading = leadingMonth(shownPeriod, new Date());
  const { shown, earlier, year } = splitByGuidanceYear(await scorecardRows(fastify, status), (row) => row.guidanceYear, leading);
  const name = displayName(org.name);
  return fastify.renderPage('pages/org.njk', {
    title: name,
    nav: 'search',
    crumbs: [{ href: '/', text: 'Home' }, { href: '/search', text: 'Find an organisation' }],
    org: {
      ...org,
      levelText: levelText(org.level),
      regionName: regionText(org.region),
      status: listing ? statusText(listing, directory[0]?.lastPeriod ?? null) : undefined,
      formed: formedText(org),
    },
    period: shownPeriod,
    scorecard: shown.length + earlier.length > 0 ? {
      id: 'scorecard',
      caption: `Against each target: ${year} guidance and the standing standards`,
      rows: shown,
      ...(earlier.length > 0 ? {
        earlier: {
          summary: `Targets of earlier guidance years (${earlier.length})`,
          caption: `${name} against the targets of earlier guidance years`,
          rows: earlier,
        },
      } : {}),
    } : undefined,
    groups,
    unmeasured: empty,
    // How fresh each collection shown is: "A&E figures to October 2025, published 11 December 2025".
    freshness: await freshnessLines(store, shownCollections),
  });
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** One measure of one organisation on a page of its own: what the home page's cards link to. */
export async function orgMeasurePage(fastify: FastifyInstance, code: string, metric: string): Promise<string> {
  const store = fastify.store;
  const measure = measureById(metric);
  const org = await describeOrg(store, code);
  const full = await getSeries(store, org.code, measure.id);
  const latest = full.points.filter((point) => point.value !== null).at(-1);
  if (!latest) {
    throw new PlanwatchError('E_NOT_FOUND', `No figures for ${measure.title.toLowerCase()} at ${displayName(org.name)} (${org.code}) are in the store.`);
  }
  const section = await measureSection(fastify, full, latest.period, org.level);
  // Every target on this measure, as a card with its road to the deadline (projection, what it
  // would take, how Planwatch reads the guidance): the scorecard rows link here.
  const status = await getStatus(store, org.code);
  // In the order the scorecard leads with: today's guidance year first, earlier years' last.
  const { shown, earlier } = splitByGuidanceYear(status.lines.filter((line) => line.metric === measure.id), (line) => guidanceYearOf(line.targetId), leadingMonth(status.period, new Date()));
  const targets = [...shown, ...earlier].map((line) => ({
    title: line.title,
    value: valueText(line.value, line.unit),
    period: assessedText(line),
    verdict: verdictOf(line),
    gap: gapText(line.gap, line.unit),
    lastMet: line.lastMet ? periodLabel(line.lastMet) : 'never in the data',
    ...(line.due && !line.final ? { note: `Due ${periodLabel(line.due)}: this is the position so far.` } : line.note && line.value === null ? { note: line.note } : {}),
    source: { title: line.source.document, url: line.source.url },
    headingLevel: 3,
    ...(line.projection ? { projection: projectionParams(line) } : {}),
    ...(line.needed ? { needed: neededParams(line) } : {}),
    ...(line.reading ? { reading: line.reading } : {}),
  }));
  return fastify.renderPage('pages/org-measure.njk', {
    targets,
    title: `${measure.short}: ${displayName(org.name)}`,
    nav: 'search',
    crumbs: [{ href: '/', text: 'Home' }, { href: `/org/${org.code}`, text: displayName(org.name) }],
    org: { ...org, levelText: levelText(org.level) },
    section: { ...section, headingLevel: 0 },
    freshness: await freshnessLines(store, [measure.collection]),
  });
}

/** Where an organisation page's chart of a measure is served as an SVG file. */
export function chartAddress(code: string, metric: string): string {
  return `/org/${code}/${metric}/chart.svg`;
}

/** What a measure's chart shows: its last 36 months with SPC against the target, and its events. */
async function chartOf(fastify: FastifyInstance, full: SeriesResult, latestPeriod: string, level: Level) {
  const { measure, org } = full;
  const target = targetFor(measure.id, level, latestPeriod);
  const threshold = target && 'threshold' in target ? (target.threshold ?? null) : null;
  const from = addMonths(latestPeriod, -(CHART_MONTHS - 1));
  const { points, spc } = await getSeriesWithSpc(fastify.store, org.code, measure.id, { from, ...(threshold !== null ? { threshold } : {}) });
  const judged = points.map((point, i) => ({ ...point, ...spc.points[i]!, value: point.value }));
  const events = chartEvents(measure.id, points[0]?.period ?? from, latestPeriod);
  const input: ChartInput = {
    events: events.marks,
    measure: measure.short,
    orgName: displayName(org.name),
    unit: measure.unit,
    frequency: measure.frequency,
    points: judged,
    target: threshold,
  };
  return { target, threshold, from, points, spc, judged, events, input };
}

/** The chart of one measure of one organisation as an SVG file: what its page's image shows. */
export async function orgChartFile(fastify: FastifyInstance, code: string, metric: string): Promise<string> {
  const measure = measureById(metric);
  const org = await describeOrg(fastify.store, code);
  const full = await getSeries(fastify.store, org.code, measure.id);
  const latest = full.points.filter((point) => point.value !== null).at(-1);
  if (!latest) {
    throw new PlanwatchError('E_NOT_FOUND', `No figures for ${measure.title.toLowerCase()} at ${displayName(org.name)} (${org.code}) are in the store.`);
  }
  return spcChartFile((await chartOf(fastify, full, latest.period, org.level)).input);
}

/** One measure's section: facts, icons and chart with its table; the chart inline, or an image at `chartSrc`. */
async function measureSection(fastify: FastifyInstance, full: SeriesResult, latestPeriod: string, level: Level, chartSrc?: string) {
  const { measure, org } = full;
  const store = fastify.store;
  const unit = measure.unit;
  const at = new Map(full.points.map((point) => [point.period, point]));
  const latest = at.get(latestPeriod)!;
  const yearEarlier = at.get(addMonths(latestPeriod, -12))?.value ?? null;
  const { target, threshold, from, points, spc, judged, events, input } = await chartOf(fastify, full, latestPeriod, level);
  const status = (await getStatus(store, org.code)).lines.find((line) => line.metric === measure.id && line.targetId === target?.id);
  const rankLevel = RANK_LEVEL[level];
  const position = rankLevel ? await rankOf(store, measure.id, rankLevel, org.code, latestPeriod) : undefined;
  const id = slug(measure.id);
  const name = displayName(org.name);
  const labelled = { ...input, labelledBy: `${id}-chart-caption` };
  const chart = chartSrc ? spcChartImage(labelled, chartSrc) : spcChart(labelled);
  const iconsHtml = spcIcons(spc);
  const trial = spc.segments.some((segment) => segment.trial);
  const fact = (key: string, value: string) => ({ key: { text: key }, value: { text: value } });
  const facts = [
    fact('Latest', `${valueText(latest.value, unit)} in ${periodLabel(latestPeriod, measure.frequency)}`),
    ...(target ? [
      fact('Target', `${target.comparator === 'improve_vs_baseline' ? target.title : `${target.comparator === '>=' ? 'at least' : target.comparator === '<=' ? 'at most' : target.comparator} ${valueText(threshold, unit)}`}${target.title ? ` (${target.title})` : ''}`),
      fact('Met?', status ? verdictOf(status).text : 'Unknown'),
      ...(status && status.gap !== null ? [fact('Gap to target', gapText(status.gap, unit))] : []),
      fact('Last met', status?.lastMet ? periodLabel(status.lastMet, measure.frequency) : 'never in the data'),
    ] : []),
    fact('Change on a year earlier', yearEarlier === null || latest.value === null ? 'no figure a year earlier' : `${changeText(latest.value - yearEarlier, unit)} than ${periodLabel(addMonths(latestPeriod, -12), measure.frequency)} (${valueText(yearEarlier, unit)})`),
    ...(await monthlyBeside(fastify, measure.id, org.code, latestPeriod)).map((text) => fact('Monthly (beds sitrep)', text)),
    ...(position && position.rank !== null ? [fact(`Rank among ${levelPlural(rankLevel === 'trust' ? (measure.providerLevel ?? 'trust') : rankLevel!)}`, `${position.rank} of ${position.ranked} (1 = ${measure.direction === 'decrease' ? 'lowest' : 'highest'})`)] : []),
  ];
  return {
    id,
    title: measure.title,
    description: measure.description,
    facts,
    iconsHtml,
    caveat: [
      trial ? `The process limits are trial limits: fewer than 13 months have figures.` : '',
      full.points.some((point) => point.note) ? measure.caveat ?? '' : '',
      // England's RTT figures: say which months are NHS England's own (with its estimates for
      // trusts that did not report) and which are a sum of the providers that did.
      latest.basis ? `${periodLabel(latestPeriod, measure.frequency)}: ${latest.members ? `England is ${latest.basis}.` : latest.basis}` : '',
      full.points.some((point) => point.basis && !point.members) && latest.members
        ? `Earlier months are NHS England's published England figures${full.points.some((point) => point.includesEstimates) ? ', including its estimates for trusts that did not report' : ''}.` : '',
    ].filter(Boolean).join(' ') || undefined,
    chart: {
      id: `${id}-chart`,
      chart,
      events: events.list,
      rebase: events.rebase,
      csvHref: `/api/v1/series/${org.code}/${measure.id}?format=csv`,
      csvLabel: 'every month',
      table: {
        caption: `${measure.short} at ${name}, ${periodLabel(points[0]?.period ?? from, measure.frequency)} to ${periodLabel(latestPeriod, measure.frequency)}`,
        head: [
          { text: 'Month' },
          { text: 'Value', format: 'numeric' },
          { text: 'Mean', format: 'numeric' },
          { text: 'Lower limit', format: 'numeric' },
          { text: 'Upper limit', format: 'numeric' },
          { text: 'Variation' },
        ],
        rows: judged.map((point) => [
          { text: periodLabel(point.period, measure.frequency) },
          { text: valueText(point.value, unit), format: 'numeric' },
          { text: point.mean === null ? '' : valueText(point.mean, unit), format: 'numeric' },
          { text: point.lpl === null ? '' : valueText(point.lpl, unit), format: 'numeric' },
          { text: point.upl === null ? '' : valueText(point.upl, unit), format: 'numeric' },
          { text: point.value === null ? (point.note ?? '') : sentence(POINT_TYPE_LABELS[point.pointType]) },
        ]),
      },
    },
  };
}

/**
 * The monthly figures of the quarter a quarterly measure's latest value is for ("Oct 2024 93.1%,
 * …"), or the latest month held when the quarter's months are not; nothing when the monthly
 * collection has no figure for the organisation.
 */
async function monthlyBeside(fastify: FastifyInstance, metric: string, org: string, quarterEnd: string): Promise<string[]> {
  const monthlyId = MONTHLY_BESIDE[metric];
  if (!monthlyId) return [];
  const monthly = measureById(monthlyId);
  if ((await periodsOf(fastify.store, monthly.collection)).length === 0) return [];
  const { points } = await getSeries(fastify.store, org, monthly.id);
  const known = points.filter((point) => point.value !== null);
  const quarter = known.filter((point) => point.period > addMonths(quarterEnd, -3) && point.period <= quarterEnd);
  if (quarter.length > 0) return [quarter.map((point) => `${periodLabel(point.period)}: ${valueText(point.value, monthly.unit)}`).join(', ')];
  const latest = known.at(-1);
  return latest ? [`${valueText(latest.value, monthly.unit)} in ${periodLabel(latest.period)} (${monthly.short.toLowerCase()})`] : [];
}

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
