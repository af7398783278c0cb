import { ENGLAND, REGION_CODES } from '../dimensions.js';
import { MERGED_ICB_CODES } from '../sources/icbs.js';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Store } from './store.js';

/**
 * The SQL that turns current figures into a measure's numerator and denominator, per
 * organisation and month, and sums them up the hierarchy. The store knows no measure
 * definitions (they are downstream); callers describe a measure by the raw fields it sums.
 */
export interface SqlTerm {
  field: string;
  sign?: 1 | -1;
  /** Absent from some layouts: counts as 0 there. */
  optional?: boolean;
}

export interface MeasureSql {
  collection: string;
  numerator: readonly SqlTerm[];
  denominator?: readonly SqlTerm[] | undefined;
  /** Week-band count fields that distribution measures carry through every level, as b0, b1, … */
  bandFields: readonly string[];
  /** ICB figures from the collection's own weighted links (ambulance services' shares). */
  apportioned: boolean;
}

const CURRENT = { observations: 'current_observations', notes: 'current_notes', facts: 'current_org_facts', links: 'current_org_links' };
const SNAPSHOT = { observations: 'snapshot_observations', notes: 'snapshot_notes', facts: 'snapshot_org_facts', links: 'snapshot_org_links', wide: 'snapshot_wide' };
/** The snapshot in force: the wide table's column number of each raw field. */
const inSnapshot = new AsyncLocalStorage<{ columns: Map<string, number> }>();

function snapshotNames(): typeof CURRENT {
  return inSnapshot.getStore() ? SNAPSHOT : CURRENT;
}

/**
 * Runs `work` (inside a write transaction) with one collection's current figures and the
 * organisation links copied once into temporary tables, which every statement of this module
 * then reads instead of the views. Rebuilding a collection's measure values asks for dozens of
 * measures and levels; the views join every stored figure to its file's currency each time.
 */
export async function withCollectionSnapshot<T>(store: Store, collection: string, measures: readonly MeasureSql[], work: () => Promise<T>): Promise<T> {
  const drop = async () => {
    for (const table of Object.values(SNAPSHOT)) await store.run(`DROP TABLE IF EXISTS ${table}`);
  };
  await drop();
  await store.run(`CREATE TEMP TABLE ${SNAPSHOT.observations} AS SELECT * FROM current_observations WHERE collection = $1`, [collection]);
  await store.run(`CREATE TEMP TABLE ${SNAPSHOT.notes} AS SELECT * FROM current_notes WHERE collection = $1`, [collection]);
  await store.run(`CREATE TEMP TABLE ${SNAPSHOT.facts} AS SELECT * FROM current_org_facts WHERE collection = $1`, [collection]);
  await store.run(`CREATE TEMP TABLE ${SNAPSHOT.links} AS SELECT * FROM current_org_links`);
  const fields = [...new Set(measures.flatMap(fieldsOf))];
  const params: Record<string, string> = {};
  fields.forEach((field, i) => (params[`m${i}`] = field));
  const pivots = fields.map((_, i) => `SUM(value) FILTER (WHERE metric = $m${i}) AS c${i}, count(*) FILTER (WHERE metric = $m${i}) AS n${i}`).join(', ');
  if (fields.length > 0) {
    await store.run(`CREATE TEMP TABLE ${SNAPSHOT.wide} AS SELECT org, period, ${pivots} FROM ${SNAPSHOT.observations} GROUP BY org, period`, params);
  }
  try {
    return await inSnapshot.run({ columns: new Map(fields.map((field, i) => [field, i])) }, work);
  } finally {
    await drop();
  }
}

/** Levels a roll-up is made for. */
export type RollUpLevel = 'england' | 'region' | 'icb';

export type ValueRow = {
  org: string;
  period: string;
  num: number | null;
  den: number | null;
  note?: string | null;
  members?: string[] | null;
  excluded?: string[] | null;
  apportioned?: boolean | null;
} & Record<string, unknown>;

interface Built {
  sql: string;
  params: Record<string, string | number>;
  bands: string[];
}

function fieldsOf(measure: MeasureSql): string[] {
  const terms = [...measure.numerator, ...(measure.denominator ?? [])].map((term) => term.field);
  return [...new Set([...terms, ...measure.bandFields])];
}

function termSql(term: SqlTerm, index: Map<string, number>): string {
  const column = `f${index.get(term.field)}`;
  const value = term.optional ? `coalesce(${column}, 0)` : column;
  return `${term.sign === -1 ? '-' : '+'} ${value}`;
}

