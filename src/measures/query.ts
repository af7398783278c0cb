import type { Store } from '../store/store.js';
import { MERGED_ICB_CODES } from '../sources/icbs.js';
import { bandFieldsOf, fieldsOf, type MeasureDefinition, type Term } from './definition.js';
import { ENGLAND, REGION_CODES, levelOfCode, type Level } from './hierarchy.js';
import { monthsBetween } from './periods.js';
import { bandQuantile } from './waiting-time.js';

/** A measure's figure for one organisation (or aggregate) and period. */
export interface MeasureValue {
  org: string;
  period: string;
  numerator: number | null;
  denominator: number | null;
  /** In the measure's unit: percent 0–100 for percentages. null when not reported. */
  value: number | null;
  /** Aggregates: the organisations summed. */
  members?: string[];
  /** Aggregates: organisations in the area left out because they did not report. */
  excluded?: string[];
  /** Aggregates made from apportioned members (ambulance services' shares of an ICB): an estimate. */
  apportioned?: boolean;
  /** Why the value is null (e.g. a field-testing trust, or no publication for the month). */
  note?: string;
}

export interface ValueQuery {
  level: Level;
  /** Restrict to these organisations (or aggregates). */
  orgs?: readonly string[];
  from?: string;
  to?: string;
}

interface Built {
  sql: string;
  params: Record<string, string | number>;
  /** Band-count columns b0, b1, … that distribution measures carry through every level. */
  bands: string[];
}

function termSql(term: Term, index: Map<string, number>): string {
  const column = `f${index.get(term.field)}`;
  const value = term.optional ? `coalesce(${column}, 0)` : column;
  return `${term.sign === -1 ? '-' : '+'} ${value}`;
}

/**
 * The measure's numerator and denominator per organisation and month, from current figures.
 * A missing or null field makes the whole figure null (never 0), except optional fields that a
 * layout did not publish at all.
 */
function baseCte(measure: MeasureDefinition, query: { org?: string; from?: string; to?: string; fileId?: number }): Built {
  const fields = fieldsOf(measure);
  const index = new Map(fields.map((field, i) => [field, i]));
  const params: Record<string, string | number> = { collection: measure.collection, from: query.from ?? '0000-01', to: query.to ?? '9999-12' };
  fields.forEach((field, i) => (params[`m${i}`] = field));
  const pivots = fields.map((_, i) => `SUM(value) FILTER (WHERE metric = $m${i}) AS f${i}`).join(',\n      ');
  const numerator = measure.numerator.map((term) => termSql(term, index)).join(' ');
  const denominator = measure.denominator ? measure.denominator.map((term) => termSql(term, index)).join(' ') : 'NULL';
  const bands = bandFieldsOf(measure).map((_, j) => `b${j}`);
  const bandSelect = bandFieldsOf(measure).map((field, j) => `, base.f${index.get(field)} AS b${j}`).join('');
  // Current figures by default; one publication's own figures when asked for its history.
  let figures = 'current_observations';
  if (query.fileId !== undefined) {
    params.fileId = query.fileId;
    figures = '(SELECT $collection AS collection, * FROM observations WHERE file_id = $fileId)';
  }
  let orgFilter = '';
  if (query.org) {
    params.org = query.org;
    orgFilter = 'AND org = $org';
  }
  const sql = `
    base AS (
      SELECT org, period,
      ${pivots}
      FROM ${figures}
      WHERE collection = $collection AND metric IN (${fields.map((_, i) => `$m${i}`).join(', ')})
        AND period BETWEEN $from AND $to ${orgFilter}
      GROUP BY org, period
    ),
    m AS (
      SELECT base.org, base.period, (0 ${numerator}) AS num, (${denominator === 'NULL' ? 'NULL' : `0 ${denominator}`})::DOUBLE AS den, notes.note${bandSelect}
      FROM base
      LEFT JOIN (SELECT org, period, any_value(note) AS note FROM current_notes WHERE collection = $collection GROUP BY org, period) notes
        ON notes.org = base.org AND notes.period = base.period
    )`;
  return { sql, params, bands };
}

