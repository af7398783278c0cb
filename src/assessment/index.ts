import { assess, comparatorOf, meets, relativeThreshold, type Assessment } from '../analysis/assess.js';
import { change, rank } from '../analysis/rank.js';
import { spc, type SpcResult } from '../analysis/spc/index.js';
import { PlanwatchError } from '../errors.js';
import { ENGLAND, REGION_CODES, levelOfCode, regionName, type Level } from '../measures/hierarchy.js';
import { measureById, type MeasureDefinition, type Unit } from '../measures/index.js';
import { addMonths, financialYearMonths, isPeriod } from '../measures/periods.js';
import { collectionPeriods, measureSeries, measureValues, orgNames, unplacedOrgs, type MeasureValue } from '../measures/query.js';
import type { Store } from '../store/store.js';
import { loadTargets, type LoadedTarget } from '../targets/load.js';
import { memoise, memoKey } from './memo.js';
import { roadTo, type TargetNeeded, type TargetProjection } from './trajectories.js';

export { memoise } from './memo.js';
export { isCurrent, orgDirectory, searchOrgs, type DirectoryEntry } from './directory.js';

/**
 * What every surface asks of the data: a series, a league table, an organisation's status
 * against its targets. The CLI, the API and the pages share these, so they always agree.
 */
export interface Organisation {
  code: string;
  name: string;
  /** The organisation's main level; `levels` lists every level its publications give it. */
  level: Level;
  levels?: Level[];
  region?: string;
  /** The ICB ODS places it in now (or last, if closed). */
  icb?: string;
  /** Organisations that took over its services, and those whose services it took over. */
  successors?: Succession[];
  predecessors?: Succession[];
}

export interface Succession {
  code: string;
  name?: string;
  /** First month the successor ran the services ('YYYY-MM'). */
  from: string;
}

export function checkPeriod(text: string | undefined, option: string): string | undefined {
  if (text === undefined) return undefined;
  if (!isPeriod(text)) throw new PlanwatchError('E_USAGE', `${option} must be a month as YYYY-MM (e.g. 2025-03), not "${text}".`);
  return text;
}

// The targets files do not change while Planwatch runs; reading and validating them per request
// cost more than the query they qualify.
let targetsCache: LoadedTarget[] | undefined;
function targets(): LoadedTarget[] {
  targetsCache ??= loadTargets();
  return targetsCache;
}

function names(store: Store): Promise<Map<string, string>> {
  return memoise(store, 'orgNames', () => orgNames(store));
}

export function describeOrg(store: Store, code: string): Promise<Organisation> {
  const upper = code.trim().toUpperCase();
  return memoise(store, memoKey('describeOrg', upper), () => describe(store, code, upper));
}

async function describe(store: Store, code: string, upper: string): Promise<Organisation> {
  const level = levelOfCode(upper);
  if (level === 'england') return { code: ENGLAND, name: 'England', level };
  const region = regionName(upper);
  if (region) return { code: upper, name: region, level };
  const known = await names(store);
  // An ICB that only ODS links name (no ambulance workbook ingested yet) is known, by its code.
  const isLinkTarget = level === 'icb' && (await store.one('SELECT 1 AS known FROM current_org_links WHERE target = $1 LIMIT 1', [upper])) !== undefined;
  const name = known.get(upper) ?? (isLinkTarget ? upper : undefined);
  if (!name) {
    throw new PlanwatchError('E_NOT_FOUND', `Unknown organisation "${code}": no ingested publication lists it. Use an ODS code such as RHU, an ICB such as QRL, a region such as Y59, or ENG.`);
  }
  const fact = await store.one<{ parent: string }>(
    "SELECT arg_max(parent, period) AS parent FROM current_org_facts WHERE org = $1 AND parent_level = 'region'", [upper]);
  const icb = await store.one<{ target: string }>(
    "SELECT arg_max(target, coalesce(valid_to, '9999-12')) AS target FROM current_org_links WHERE org = $1 AND relation = 'parent' AND level = 'icb' AND weight IS NULL", [upper]);
  const levels = await levelsOf(store, upper, level);
  const successors = await successions(store, upper, 'successors', known);
  const predecessors = await successions(store, upper, 'predecessors', known);
  return {
    code: upper, name, level: levels[0] ?? level,
    ...(levels.length > 1 ? { levels } : {}),
    ...(fact?.parent ? { region: fact.parent } : {}),
    ...(icb?.target ? { icb: icb.target } : {}),
    ...(successors.length > 0 ? { successors } : {}),
    ...(predecessors.length > 0 ? { predecessors } : {}),
  };
}

