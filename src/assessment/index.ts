import { assess, meets, type Assessment } from '../analysis/assess.js';
import { change, rank } from '../analysis/rank.js';
import { spc, type SpcResult } from '../analysis/spc/index.js';
import { PlanwatchError } from '../errors.js';
import { ENGLAND, levelOfCode, regionName, type Level } from '../measures/hierarchy.js';
import { MEASURES, measureById, type MeasureDefinition, type Unit } from '../measures/index.js';
import { addMonths, financialYearMonths, isPeriod } from '../measures/periods.js';
import { collectionPeriods, measureSeries, measureValues, orgNames, type MeasureValue } from '../measures/query.js';
import type { Store } from '../store/store.js';
import { loadTargets, type LoadedTarget } from '../targets/load.js';

/**
 * What every surface asks of the data: a series, a league table, an organisation's status
 * against its targets. The CLI, the API and the pages share these, so they always agree.
 */
export interface Organisation {
  code: string;
  name: string;
  level: Level;
  region?: string;
}

export function checkPeriod(text: string | undefined, option: string): string | undefined {
  if (text === undefined) return undefined;
  if (!isPeriod(text)) throw new PlanwatchError('E_USAGE', `${option} must be a month as YYYY-MM (e.g. 2025-03), not "${text}".`);
  return text;
}

export async function describeOrg(store: Store, code: string): Promise<Organisation> {
  const upper = code.trim().toUpperCase();
  const level = levelOfCode(upper);
  if (level === 'england') return { code: ENGLAND, name: 'England', level };
  const region = regionName(upper);
  if (region) return { code: upper, name: region, level };
  const names = await orgNames(store);
  const name = names.get(upper);
  if (!name) {
    throw new PlanwatchError('E_NOT_FOUND', `Unknown organisation "${code}": no ingested publication lists it. Use an ODS code such as RHU, a region such as Y59, or ENG.`);
  }
  const fact = await store.one<{ parent: string }>(
    "SELECT arg_max(parent, period) AS parent FROM current_org_facts WHERE org = $1 AND parent_level = 'region'", [upper]);
  return { code: upper, name, level, ...(fact?.parent ? { region: fact.parent } : {}) };
}

export async function latestPeriod(store: Store, collection: string): Promise<string | undefined> {
  return (await collectionPeriods(store, collection)).at(-1);
}

export interface SeriesResult {
  org: Organisation;
  measure: MeasureDefinition;
  points: MeasureValue[];
}

export async function getSeries(store: Store, orgCode: string, metric: string, query: { from?: string; to?: string } = {}): Promise<SeriesResult> {
  const measure = measureById(metric);
  const org = await describeOrg(store, orgCode);
  const points = await measureSeries(store, measure, org.code, {
    ...(checkPeriod(query.from, '--from') ? { from: query.from } : {}),
    ...(checkPeriod(query.to, '--to') ? { to: query.to } : {}),
  });
  return { org, measure, points };
}

export interface SeriesWithSpc extends SeriesResult {
  spc: SpcResult;
  /** The target the assurance icon is judged against (the one applicable at the latest month). */
  target?: { id: string; title: string; threshold: number };
}

/**
 * A series with Making Data Count SPC: limits, special-cause rules, variation and assurance
 * against the target that applies to the organisation at the latest month.
 */
export async function getSeriesWithSpc(store: Store, orgCode: string, metric: string, query: { from?: string; to?: string } = {}): Promise<SeriesWithSpc> {
  const series = await getSeries(store, orgCode, metric, query);
  const latest = series.points.at(-1)?.period;
  const target = latest ? applicableTarget(loadTargets(), metric, series.org.level, latest) : undefined;
  const threshold = target && 'threshold' in target ? target.threshold : undefined;
  const result = spc(series.points.map((point) => ({ period: point.period, value: point.value })), {
    direction: series.measure.direction,
    ...(threshold !== undefined ? { target: threshold } : {}),
  });
  return { ...series, spc: result, ...(target && threshold !== undefined ? { target: { id: target.id, title: target.title, threshold } } : {}) };
}