type ValueRow = {
  org: string;
  period: string;
  num: number | null;
  den: number | null;
  note?: string | null;
  members?: string[] | null;
  excluded?: string[] | null;
  apportioned?: boolean | null;
} & Record<string, unknown>;

function toValue(measure: MeasureDefinition, row: ValueRow): MeasureValue {
  let value: number | null;
  if (measure.distribution) {
    const bands = measure.distribution.bands.map((band, j) => ({ from: band.from, to: band.to, count: (row[`b${j}`] as number | null | undefined) ?? null }));
    value = row.num === null ? null : bandQuantile(bands, measure.distribution.quantile);
  } else if (measure.denominator) {
    value = row.num === null || row.den === null || row.den === 0 ? null : (measure.unit === 'percent' ? 100 : 1) * (row.num / row.den);
  } else {
    value = row.num;
  }
  const out: MeasureValue = { org: row.org, period: row.period, numerator: row.num, denominator: measure.denominator ? row.den : null, value };
  if (row.members) out.members = row.members;
  if (row.excluded && row.excluded.length > 0) out.excluded = row.excluded;
  if (row.note && value === null) out.note = row.note;
  if (row.apportioned) out.apportioned = true;
  return out;
}

const AGGREGATE_LEVELS: readonly Level[] = ['england', 'region', 'icb'];

/**
 * Every value of a measure at one level: providers and trusts as published; regions, ICBs and
 * England by summing their members' numerators and denominators (never averaging rates), or as
 * published for measures that cannot be summed.
 */
export async function measureValues(store: Store, measure: MeasureDefinition, query: ValueQuery): Promise<MeasureValue[]> {
  const single = query.orgs?.length === 1 ? query.orgs[0] : undefined;
  const aggregate = AGGREGATE_LEVELS.includes(query.level) && measure.rollUp === 'sum';
  if (aggregate && query.level === 'icb' && measure.icbRollUp === 'none') return [];
  const base = baseCte(measure, { ...(single && !aggregate ? { org: single } : {}), ...(query.from ? { from: query.from } : {}), ...(query.to ? { to: query.to } : {}) });
  let rows: ValueRow[];
  const bandColumns = base.bands.map((column) => `, ${column}`).join('');
  const bandSums = base.bands.map((column) => `, SUM(${column} * weight) FILTER (WHERE reported) AS ${column}`).join('');
  if (!aggregate) {
    rows = await store.all<ValueRow>(`WITH ${base.sql} SELECT org, period, num, den, note${bandColumns} FROM m ORDER BY org, period`, base.params);
    rows = rows.filter((row) => isAtLevel(row.org, query.level));
  } else {
    rows = await store.all<ValueRow>(`WITH ${base.sql}, ${parentCte(query.level)}
      SELECT parent AS org, period,
        SUM(num * weight) FILTER (WHERE reported) AS num,
        SUM(den * weight) FILTER (WHERE reported) AS den,
        list(org ORDER BY org) FILTER (WHERE reported) AS members,
        list(org ORDER BY org) FILTER (WHERE NOT reported) AS excluded,
        bool_or(weight <> 1) AS apportioned${bandSums}
      FROM parented
      WHERE parent IS NOT NULL
      GROUP BY parent, period
      ORDER BY parent, period`, { ...base.params, ...parentParams(measure, query.level) });
    rows = await withoutPartialSums(store, measure, rows);
  }
  const wanted = query.orgs ? new Set(query.orgs) : undefined;
  return rows.filter((row) => !wanted || wanted.has(row.org)).map((row) => toValue(measure, row));
}

/**
 * A sum over part of a publication (a one-trust subset of a national extract) is not an area's
 * figure: such months have no regional, ICB or England value, and say why.
 */
async function withoutPartialSums(store: Store, measure: MeasureDefinition, rows: ValueRow[]): Promise<ValueRow[]> {
  const partial = await store.all<{ period: string; partial: string }>(
    `SELECT p.period, any_value(f.partial) AS partial FROM file_periods p JOIN files f USING (file_id)
     WHERE p.collection = $1 AND p.superseded_by IS NULL AND f.partial IS NOT NULL GROUP BY p.period`, [measure.collection]);
  if (partial.length === 0) return rows;
  const why = new Map(partial.map((row) => [row.period, row.partial]));
  return rows.map((row) => {
    const reason = why.get(row.period);
    if (reason === undefined) return row;
    const blanked: ValueRow = { org: row.org, period: row.period, num: null, den: null, note: `the store holds only part of this publication (${reason}), so there is no figure for the area` };
    return blanked;
  });
}