/**
 * Every level an organisation's publications give it: an ambulance service is an
 * 'ambulance_trust' (AmbSYS), an A&E provider a 'trust' or 'provider'; ODS calls every NHS trust a
 * trust, which counts only when no publication says more. The Isle of Wight NHS Trust is both.
 */
async function levelsOf(store: Store, code: string, byCode: Level): Promise<Level[]> {
  const rows = await store.all<{ level: string | null; collection: string }>(
    'SELECT DISTINCT level, collection FROM current_org_facts WHERE org = $1', [code]);
  const levels = new Set<Level>();
  for (const { level, collection } of rows) {
    if (collection === 'ods') continue;
    if (level === 'ambulance_trust') levels.add('ambulance_trust');
    else if (level === 'icb') levels.add('icb');
    else levels.add(byCode === 'trust' ? 'trust' : 'provider');
  }
  if (levels.size === 0) levels.add(byCode);
  return [...levels].sort((a, b) => LEVEL_ORDER.indexOf(a) - LEVEL_ORDER.indexOf(b));
}

const LEVEL_ORDER: readonly Level[] = ['england', 'region', 'icb', 'trust', 'provider', 'ambulance_trust'];

async function successions(store: Store, code: string, direction: 'successors' | 'predecessors', names: Map<string, string>): Promise<Succession[]> {
  const [mine, theirs] = direction === 'successors' ? ['org', 'target'] : ['target', 'org'];
  const rows = await store.all<{ code: string; from: string }>(
    // The cited list and the ODS successor file can date one succession differently (RW6 → R0A:
    // April 2021 when North Manchester moved, October 2021 in succ.csv): the first month counts.
    `SELECT ${theirs} AS code, min(valid_from) AS "from" FROM current_org_links WHERE relation = 'successor' AND ${mine} = $1 GROUP BY code ORDER BY "from", code`, [code]);
  return rows.map((row) => ({ code: row.code, from: row.from, ...(names.get(row.code) ? { name: names.get(row.code)! } : {}) }));
}

export async function latestPeriod(store: Store, collection: string): Promise<string | undefined> {
  return (await periodsOf(store, collection)).at(-1);
}

/** The months a collection has figures for, first to last. */
export function periodsOf(store: Store, collection: string): Promise<string[]> {
  return memoise(store, memoKey('periods', collection), () => collectionPeriods(store, collection));
}

export interface SeriesResult {
  org: Organisation;
  measure: MeasureDefinition;
  points: MeasureValue[];
  /** ICB and region series: providers of the collection that no area of this level contains in the last month shown. */
  unplaced?: { period: string; orgs: string[] };
  /** With predecessors: each predecessor's own series up to its succession. */
  predecessors?: { org: Organisation; from: string; points: MeasureValue[] }[];
  /**
   * Months where the organisation's history changes basis (a merger or transfer): charts start a
   * new segment there and SPC limits are recalculated (a rebase), never drawn across it.
   */
  rebase?: { period: string; reason: string }[];
}

export interface SeriesQuery {
  from?: string;
  to?: string;
  /** Everything as known at the end of this month: later months are left out. */
  asOf?: string;
  /** Also return the series of every predecessor (ODS successions), with rebase markers. */
  withPredecessors?: boolean;
}