/**
 * The measure's numerator and denominator per organisation and month, from current figures.
 * A missing or null field makes the whole figure null (never 0), except optional fields that a
 * layout did not publish at all.
 */
function baseCte(measure: MeasureSql, query: { org?: string; from?: string; to?: string; fileId?: number }): Built {
  const fields = fieldsOf(measure);
  const index = new Map(fields.map((field, i) => [field, i]));
  const params: Record<string, string | number> = { collection: measure.collection, from: query.from ?? '0000-01', to: query.to ?? '9999-12' };
  fields.forEach((field, i) => (params[`m${i}`] = field));
  const pivots = fields.map((_, i) => `SUM(value) FILTER (WHERE metric = $m${i}) AS f${i}`).join(',\n      ');
  const numerator = measure.numerator.map((term) => termSql(term, index)).join(' ');
  const denominator = measure.denominator ? measure.denominator.map((term) => termSql(term, index)).join(' ') : 'NULL';
  const bands = measure.bandFields.map((_, j) => `b${j}`);
  const bandSelect = measure.bandFields.map((field, j) => `, base.f${index.get(field)} AS b${j}`).join('');
  // Current figures by default; one publication's own figures when asked for its history.
  const names = snapshotNames();
  let figures = names.observations;
  if (query.fileId !== undefined) {
    params.fileId = query.fileId;
    figures = '(SELECT $collection AS collection, * FROM observations WHERE file_id = $fileId)';
  }
  let orgFilter = '';
  if (query.org) {
    params.org = query.org;
    orgFilter = 'AND org = $org';
  }
  const wide = query.fileId === undefined ? inSnapshot.getStore() : undefined;
  const columns = wide ? fields.map((field) => wide.columns.get(field)) : [];
  // In a snapshot the collection is pivoted already: each field is a column (c), with the count
  // of its published cells (n), so that a row exists exactly when one of the fields was published.
  const baseSql = wide && columns.every((column) => column !== undefined)
    ? `SELECT org, period, ${columns.map((column, i) => `c${column} AS f${i}`).join(', ')}
      FROM ${SNAPSHOT.wide}
      WHERE (${columns.map((column) => `n${column}`).join(' + ')}) > 0 AND period BETWEEN $from AND $to ${orgFilter}`
    : `SELECT org, period,
      ${pivots}
      FROM ${figures}
      WHERE collection = $collection AND metric IN (${fields.map((_, i) => `$m${i}`).join(', ')})
        AND period BETWEEN $from AND $to ${orgFilter}
      GROUP BY org, period`;
  if (baseSql.includes(SNAPSHOT.wide)) fields.forEach((_, i) => delete params[`m${i}`]);
  const sql = `
    base AS (${baseSql}),
    m AS (
      SELECT base.org, base.period, (0 ${numerator}) AS num, (${denominator === 'NULL' ? 'NULL' : `0 ${denominator}`})::DOUBLE AS den, notes.note${bandSelect}
      FROM base
      LEFT JOIN (SELECT org, period, any_value(note) AS note FROM ${names.notes} WHERE collection = $collection GROUP BY org, period) notes
        ON notes.org = base.org AND notes.period = base.period
    )`;
  return { sql, params, bands };
}

/** Figures as published, one row per organisation and month (every organisation, or one). */
export function publishedValueRows(store: Store, measure: MeasureSql, query: { org?: string; from?: string; to?: string }): Promise<ValueRow[]> {
  const base = baseCte(measure, query);
  const bandColumns = base.bands.map((column) => `, ${column}`).join('');
  return store.all<ValueRow>(`WITH ${base.sql} SELECT org, period, num, den, note${bandColumns} FROM m ORDER BY org, period`, base.params);
}

/**
 * Figures of a level made by summing members' numerators and denominators (never averaging
 * rates): one row per area and month, with the members summed and those left out.
 */
export function rolledUpValueRows(store: Store, measure: MeasureSql, level: RollUpLevel, query: { from?: string; to?: string }): Promise<ValueRow[]> {
  const base = baseCte(measure, query);
  const bandSums = base.bands.map((column) => `, SUM(${column} * weight) FILTER (WHERE reported) AS ${column}`).join('');
  return store.all<ValueRow>(`WITH ${base.sql}, ${parentCte(level)}
      SELECT parent AS org, period,
        SUM(num * weight) FILTER (WHERE reported) AS num,
        SUM(den * weight) FILTER (WHERE reported) AS den,
        list(org ORDER BY org) FILTER (WHERE reported) AS members,
        list(org ORDER BY org) FILTER (WHERE NOT reported) AS excluded,
        bool_or(weight <> 1) AS apportioned${bandSums}
      FROM parented
      WHERE parent IS NOT NULL
      GROUP BY parent, period
      ORDER BY parent, period`, { ...base.params, ...parentParams(measure, level) });
}

