import { assess, meets, relativeThreshold, type Assessment } from '../analysis/assess.js';
import { change, rank } from '../analysis/rank.js';
import { PlanwatchError } from '../errors.js';
import { ENGLAND, levelOfCode, regionName, type Level } from '../measures/hierarchy.js';
import { MEASURES, findMeasure, measureById, type MeasureDefinition } from '../measures/index.js';
import { addMonths, isPeriod } from '../measures/periods.js';
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
  /** The threshold in force for this organisation when it is relative to its own baseline. */
  threshold?: number | null;
  targetMet: boolean | null;
  /** Values of the measure's companions (e.g. 65+/78+/104+ week waiters) for the same month. */
  companions?: Record<string, number | null>;
  note?: string;
}

export interface League {
  measure: MeasureDefinition;
  period: string;
  level: Level;
  target?: { id: string; title: string; comparator: string; threshold: number | null };
  /** Measures shown beside this one, in order; each row's `companions` holds their values. */
  companions: MeasureDefinition[];
  rows: LeagueRow[];
}

/** The measures a measure lists as companions (unknown ids are left out). */
export function companionsOf(measure: MeasureDefinition): MeasureDefinition[] {
  return (measure.companions ?? []).flatMap((id) => findMeasure(id) ?? []);
}

async function companionValues(store: Store, measure: MeasureDefinition, level: Level, period: string): Promise<Map<string, Record<string, number | null>>> {
  const byOrg = new Map<string, Record<string, number | null>>();
  for (const companion of companionsOf(measure)) {
    for (const value of await measureValues(store, companion, { level, from: period, to: period })) {
      byOrg.set(value.org, { ...byOrg.get(value.org), [companion.id]: value.value });
    }
  }
  return byOrg;
}

// A relative target (each trust +5 points on its own November 2024 figure) has no single
// threshold: each organisation's comes from its own baseline month.
async function relativeThresholds(store: Store, measure: MeasureDefinition, level: Level, target: LoadedTarget | undefined): Promise<Map<string, number | null> | undefined> {
  if (target?.comparator !== 'improve_vs_baseline') return undefined;
  const baseline = await measureValues(store, measure, { level, from: target.baseline_period, to: target.baseline_period });
  return new Map(baseline.map((value) => [value.org, value.value === null ? null : relativeThreshold(target, value.value)]));
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
  const relative = await relativeThresholds(store, measure, level, target);
  const comparator = target ? (target.comparator === 'improve_vs_baseline' ? '>=' : target.comparator) : undefined;
  const companions = await companionValues(store, measure, level, period);
  const inRegion = query.region ? now.filter((value) => regions.get(value.org) === query.region) : now;
  const rows = rank(inRegion, measure.direction).map(({ item, rank: position }): LeagueRow => {
    const yearEarlier = before.get(item.org) ?? null;
    const region = regions.get(item.org);
    const own = relative ? (relative.get(item.org) ?? null) : threshold;
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
      ...(relative ? { threshold: own } : {}),
      targetMet: item.value === null || own === null || !comparator ? null : meets(item.value, comparator, own),
      ...(companions.size > 0 ? { companions: companions.get(item.org) ?? {} } : {}),
      ...(item.note ? { note: item.note } : {}),
    };
  });
  return {
    measure, period, level, rows, companions: companionsOf(measure),
    ...(target ? { target: { id: target.id, title: target.title, comparator: target.comparator, threshold } } : {}),
  };
}

async function regionsAt(store: Store, collection: string, period: string): Promise<Map<string, string>> {
  const rows = await store.all<{ org: string; parent: string }>(
    "SELECT org, any_value(parent) AS parent FROM current_org_facts WHERE collection = $1 AND period = $2 AND parent_level = 'region' GROUP BY org",
    [collection, period]);
  return new Map(rows.map((row) => [row.org, row.parent]));
}

export interface CompanionValue {
  metric: string;
  short: string;
  unit: MeasureDefinition['unit'];
  value: number | null;
}

export interface StatusLine extends Assessment {
  title: string;
  metric: string;
  measureTitle: string;
  unit: MeasureDefinition['unit'];
  source: { title: string; url: string; document: string };
  /** The measure's companions in the assessed month (e.g. the longest waiters beside a %). */
  companions?: CompanionValue[];
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
  const seriesOf = async (measure: MeasureDefinition) => {
    let series = seriesByMetric.get(measure.id);
    if (!series) {
      series = await measureSeries(store, measure, org.code);
      seriesByMetric.set(measure.id, series);
    }
    return series;
  };
  for (const target of targets) {
    const measure = MEASURES.find((m) => m.id === target.metric)!;
    const latest = await latestPeriod(store, measure.collection);
    if (!latest) {
      unmeasured.add(measure.id);
      continue;
    }
    const asOf = asked ?? latest;
    shownPeriod ??= asOf;
    const series = await seriesOf(measure);
    if (series.every((point) => point.value === null)) {
      unmeasured.add(measure.id);
      continue;
    }
    const assessment = assess(series, target, asOf, measure.unit === 'percent' ? 100 : 1);
    const month = isPeriod(assessment.assessedPeriod) ? assessment.assessedPeriod : asOf;
    const companions: CompanionValue[] = [];
    for (const companion of companionsOf(measure)) {
      const value = (await seriesOf(companion)).find((point) => point.period === month)?.value ?? null;
      companions.push({ metric: companion.id, short: companion.short, unit: companion.unit, value });
    }
    lines.push({
      ...assessment,
      title: target.title,
      metric: measure.id,
      measureTitle: measure.title,
      unit: measure.unit,
      source: { title: target.source.title, url: target.source.url, document: target.file.title },
      ...(companions.length > 0 ? { companions } : {}),
    });
  }
  return { org, period: shownPeriod ?? '', lines, unmeasured: [...unmeasured] };
}