export async function getSeries(store: Store, orgCode: string, metric: string, query: SeriesQuery = {}): Promise<SeriesResult> {
  const measure = measureById(metric);
  checkPeriod(query.from, '--from');
  checkPeriod(query.to, '--to');
  const asOf = checkPeriod(query.asOf, '--as-of');
  // As of a month is the series cut there; figures revised after it still show their current value.
  const to = asOf !== undefined && (query.to === undefined || asOf < query.to) ? asOf : query.to;
  const cut: SeriesQuery = { ...(query.from ? { from: query.from } : {}), ...(to ? { to } : {}), ...(query.withPredecessors ? { withPredecessors: true } : {}) };
  return memoise(store, memoKey('getSeries', orgCode.trim().toUpperCase(), metric, cut.from, cut.to, cut.withPredecessors), () => seriesOf(store, orgCode, measure, cut));
}

async function seriesOf(store: Store, orgCode: string, measure: MeasureDefinition, query: SeriesQuery): Promise<SeriesResult> {
  const org = await describeOrg(store, orgCode);
  const range = {
    ...(checkPeriod(query.from, '--from') ? { from: query.from } : {}),
    ...(checkPeriod(query.to, '--to') ? { to: query.to } : {}),
  };
  const points = await measureSeries(store, measure, org.code, range);
  const result: SeriesResult = { org, measure, points };
  const last = points.at(-1)?.period;
  if ((org.level === 'icb' || org.level === 'region') && last) {
    result.unplaced = { period: last, orgs: await unplacedOrgs(store, measure, org.level, last) };
  }
  if (query.withPredecessors && org.predecessors) {
    result.predecessors = [];
    for (const predecessor of org.predecessors) {
      const described = await describeOrg(store, predecessor.code).catch((error: unknown) => {
        if (error instanceof PlanwatchError && error.code === 'E_NOT_FOUND') return { code: predecessor.code, name: predecessor.code, level: 'trust' as Level };
        throw error;
      });
      const before = addMonths(predecessor.from, -1);
      const own = await measureSeries(store, measure, predecessor.code, { ...range, to: range.to && range.to < before ? range.to : before });
      result.predecessors.push({ org: described, from: predecessor.from, points: own.filter((point) => point.period <= before) });
    }
    result.rebase = org.predecessors.map((p) => ({ period: p.from, reason: `${p.name ?? p.code} (${p.code}) services joined ${org.name} (${org.code})` }));
  }
  return result;
}

/** A series point as the CLI's --json and the API print it: optional fields only when present. */
export function pointJson(point: MeasureValue) {
  return {
    period: point.period,
    value: point.value,
    numerator: point.numerator,
    denominator: point.denominator,
    ...(point.note ? { note: point.note } : {}),
    ...(point.members ? { members: point.members } : {}),
    ...(point.excluded ? { excluded: point.excluded } : {}),
    ...(point.apportioned ? { apportioned: true } : {}),
  };
}

export interface SeriesWithSpc extends SeriesResult {
  spc: SpcResult;
  /** The target the assurance icon is judged against (the one applicable at the latest month). */
  target?: { id: string; title: string; threshold: number };
}

export interface SpcQuery {
  from?: string;
  to?: string;
  asOf?: string;
  /** Judge assurance against this threshold instead of the target applicable at the latest month. */
  threshold?: number;
}

/**
 * A series with Making Data Count SPC: limits, special-cause rules, variation and assurance
 * against the target that applies to the organisation at the latest month (or `threshold`).
 */
export async function getSeriesWithSpc(store: Store, orgCode: string, metric: string, query: SpcQuery = {}): Promise<SeriesWithSpc> {
  const series = await getSeries(store, orgCode, metric, { ...(query.from ? { from: query.from } : {}), ...(query.to ? { to: query.to } : {}), ...(query.asOf ? { asOf: query.asOf } : {}) });
  return memoise(store, memoKey('getSeriesWithSpc', series.org.code, metric, query.from, series.points.at(-1)?.period, query.threshold), async () => withSpc(series, query.threshold));
}