/**
 * rolledUpValueRows and unplacedOrgRowsInRange for several levels in two statements (the
 * refresh asks for every level of every measure): rows carry their `level`.
 */
export async function rolledUpLevels(store: Store, measure: MeasureSql, levels: readonly RollUpLevel[], query: { from?: string; to?: string }): Promise<{ rows: (ValueRow & { level: RollUpLevel })[]; unplaced: { level: RollUpLevel; period: string; orgs: string[] }[] }> {
  if (levels.length === 0) return { rows: [], unplaced: [] };
  const base = baseCte(measure, query);
  const bandSums = base.bands.map((column) => `, SUM(${column} * weight) FILTER (WHERE reported) AS ${column}`).join('');
  const ctes = levels.map((level) => parentCte(level, `parented_${level}`)).join(',\n');
  const params = { ...base.params, aggregates: JSON.stringify([ENGLAND, ...REGION_CODES, ...MERGED_ICB_CODES]), hasDen: measure.denominator ? 1 : 0,
    ...(levels.includes('icb') ? { apportioned: measure.apportioned ? 1 : 0 } : {}) };
  const values = levels.map((level) => `
      SELECT '${level}' AS level, parent AS org, period,
        SUM(num * weight) FILTER (WHERE reported) AS num,
        SUM(den * weight) FILTER (WHERE reported) AS den,
        list(org ORDER BY org) FILTER (WHERE reported) AS members,
        list(org ORDER BY org) FILTER (WHERE NOT reported) AS excluded,
        bool_or(weight <> 1) AS apportioned${bandSums}
      FROM parented_${level}
      WHERE parent IS NOT NULL
      GROUP BY parent, period`).join('\n      UNION ALL');
  const rows = await store.all<ValueRow & { level: RollUpLevel }>(`WITH ${base.sql}, ${ctes} ${values} ORDER BY level, org, period`, params);
  const placed = levels.filter((level) => level !== 'england');
  const unplaced = placed.length === 0 ? [] : await store.all<{ level: RollUpLevel; period: string; orgs: string[] }>(
    `WITH ${base.sql}, ${placed.map((level) => parentCte(level, `parented_${level}`)).join(',\n')}
     ${placed.map((level) => `SELECT '${level}' AS level, period, list(org ORDER BY org) AS orgs FROM parented_${level} WHERE parent IS NULL GROUP BY period`).join(' UNION ALL ')}`,
    params);
  return { rows, unplaced };
}

/** Providers a level cannot place in the month (e.g. no ICB for them in ODS). */
export async function unplacedOrgRows(store: Store, measure: MeasureSql, level: RollUpLevel, period: string): Promise<string[]> {
  const base = baseCte(measure, { from: period, to: period });
  const rows = await store.all<{ org: string }>(`WITH ${base.sql}, ${parentCte(level)} SELECT org FROM parented WHERE parent IS NULL ORDER BY org`,
    { ...base.params, ...parentParams(measure, level), hasDen: 1 });
  return rows.map((row) => row.org);
}

/** unplacedOrgRows for every month of a range at once: one statement instead of one a month. */
export async function unplacedOrgRowsInRange(store: Store, measure: MeasureSql, level: RollUpLevel, query: { from?: string; to?: string }): Promise<Map<string, string[]>> {
  const base = baseCte(measure, query);
  const rows = await store.all<{ period: string; orgs: string[] }>(
    `WITH ${base.sql}, ${parentCte(level)} SELECT period, list(org ORDER BY org) AS orgs FROM parented WHERE parent IS NULL GROUP BY period`,
    { ...base.params, ...parentParams(measure, level), hasDen: 1 });
  return new Map(rows.map((row) => [row.period, row.orgs]));
}

/** One publication's own figure for an organisation and month (its history, not current figures). */
export async function fileValueRow(store: Store, measure: MeasureSql, org: string, period: string, fileId: number): Promise<ValueRow | undefined> {
  const base = baseCte(measure, { org, from: period, to: period, fileId });
  const [row] = await store.all<ValueRow>(`WITH ${base.sql} SELECT org, period, num, den, note FROM m`, base.params);
  return row;
}