function appliesAt(target: LoadedTarget, level: Level): boolean {
  return (target.levels as readonly string[]).includes(level);
}

/** The target a league table judges against: the next one due, else the standing standard. */
export function applicableTarget(targets: readonly LoadedTarget[], metric: string, level: Level, period: string): LoadedTarget | undefined {
  const candidates = targets.filter((target) => target.metric === metric && appliesAt(target, level));
  const dueMonth = candidates
    .filter((target) => 'month' in target.period && target.period.month >= period)
    .sort((a, b) => ('month' in a.period && 'month' in b.period ? a.period.month.localeCompare(b.period.month) : 0))[0];
  if (dueMonth) return dueMonth;
  const year = candidates.find((target) => {
    if (!('financial_year' in target.period)) return false;
    const start = Number(target.period.financial_year.slice(0, 4));
    return period >= `${start}-04` && period <= `${start + 1}-03`;
  });
  return year ?? candidates.find((target) => 'every_month' in target.period);
}

/** A count of the longest waiters shown beside a percentage (MeasureDefinition.companions). */
export interface Companion {
  metric: string;
  short: string;
  unit: Unit;
  value: number | null;
}

/** The companions of `measure` for a level and month, looked up by organisation. */
async function companionsAt(store: Store, measure: MeasureDefinition, level: Level, period: string, orgs?: readonly string[]): Promise<(org: string) => Companion[]> {
  const tables: { companion: MeasureDefinition; values: Map<string, number | null> }[] = [];
  for (const companion of (measure.companions ?? []).map(measureById)) {
    const values = await measureValues(store, companion, { level, from: period, to: period, ...(orgs ? { orgs } : {}) });
    tables.push({ companion, values: new Map(values.map((value) => [value.org, value.value])) });
  }
  return (org) => tables.map(({ companion, values }) => ({ metric: companion.id, short: companion.short, unit: companion.unit, value: values.get(org) ?? null }));
}

export interface LeagueRow {
  rank: number | null;
  org: string;
  name: string;
  region?: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  yearEarlier: number | null;
  change: number | null;
  targetMet: boolean | null;
  note?: string;
  /** Counts of the longest waiters, in the order of League.companions. */
  companions: Companion[];
}

export interface League {
  measure: MeasureDefinition;
  period: string;
  level: Level;
  /** The companion measures shown as extra columns, in order. */
  companions: Omit<Companion, 'value'>[];
  target?: { id: string; title: string; comparator: string; threshold: number | null };
  rows: LeagueRow[];
}

export async function getLeague(store: Store, metric: string, query: { period?: string; level?: Level; region?: string } = {}): Promise<League> {
  const measure = measureById(metric);
  const level = query.level ?? 'trust';
  const period = checkPeriod(query.period, '--period') ?? (await latestPeriod(store, measure.collection));
  if (!period) throw new PlanwatchError('E_NOT_FOUND', `No ${measure.collection} publications are in the store yet: run planwatch ingest or planwatch fetch first.`);
  const earlier = addMonths(period, -12);
  const values = await measureValues(store, measure, { level, from: earlier, to: period });
  const now = values.filter((value) => value.period === period);
  const before = new Map(values.filter((value) => value.period === earlier).map((value) => [value.org, value.value]));
  const names = await orgNames(store);
  const regions = level === 'trust' || level === 'provider' ? await regionsAt(store, measure.collection, period) : new Map<string, string>();
  const target = applicableTarget(loadTargets(), metric, level, period);
  const threshold = target && 'threshold' in target ? target.threshold : null;
  const comparator = target && target.comparator !== 'improve_vs_baseline' ? target.comparator : undefined;
  const inRegion = query.region ? now.filter((value) => regions.get(value.org) === query.region) : now;
  const companionsOf = await companionsAt(store, measure, level, period);
  const rows = rank(inRegion, measure.direction).map(({ item, rank: position }): LeagueRow => {
    const yearEarlier = before.get(item.org) ?? null;
    const region = regions.get(item.org);
    return {
      rank: position,
      org: item.org,
      name: names.get(item.org) ?? regionName(item.org) ?? (item.org === ENGLAND ? 'England' : item.org),
      ...(region ? { region } : {}),
      value: item.value,
      numerator: item.numerator,
      denominator: item.denominator,
      yearEarlier,
      change: change(item.value, yearEarlier),
      targetMet: item.value === null || threshold === null || !comparator ? null : meets(item.value, comparator, threshold),
      ...(item.note ? { note: item.note } : {}),
      companions: companionsOf(item.org),
    };
  });
  return {
    measure, period, level, rows,
    companions: (measure.companions ?? []).map(measureById).map((companion) => ({ metric: companion.id, short: companion.short, unit: companion.unit })),
    ...(target ? { target: { id: target.id, title: target.title, comparator: target.comparator, threshold } } : {}),
  };
}

