import { createHash } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { DOUBLE, INTEGER, VARCHAR, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { PlanwatchError } from '../errors.js';
import type { Observation, OrgFact, OrgLink, ParseItem, ParseSummary, SourceFile } from '../sources/contract.js';
import { readHead } from '../sources/head.js';
import { mergePublication, publicationFromName, type PublicationInfo } from '../sources/publication.js';
import { claim } from '../sources/registry.js';
import { recomputeCurrent } from './currency.js';
import { ALL_COLLECTIONS, markPending } from './measure-table.js';
import { appendColumns } from './append.js';
import type { Store } from './store.js';

export interface IngestResult {
  file: string;
  status: 'ingested' | 'unchanged';
  collection: string;
  layout: string;
  periods: string[];
  orgs: number;
  rows: number;
  /** Files whose figures for these periods this one replaces (a later publication). */
  replaced: string[];
  /**
   * Months whose current figures changed with this ingest: the file is the latest publication
   * of them, or (an unchanged file newly dated by its page) the choice moved. Empty when the file
   * is an earlier publication than one already stored, or nothing changed.
   */
  changed: string[];
  /** When and as what the file was published, as the file, its name and its page say. */
  publication: PublicationInfo;
}

/** What ingest is given: the bytes, and where they were found and what that page said. */
export interface IngestSource {
  name: string;
  bytes: Uint8Array;
  url?: string;
  /** What the publication page says of the link (date, "revised"). */
  page?: PublicationInfo;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A file parsed completely, before anything is written. */
interface ParsedFile {
  plugin: { id: string };
  summary: ParseSummary;
  observations: Observation[];
  facts: OrgFact[];
  links: OrgLink[];
}

/** Parses a file whose bytes are not stored yet: throws PlanwatchError on bad input, writes nothing. */
async function parseSource(source: IngestSource, digest: string): Promise<ParsedFile> {
  // An empty file belongs to no collection, but "empty" is what the user needs to hear.
  if (new TextDecoder().decode(source.bytes.subarray(0, 1024)).replace(/^\uFEFF/, '').trim() === '') {
    throw new PlanwatchError('E_EMPTY', `${source.name}: the file is empty. Nothing was stored.`, { file: source.name });
  }
  const { plugin } = claim(readHead(source.name, source.bytes));
  const file: SourceFile = { name: source.name, bytes: source.bytes, sha256: digest, ...(source.url ? { url: source.url } : {}) };
  const observations: Observation[] = [];
  const facts: OrgFact[] = [];
  const links: OrgLink[] = [];
  const take = (item: ParseItem) => {
    if (item.kind === 'observation') observations.push(item.observation);
    else if (item.kind === 'org') facts.push(item.fact);
    else links.push(item.link);
  };
  const parser = plugin.parse(file, plugin.options.parse({}));
  let step = await parser.next();
  while (!step.done) {
    const value = step.value;
    if (Array.isArray(value)) for (const item of value as readonly ParseItem[]) take(item);
    else take(value as ParseItem);
    step = await parser.next();
  }
  return { plugin, summary: step.value, observations, facts, links };
}

type KnownFile = { collection: string; layout: string; observations: number; orgs: number; file_id: number; published: string | null; edition: string | null; published_from: string | null };

function knownFile(store: Store, digest: string): Promise<KnownFile | undefined> {
  return store.one<KnownFile>(
    'SELECT file_id, collection, layout, observations, orgs, published, edition, published_from FROM files WHERE sha256 = $1', [digest]);
}

/**
 * Ingests one published file in one transaction: it is parsed completely first (so a bad file
 * is refused before anything is written), then its figures are appended and the months it
 * covers point to it. Re-ingesting identical bytes changes nothing.
 */
export async function ingestFile(store: Store, source: IngestSource): Promise<IngestResult> {
  const digest = sha256(source.bytes);
  const known = await knownFile(store, digest);
  if (known) return ingestKnown(store, source, known);
  return storeParsed(store, source, digest, await parseSource(source, digest));
}

/**
 * A file read ahead of its turn (`ingestPaths`), parsed once `begin` is called: the caller calls
 * it while the file before is being committed (`whileCommitting`), so this thread parses while
 * DuckDB's threads write and sync, and the two cores work at once (issue 10 item 5).
 */
export interface PreparedFile {
  source: Promise<{ source: IngestSource; digest: string }>;
  parsed: Promise<ParsedFile>;
  begin: () => void;
}

export function prepareFile(filePath: string): PreparedFile {
  const source = readFile(filePath).then((bytes) => ({ source: { name: path.basename(filePath), bytes }, digest: sha256(bytes) }));
  let begin!: () => void;
  const begun = new Promise<void>((resolve) => (begin = resolve));
  const parsed = Promise.all([source, begun]).then(async ([read]) => {
    // A turn of its own, so whatever called begin() goes on first (the commit it awaits).
    await new Promise((resolve) => setImmediate(resolve));
    return parseSource(read.source, read.digest);
  });
  // Awaited in its turn (ingestPrepared), or not at all when the bytes are stored already.
  source.catch(() => undefined);
  parsed.catch(() => undefined);
  return { source, parsed, begin };
}

/**
 * ingestFile for a prepared file: the same checks and outcome, in the order files are given.
 * `whileCommitting` is called once this file's commit is under way.
 */
export async function ingestPrepared(store: Store, prepared: PreparedFile, whileCommitting?: () => void): Promise<IngestResult> {
  prepared.begin();
  const { source, digest } = await prepared.source;
  let parsed: ParsedFile;
  try {
    parsed = await prepared.parsed;
  } catch (error) {
    // Stored bytes are unchanged whatever their parse says today, as ingestFile finds them.
    const known = await knownFile(store, digest);
    if (known) return ingestKnown(store, source, known);
    throw error;
  }
  // Whether the bytes are stored already is asked in its turn by storeParsed's first statement,
  // so a file identical to one just stored is found unchanged, without a round trip of its own.
  return storeParsed(store, source, digest, parsed, whileCommitting);
}

async function storeParsed(store: Store, source: IngestSource, digest: string, parsed: ParsedFile, whileCommitting?: () => void): Promise<IngestResult> {
  const { plugin, summary, observations, facts, links } = parsed;
  const orgs = new Set([...observations.map((o) => o.org), ...facts.map((f) => f.org)]).size;
  // The file's own cover sheet first, then its name, then its page (publication.ts).
  const publication = mergePublication(summary.publication, publicationFromName(source.name), source.page);
  const collection = summary.collection ?? plugin.id;

  const stored = await store.transaction(async () => {
    // Inserts nothing (and takes no id from the sequence) when the same bytes are stored already.
    const inserted = await store.one<{ id: number }>(
      `INSERT INTO files (file_id, collection, name, sha256, url, layout, ingested_at, observations, orgs, partial, published, edition, published_from)
       SELECT nextval('file_ids'), $1, $2, $3, $4, $5, now(), $6, $7, $8, $9, $10, $11
       WHERE NOT EXISTS (SELECT 1 FROM files WHERE sha256 = $3) RETURNING file_id AS id`,
      [collection, source.name, digest, source.url ?? null, summary.layout, observations.length, orgs, summary.partial ?? null,
        publication.published ?? null, publication.edition ?? null, publication.source ?? null]);
    if (!inserted) return undefined;
    const { id } = inserted;
    // Periods travel as one JSON parameter so a 36-month file costs the same few statements as one month.
    const periods = JSON.stringify(summary.periods);
    await store.run(`INSERT INTO file_periods SELECT $1, $2, unnest(from_json($3, '["VARCHAR"]')), NULL`, [id, collection, periods]);
    const columns = new Map<string, string>();
    for (const o of observations) if (!columns.has(o.metric)) columns.set(o.metric, o.column);
    await appendColumns(store, 'file_columns', [INTEGER, VARCHAR, VARCHAR, VARCHAR],
      [[...columns.keys()].map(() => id), [...columns.keys()], [...columns.values()], [...columns.keys()].map(() => null)]);
    await appendObservations(store, id, observations);
    await appendOrgFacts(store, id, facts);
    await appendOrgLinks(store, id, links);
    // The files current before this one come from the same query that decides the months again:
    // one round trip fewer per file (issue 10 item 5).
    const before = new Set<number>();
    const changed = await recomputeCurrent(store, collection, summary.periods, id, before);
    // In this same transaction, so no committed version serves measure values older than its figures.
    await markPending(store, collection, changed);
    // Dated links move organisations between ICBs and regions in any month: every roll-up may move.
    if (links.length > 0) await markPending(store, ALL_COLLECTIONS, null, true);
    const replaced = await replacedBy(store, id, [...before]);
    return { file: source.name, status: 'ingested' as const, collection: collection, layout: summary.layout, periods: summary.periods, orgs, rows: observations.length, replaced, changed, publication };
  }, whileCommitting ? { whileCommitting } : {});
  if (stored) return stored;
  // The same bytes were stored, under this name or another: the transaction wrote nothing.
  return ingestKnown(store, source, (await knownFile(store, digest))!);
}

/**
 * A file already stored (same bytes). Nothing is re-read, but a publication page may date a
 * file that was ingested from a folder with no date: that date is kept and the months it covers
 * are decided again.
 */
async function ingestKnown(store: Store, source: IngestSource, known: KnownFile): Promise<IngestResult> {
  const periods = (await store.all<{ period: string }>('SELECT period FROM file_periods WHERE file_id = $1 ORDER BY period', [known.file_id])).map((p) => p.period);
  const stored: PublicationInfo = {
    ...(known.published ? { published: known.published } : {}),
    ...(known.edition ? { edition: known.edition as PublicationInfo['edition'] & string } : {}),
    ...(known.published_from ? { source: known.published_from as PublicationInfo['source'] & string } : {}),
  };
  const publication = mergePublication(stored, source.page);
  const result = { file: source.name, status: 'unchanged' as const, collection: known.collection, layout: known.layout, periods, orgs: known.orgs, rows: known.observations, replaced: [], changed: [] as string[], publication };
  if (publication.published === stored.published && publication.edition === stored.edition) return result;
  return store.transaction(async () => {
    await store.run('UPDATE files SET published = $1, edition = $2, published_from = $3 WHERE file_id = $4',
      [publication.published ?? null, publication.edition ?? null, publication.source ?? null, known.file_id]);
    const changed = await recomputeCurrent(store, known.collection, periods);
    await markPending(store, known.collection, changed);
    return { ...result, changed };
  });
}

/** Names of the files that were current for some of these months before and are not now. */
async function replacedBy(store: Store, fileId: number, before: number[]): Promise<string[]> {
  if (before.length === 0) return [];
  const rows = await store.all<{ name: string }>(
    `SELECT DISTINCT f.name FROM files f JOIN file_periods p USING (file_id)
     WHERE f.file_id IN (SELECT unnest(from_json($1, '["INTEGER"]'))) AND p.superseded_by = $2 ORDER BY f.name`,
    [JSON.stringify(before), fileId]);
  return rows.map((row) => row.name);
}

async function appendObservations(store: Store, fileId: number, observations: Observation[]): Promise<void> {
  const n = observations.length;
  const cols: DuckDBValue[][] = [new Array(n).fill(fileId), new Array(n), new Array(n), new Array(n), new Array(n), new Array(n)];
  const notes: DuckDBValue[][] = [[], [], [], [], []];
  observations.forEach((o, i) => {
    cols[1]![i] = o.metric;
    cols[2]![i] = o.org;
    cols[3]![i] = o.period;
    cols[4]![i] = o.value;
    cols[5]![i] = o.row;
    if (o.note) [fileId, o.metric, o.org, o.period, o.note].forEach((value, k) => notes[k]!.push(value));
  });
  await appendColumns(store, 'observations', [INTEGER, VARCHAR, VARCHAR, VARCHAR, DOUBLE, INTEGER], cols);
  await appendColumns(store, 'observation_notes', [INTEGER, VARCHAR, VARCHAR, VARCHAR, VARCHAR], notes);
}

async function appendOrgFacts(store: Store, fileId: number, facts: OrgFact[]): Promise<void> {
  const rows = facts.map((f) => [fileId, f.org, f.period, f.name, f.level ?? null, f.parentLevel ?? null, f.parent ?? null, f.opened ?? null, f.closed ?? null]);
  await appendColumns(store, 'org_facts', [INTEGER, VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR], transpose(rows, 9));
}

async function appendOrgLinks(store: Store, fileId: number, links: OrgLink[]): Promise<void> {
  const rows = links.map((l) => [fileId, l.org, l.relation, l.level, l.target, l.validFrom ?? null, l.validTo ?? null, l.weight ?? null]);
  await appendColumns(store, 'org_links', [INTEGER, VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR, DOUBLE], transpose(rows, 8));
}

function transpose(rows: DuckDBValue[][], width: number): DuckDBValue[][] {
  return Array.from({ length: width }, (_, column) => rows.map((row) => row[column]!));
}

export interface FoundFile {
  path: string;
  /** Named by the user rather than found by walking a folder. */
  explicit: boolean;
  size: number;
}

/** Files under the given paths (folders walked, hidden files and READMEs skipped), in name order. */
export async function listFiles(paths: readonly string[], explicit = true): Promise<FoundFile[]> {
  const found: FoundFile[] = [];
  for (const entry of paths) {
    const info = await stat(entry).catch((error: unknown) => {
      throw new PlanwatchError('E_USAGE', `${entry}: no such file or folder.`, { file: entry }, { cause: error });
    });
    if (info.isDirectory()) {
      const children = (await readdir(entry)).filter((name) => !name.startsWith('.') && !/^(README|SHA256SUMS)/i.test(name)).sort();
      found.push(...(await listFiles(children.map((name) => path.join(entry, name)), false)));
    } else {
      found.push({ path: entry, explicit, size: info.size });
    }
  }
  return found;
}

export async function ingestPath(store: Store, filePath: string, url?: string, page?: PublicationInfo): Promise<IngestResult> {
  const bytes = await readFile(filePath);
  return ingestFile(store, { name: path.basename(filePath), bytes, ...(url ? { url } : {}), ...(page ? { page } : {}) });
}