// DuckDB refuses parameters a statement does not use, so $apportioned goes only to ICB queries.
function parentParams(measure: MeasureSql, level: RollUpLevel): Record<string, string | number> {
  return {
    // A publication's own area rows are not members: England, regions, merged ICBs (Z9B2Z) and,
    // by pattern below, the 2022 ICB codes.
    aggregates: JSON.stringify([ENGLAND, ...REGION_CODES, ...MERGED_ICB_CODES]),
    hasDen: measure.denominator ? 1 : 0,
    ...(level === 'icb' ? { apportioned: measure.apportioned ? 1 : 0 } : {}),
  };
}

// Members are the organisations a publication lists (never its own aggregate rows); a member is
// "reported" when its numerator (and denominator, for rates) is published for the month.
// England takes every member whole. Regions come from the publication's own region column, else
// ODS. ICBs come from dated ODS links, except for apportioned measures, which use only their own
// collection's weighted links (an ambulance service counts towards each ICB it serves by weight).
function parentCte(level: RollUpLevel, name = 'parented'): string {
  const names = snapshotNames();
  const placed = `m.*, (m.num IS NOT NULL AND (m.den IS NOT NULL OR $hasDen = 0)) AS reported`;
  const members = `m.org NOT IN (SELECT unnest(from_json($aggregates, '["VARCHAR"]'))) AND NOT regexp_matches(m.org, '^Q[A-Z0-9]{2}$')`;
  const dated = `links.org = m.org AND (links.valid_from IS NULL OR m.period >= links.valid_from) AND (links.valid_to IS NULL OR m.period <= links.valid_to)`;
  if (level === 'england') {
    return `${name} AS (SELECT ${placed}, '${ENGLAND}' AS parent, 1.0 AS weight FROM m WHERE ${members})`;
  }
  if (level === 'region') {
    return `
    ${name} AS (
      SELECT ${placed}, coalesce(facts.parent, links.target) AS parent, 1.0 AS weight
      FROM m
      LEFT JOIN (SELECT org, period, any_value(parent) AS parent FROM ${names.facts}
                 WHERE collection = $collection AND parent_level = 'region' GROUP BY org, period) facts
        ON facts.org = m.org AND facts.period = m.period
      LEFT JOIN (SELECT org, target, valid_from, valid_to FROM ${names.links}
                 WHERE relation = 'parent' AND level = 'region' AND weight IS NULL) links
        ON ${dated}
      WHERE ${members}
    )`;
  }
  return `
    ${name} AS (
      SELECT ${placed}, links.target AS parent, coalesce(links.weight, 1.0) AS weight
      FROM m
      LEFT JOIN (SELECT org, target, valid_from, valid_to, weight FROM ${names.links}
                 WHERE relation = 'parent' AND level = 'icb'
                   AND (CASE WHEN $apportioned = 1 THEN collection = $collection AND weight IS NOT NULL ELSE weight IS NULL END)) links
        ON ${dated}
      WHERE ${members}
    )`;
}

/** The months a collection has current figures for, first to last. */
export async function collectionPeriods(store: Store, collection: string): Promise<string[]> {
  const rows = await store.all<{ period: string }>(
    'SELECT DISTINCT period FROM file_periods WHERE collection = $1 AND superseded_by IS NULL ORDER BY period', [collection]);
  return rows.map((row) => row.period);
}

/** Months whose current file is only part of its publication, with the reason (ParseSummary.partial). */
export async function partialPeriods(store: Store, collection: string): Promise<Map<string, string>> {
  const rows = await store.all<{ period: string; partial: string }>(
    `SELECT p.period, any_value(f.partial) AS partial FROM file_periods p JOIN files f USING (file_id)
     WHERE p.collection = $1 AND p.superseded_by IS NULL AND f.partial IS NOT NULL GROUP BY p.period`, [collection]);
  return new Map(rows.map((row) => [row.period, row.partial]));
}

type PublicationRow = { file_id: number; name: string; ingested_at: Date; published: string | null; edition: string | null; current: boolean };

/** Every file that published a collection's month, in publication order, and whether it is current. */
export function publicationsOf(store: Store, collection: string, period: string): Promise<PublicationRow[]> {
  // Publication order, not ingest order: dated files by date, then the current one last.
  return store.all<PublicationRow>(
    `SELECT f.file_id, f.name, f.ingested_at, f.published, f.edition, p.superseded_by IS NULL AS current
     FROM file_periods p JOIN files f USING (file_id) WHERE p.collection = $1 AND p.period = $2
     ORDER BY p.superseded_by IS NULL, f.published NULLS FIRST, f.name`,
    [collection, period]);
}