/** Whether a published (not rolled-up) row belongs to a level: ambulance trusts are R-coded trusts. */
function isAtLevel(org: string, level: Level): boolean {
  const own = levelOfCode(org);
  if (level === 'provider') return own === 'trust' || own === 'provider';
  if (level === 'ambulance_trust') return own === 'trust';
  return own === level;
}

// DuckDB refuses parameters a statement does not use, so $apportioned goes only to ICB queries.
function parentParams(measure: MeasureDefinition, level: Level): Record<string, string | number> {
  return {
    // A publication's own area rows are not members: England, regions, merged ICBs (Z9B2Z) and,
    // by pattern below, the 2022 ICB codes.
    aggregates: JSON.stringify([ENGLAND, ...REGION_CODES, ...MERGED_ICB_CODES]),
    hasDen: measure.denominator ? 1 : 0,
    ...(level === 'icb' ? { apportioned: measure.icbRollUp === 'apportioned' ? 1 : 0 } : {}),
  };
}

// Members are the organisations a publication lists (never its own aggregate rows); a member is
// "reported" when its numerator (and denominator, for rates) is published for the month.
// England takes every member whole. Regions come from the publication's own region column, else
// ODS. ICBs come from dated ODS links, except for apportioned measures, which use only their own
// collection's weighted links (an ambulance service counts towards each ICB it serves by weight).
function parentCte(level: Level): string {
  const placed = `m.*, (m.num IS NOT NULL AND (m.den IS NOT NULL OR $hasDen = 0)) AS reported`;
  const members = `m.org NOT IN (SELECT unnest(from_json($aggregates, '["VARCHAR"]'))) AND NOT regexp_matches(m.org, '^Q[A-Z0-9]{2}$')`;
  const dated = `links.org = m.org AND (links.valid_from IS NULL OR m.period >= links.valid_from) AND (links.valid_to IS NULL OR m.period <= links.valid_to)`;
  if (level === 'england') {
    return `parented AS (SELECT ${placed}, '${ENGLAND}' AS parent, 1.0 AS weight FROM m WHERE ${members})`;
  }
  if (level === 'region') {
    return `
    parented AS (
      SELECT ${placed}, coalesce(facts.parent, links.target) AS parent, 1.0 AS weight
      FROM m
      LEFT JOIN (SELECT org, period, any_value(parent) AS parent FROM current_org_facts
                 WHERE collection = $collection AND parent_level = 'region' GROUP BY org, period) facts
        ON facts.org = m.org AND facts.period = m.period
      LEFT JOIN (SELECT org, target, valid_from, valid_to FROM current_org_links
                 WHERE relation = 'parent' AND level = 'region' AND weight IS NULL) links
        ON ${dated}
      WHERE ${members}
    )`;
  }
  return `
    parented AS (
      SELECT ${placed}, links.target AS parent, coalesce(links.weight, 1.0) AS weight
      FROM m
      LEFT JOIN (SELECT org, target, valid_from, valid_to, weight FROM current_org_links
                 WHERE relation = 'parent' AND level = 'icb'
                   AND (CASE WHEN $apportioned = 1 THEN collection = $collection AND weight IS NOT NULL ELSE weight IS NULL END)) links
        ON ${dated}
      WHERE ${members}
    )`;
}

/** Providers a level cannot place (e.g. no ICB for them in ODS): listed, never silently dropped. */
export async function unplacedOrgs(store: Store, measure: MeasureDefinition, level: Level, period: string): Promise<string[]> {
  if (!AGGREGATE_LEVELS.includes(level) || level === 'england' || measure.rollUp !== 'sum') return [];
  if (level === 'icb' && measure.icbRollUp === 'none') return [];
  const base = baseCte(measure, { from: period, to: period });
  const rows = await store.all<{ org: string }>(`WITH ${base.sql}, ${parentCte(level)} SELECT org FROM parented WHERE parent IS NULL ORDER BY org`,
    { ...base.params, ...parentParams(measure, level), hasDen: 1 });
  return rows.map((row) => row.org);
}