async function regionsAt(store: Store, collection: string, period: string): Promise<Map<string, string>> {
  const rows = await store.all<{ org: string; parent: string }>(
    "SELECT org, any_value(parent) AS parent FROM current_org_facts WHERE collection = $1 AND period = $2 AND parent_level = 'region' GROUP BY org",
    [collection, period]);
  return new Map(rows.map((row) => [row.org, row.parent]));
}

export interface StatusLine extends Assessment {
  title: string;
  metric: string;
  measureTitle: string;
  unit: MeasureDefinition['unit'];
  source: { title: string; url: string; document: string };
  /** Counts of the longest waiters for the same organisation and month. */
  companions: Companion[];
}

export interface Status {
  org: Organisation;
  period: string;
  lines: StatusLine[];
  /** Measures with no figure for this organisation, so the targets on them cannot be assessed. */
  unmeasured: string[];
}

export async function getStatus(store: Store, orgCode: string, query: { period?: string } = {}): Promise<Status> {
  const org = await describeOrg(store, orgCode);
  const targets = loadTargets().filter((target) => appliesAt(target, org.level));
  const lines: StatusLine[] = [];
  const unmeasured = new Set<string>();
  const asked = checkPeriod(query.period, '--period');
  let shownPeriod = asked;
  const seriesByMetric = new Map<string, MeasureValue[]>();
  for (const target of targets) {
    const measure = MEASURES.find((m) => m.id === target.metric)!;
    const latest = await latestPeriod(store, measure.collection);
    if (!latest) {
      unmeasured.add(measure.id);
      continue;
    }
    const asOf = asked ?? latest;
    shownPeriod ??= asOf;
    let series = seriesByMetric.get(measure.id);
    if (!series) {
      series = await measureSeries(store, measure, org.code);
      seriesByMetric.set(measure.id, series);
    }
    if (series.every((point) => point.value === null)) {
      unmeasured.add(measure.id);
      continue;
    }
    const assessment = assess(series, target, asOf, measure.unit === 'percent' ? 100 : 1);
    const companions = await companionsAt(store, measure, org.level, monthOf(assessment.assessedPeriod, asOf), [org.code]);
    lines.push({
      ...assessment,
      title: target.title,
      metric: measure.id,
      measureTitle: measure.title,
      unit: measure.unit,
      source: { title: target.source.title, url: target.source.url, document: target.file.title },
      companions: companions(org.code),
    });
  }
  return { org, period: shownPeriod ?? '', lines, unmeasured: [...unmeasured] };
}

/** The month an assessment's value is for: its own month, or for a whole-year target the last month counted. */
function monthOf(assessedPeriod: string, asOf: string): string {
  if (isPeriod(assessedPeriod)) return assessedPeriod;
  const { to } = financialYearMonths(assessedPeriod);
  return asOf < to ? asOf : to;
}