function withSpc(series: SeriesResult, override: number | undefined): SeriesWithSpc {
  const metric = series.measure.id;
  const latest = series.points.at(-1)?.period;
  const target = latest ? applicableTarget(targets(), metric, series.org.level, latest) : undefined;
  const applicable = target && 'threshold' in target ? target.threshold : undefined;
  const threshold = override ?? applicable;
  const result = spc(series.points.map((point) => ({ period: point.period, value: point.value })), {
    direction: series.measure.direction,
    ...(threshold !== undefined ? { target: threshold } : {}),
  });
  const judgedBy = override !== undefined ? undefined : target && applicable !== undefined ? { id: target.id, title: target.title, threshold: applicable } : undefined;
  return { ...series, spc: result, ...(judgedBy ? { target: judgedBy } : {}) };
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

/** The target a chart draws and an assurance icon judges against, for one level and month. */
export function targetFor(metric: string, level: Level, period: string): LoadedTarget | undefined {
  return applicableTarget(targets(), metric, level, period);
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
  /** The threshold in force for this organisation when it is relative to its own baseline. */
  threshold?: number | null;
  targetMet: boolean | null;
  note?: string;
  /** With `from`: the value in that month, the change since, and the rank on that change. */
  fromValue?: number | null;
  changeSinceFrom?: number | null;
  improvementRank?: number | null;
  /** Counts of the longest waiters, in the order of League.companions. */
  companions: Companion[];
}

export interface League {
  measure: MeasureDefinition;
  period: string;
  level: Level;
  /** The earlier month "most improved" compares with, when asked. */
  from?: string;
  region?: string;
  /** The companion measures shown as extra columns, in order. */
  companions: Omit<Companion, 'value'>[];
  /** ICB and region tables: providers no area of the level contains that month (listed, not dropped). */
  unplaced?: string[];
  target?: { id: string; title: string; comparator: string; threshold: number | null };
  rows: LeagueRow[];
}

export interface LeagueQuery {
  period?: string;
  level?: Level;
  region?: string;
  /** Rank the change from this month to `period` too ("most improved"), as NHS England's 2024 A&E incentive letter ranked March against January. */
  from?: string;
  /** As known at the end of this month: the default period is the latest up to it, and no later month may be asked for. */
  asOf?: string;
}

// A relative target (each trust +5 points on its own November 2024 figure) has no single
// threshold: each organisation's comes from its own baseline month.
async function relativeThresholds(store: Store, measure: MeasureDefinition, level: Level, target: LoadedTarget | undefined): Promise<Map<string, number | null> | undefined> {
  if (target?.comparator !== 'improve_vs_baseline') return undefined;
  const baseline = await measureValues(store, measure, { level, from: target.baseline_period, to: target.baseline_period });
  return new Map(baseline.map((value) => [value.org, value.value === null ? null : relativeThreshold(target, value.value, measure.direction)]));
}

export async function getLeague(store: Store, metric: string, query: LeagueQuery = {}): Promise<League> {
  const measure = measureById(metric);
  const level = query.level ?? 'trust';
  const asked = checkPeriod(query.period, '--period');
  const from = checkPeriod(query.from, '--from');
  const asOf = checkPeriod(query.asOf, '--as-of');
  const published = (await periodsOf(store, measure.collection)).filter((month) => asOf === undefined || month <= asOf);
  if (asked !== undefined && asOf !== undefined && asked > asOf) {
    throw new PlanwatchError('E_USAGE', `--period (${asked}) is after --as-of (${asOf}): as of ${asOf} it was not yet known.`);
  }
  const period = asked ?? published.at(-1);
  if (!period) throw new PlanwatchError('E_NOT_FOUND', `No ${measure.collection} publications are in the store yet: run planwatch ingest or planwatch fetch first.`);
  for (const month of [period, from]) {
    if (month !== undefined && !published.includes(month)) {
      throw new PlanwatchError('E_NOT_FOUND', `No ${measure.collection} figures for ${month}: the store has ${published[0]} to ${published.at(-1)}.`);
    }
  }
  if (from !== undefined && from >= period) {
    throw new PlanwatchError('E_USAGE', `--from (${from}) must be a month before --period (${period}).`);
  }
  const region = query.region?.toUpperCase();
  if (region !== undefined && !regionName(region)) {
    throw new PlanwatchError('E_USAGE', `Unknown region "${query.region}". Regions: ${REGION_CODES.join(', ')}.`);
  }
  return memoise(store, memoKey('getLeague', metric, level, period, region, from), () => leagueOf(store, measure, { level, period, region, from }));
}

async function leagueOf(store: Store, measure: MeasureDefinition, query: { level: Level; period: string; region: string | undefined; from: string | undefined }): Promise<League> {
  const { level, period, region, from } = query;
  const earlier = addMonths(period, -12);
  const first = from !== undefined && from < earlier ? from : earlier;
  const values = await measureValues(store, measure, { level, from: first, to: period });
  const valueAt = (month: string | undefined) => new Map(values.filter((value) => value.period === month).map((value) => [value.org, value.value]));
  const now = values.filter((value) => value.period === period);
  const before = valueAt(earlier);
  const atFrom = valueAt(from);
  const orgNamesNow = await names(store);
  const regions = level === 'trust' || level === 'provider' || level === 'ambulance_trust' ? await regionsAt(store, measure.collection, period) : new Map<string, string>();
  // Trust tables of ambulance measures are ambulance-trust tables: their targets apply there.
  const targetLevel = level === 'trust' && measure.providerLevel ? measure.providerLevel : level;
  const target = applicableTarget(targets(), measure.id, targetLevel, period);
  const unplaced = level === 'icb' || level === 'region' ? await unplacedOrgs(store, measure, level, period) : [];
  const threshold = target && 'threshold' in target ? (target.threshold ?? null) : null;
  const relative = await relativeThresholds(store, measure, level, target);
  const comparator = target && target.comparator !== 'improve_on_previous_year' ? comparatorOf(target, measure.direction) : undefined;
  const inRegion = region ? now.filter((value) => regions.get(value.org) === region) : now;
  const companionsOf = await companionsAt(store, measure, level, period);
  const improvement = from === undefined
    ? new Map<string, number | null>()
    : new Map(rank(inRegion.map((item) => ({ org: item.org, value: change(item.value, atFrom.get(item.org) ?? null) })), measure.direction)
      .map(({ item, rank: position }) => [item.org, position]));
  const rows = rank(inRegion, measure.direction).map(({ item, rank: position }): LeagueRow => {
    const yearEarlier = before.get(item.org) ?? null;
    const regionOf = regions.get(item.org);
    const own = relative ? (relative.get(item.org) ?? null) : threshold;
    const row: LeagueRow = {
      rank: position,
      org: item.org,
      name: orgNamesNow.get(item.org) ?? regionName(item.org) ?? (item.org === ENGLAND ? 'England' : item.org),
      ...(regionOf ? { region: regionOf } : {}),
      value: item.value,
      numerator: item.numerator,
      denominator: item.denominator,
      yearEarlier,
      change: change(item.value, yearEarlier),
      ...(relative ? { threshold: own } : {}),
      targetMet: item.value === null || own === null || !comparator ? null : meets(item.value, comparator, own),
      ...(item.note ? { note: item.note } : {}),
      companions: companionsOf(item.org),
    };
    if (from !== undefined) {
      row.fromValue = atFrom.get(item.org) ?? null;
      row.changeSinceFrom = change(item.value, row.fromValue);
      row.improvementRank = improvement.get(item.org) ?? null;
    }
    return row;
  });
  return {
    measure, period, level, rows,
    ...(from !== undefined ? { from } : {}),
    ...(region !== undefined ? { region } : {}),
    companions: (measure.companions ?? []).map(measureById).map((companion) => ({ metric: companion.id, short: companion.short, unit: companion.unit })),
    ...(unplaced.length > 0 ? { unplaced } : {}),
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
  /** The last month of the target's period ('YYYY-MM'), or null for a standing standard. */
  due: string | null;
  source: { title: string; url: string; document: string };
  /** Counts of the longest waiters for the same organisation and month. */
  companions: Companion[];
  /** Targets not yet due: the value projected at the deadline, its 80% interval and the verdict. */
  projection: TargetProjection | null;
  /** Targets not met at the latest month: the steady change a month needed, and what peers achieved. */
  needed: TargetNeeded | null;
  /** Where the target's source is ambiguous, the reading Planwatch encodes. */
  reading?: string;
}

export interface Status {
  org: Organisation;
  period: string;
  lines: StatusLine[];
  /** Measures with no figure for this organisation, so the targets on them cannot be assessed. */
  unmeasured: string[];
}

export async function getStatus(store: Store, orgCode: string, query: { period?: string; asOf?: string } = {}): Promise<Status> {
  const period = checkPeriod(query.period, '--period');
  const asOf = checkPeriod(query.asOf, '--as-of');
  if (period !== undefined && asOf !== undefined && period !== asOf) {
    throw new PlanwatchError('E_USAGE', `--period (${period}) and --as-of (${asOf}) name different months: status is assessed as of one month, so give one of them.`);
  }
  const asked = asOf ?? period;
  const org = await describeOrg(store, orgCode);
  return memoise(store, memoKey('getStatus', org.code, asked), () => statusOf(store, org, asked));
}

async function statusOf(store: Store, org: Organisation, asked: string | undefined): Promise<Status> {
  const levels = org.levels ?? [org.level];
  const applicable = targets().filter((target) => levels.some((level) => appliesAt(target, level)));
  const lines: StatusLine[] = [];
  const unmeasured = new Set<string>();
  let shownPeriod = asked;
  for (const target of applicable) {
    const measure = measureById(target.metric);
    const latest = await latestPeriod(store, measure.collection);
    if (!latest) {
      unmeasured.add(measure.id);
      continue;
    }
    const asOf = asked ?? latest;
    shownPeriod ??= asOf;
    const { points: series } = await getSeries(store, org.code, measure.id, { asOf });
    if (series.every((point) => point.value === null)) {
      unmeasured.add(measure.id);
      continue;
    }
    const assessment = assess(series, target, asOf, measure.unit === 'percent' ? 100 : 1, measure.direction);
    const peers = org.level === 'england' ? undefined : await peerSeries(store, measure, org.level, asOf);
    const road = roadTo(target, measure, assessment, series, asOf, peers);
    const companions = await companionsAt(store, measure, org.level, monthOf(assessment.assessedPeriod, asOf), [org.code]);
    lines.push({
      ...assessment,
      title: target.title,
      metric: measure.id,
      measureTitle: measure.title,
      unit: measure.unit,
      due: 'month' in target.period ? target.period.month : 'financial_year' in target.period ? financialYearMonths(target.period.financial_year).to : null,
      source: { title: target.source.title, url: target.source.url, document: target.file.title },
      companions: companions(org.code),
      projection: road.projection,
      needed: road.needed,
      ...(target.reading ? { reading: target.reading } : {}),
    });
  }
  return { org, period: shownPeriod ?? '', lines, unmeasured: [...unmeasured] };
}

/**
 * Every organisation's series at a level up to `asOf`, the peers a "what it would take" compares
 * with. Trusts are compared with trusts, ICBs with ICBs.
 */
function peerSeries(store: Store, measure: MeasureDefinition, level: Level, asOf: string): Promise<Map<string, MeasureValue[]>> {
  return memoise(store, memoKey('peerSeries', measure.id, level, asOf), async () => {
    const out = new Map<string, MeasureValue[]>();
    for (const value of await measureValues(store, measure, { level, to: asOf })) {
      const list = out.get(value.org) ?? [];
      list.push(value);
      out.set(value.org, list);
    }
    return out;
  });
}

/** The month an assessment's value is for: its own month, or for a whole-year target the last month counted. */
function monthOf(assessedPeriod: string, asOf: string): string {
  if (isPeriod(assessedPeriod)) return assessedPeriod;
  const { to } = financialYearMonths(assessedPeriod);
  return asOf < to ? asOf : to;
}