/** The months a collection has figures for, first to last. */
export async function collectionPeriods(store: Store, collection: string): Promise<string[]> {
  const rows = await store.all<{ period: string }>(
    'SELECT DISTINCT period FROM file_periods WHERE collection = $1 AND superseded_by IS NULL ORDER BY period', [collection]);
  return rows.map((row) => row.period);
}

export interface SeriesQuery {
  from?: string;
  to?: string;
}

/**
 * One organisation's series, with every month between the first and last publication present:
 * a month the store has no publication for is reported as missing, never filled in.
 */
export async function measureSeries(store: Store, measure: MeasureDefinition, org: string, query: SeriesQuery = {}): Promise<MeasureValue[]> {
  const level = levelOfCode(org);
  const values = await measureValues(store, measure, { level, orgs: [org], ...(query.from ? { from: query.from } : {}), ...(query.to ? { to: query.to } : {}) });
  const published = await collectionPeriods(store, measure.collection);
  if (published.length === 0) return [];
  const first = query.from && query.from > published[0]! ? query.from : published[0]!;
  const last = query.to && query.to < published.at(-1)! ? query.to : published.at(-1)!;
  const step = measure.frequency === 'quarter' ? 3 : 1;
  const byPeriod = new Map(values.map((value) => [value.period, value]));
  const available = new Set(published);
  const start = step === 3 ? (published.find((p) => p >= first) ?? first) : first;
  return monthsBetween(start, last, step).map((period) => byPeriod.get(period) ?? {
    org, period, numerator: null, denominator: null, value: null,
    note: available.has(period) ? 'not in this publication' : 'no publication in the store for this month',
  });
}

/** Latest name of every organisation the publications list. */
export async function orgNames(store: Store): Promise<Map<string, string>> {
  const rows = await store.all<{ org: string; name: string }>('SELECT org, arg_max(name, period) AS name FROM current_org_facts GROUP BY org');
  return new Map(rows.map((row) => [row.org, row.name]));
}

export interface PublishedVersion {
  file: string;
  ingestedAt: Date;
  /** 'YYYY-MM-DD' or 'YYYY-MM' as the file, its name or its page says; null when none does. */
  published: string | null;
  /** 'first', 'revised', 'provisional' or 'final'; null when nothing says. */
  edition: string | null;
  current: boolean;
  value: MeasureValue | undefined;
}

/**
 * Every publication of one month for an organisation that is published as a row (a provider or
 * a publication's own aggregate row), oldest first: what the original said and what each revision
 * changed. Roll-ups are computed from current figures only.
 */
export async function measureHistory(store: Store, measure: MeasureDefinition, org: string, period: string): Promise<PublishedVersion[]> {
  // Publication order, not ingest order: dated files by date, then the current one last.
  const files = await store.all<{ file_id: number; name: string; ingested_at: Date; published: string | null; edition: string | null; current: boolean }>(
    `SELECT f.file_id, f.name, f.ingested_at, f.published, f.edition, p.superseded_by IS NULL AS current
     FROM file_periods p JOIN files f USING (file_id) WHERE p.collection = $1 AND p.period = $2
     ORDER BY p.superseded_by IS NULL, f.published NULLS FIRST, f.name`,
    [measure.collection, period]);
  const versions: PublishedVersion[] = [];
  for (const file of files) {
    const base = baseCte(measure, { org, from: period, to: period, fileId: file.file_id });
    const [row] = await store.all<{ org: string; period: string; num: number | null; den: number | null; note: string | null }>(
      `WITH ${base.sql} SELECT org, period, num, den, note FROM m`, base.params);
    versions.push({ file: file.name, ingestedAt: file.ingested_at, published: file.published, edition: file.edition, current: file.current, value: row ? toValue(measure, row) : undefined });
  }
  return versions;
}
