import type { z } from 'zod';
import type { Logger } from 'pino';
import type { PublicationInfo } from './publication.js';

export type { Edition, PublicationInfo } from './publication.js';

/**
 * The source-plugin contract (STYLE.md §2). Every NHS England collection is one object that
 * satisfies `SourcePlugin`; adding a collection means a new folder and one line in registry.ts.
 * Sources know nothing of the store, measures or surfaces: they turn published files into tidy
 * observations with provenance, and find publications.
 */

/** Where one published value came from. */
export interface Provenance {
  collection: string;
  /** File name as published (or as the user named it). */
  file: string;
  sha256: string;
  url?: string;
  sheet?: string;
  /** 1-based line (CSV) or row (workbook) the value came from. */
  row: number;
  /** Header of that cell, as published. */
  column: string;
  /** Which historical layout matched, e.g. 'ae-2020-booked'. */
  layout: string;
}

/** One published figure: a raw field of the source for one organisation and period. */
export interface Observation {
  /** A raw field of the source, e.g. 'attendances_type1'. Measures are built from these. */
  metric: string;
  /** ODS code of the organisation, or 'ENG' for a national row the file publishes itself. */
  org: string;
  /** 'YYYY-MM'; a quarter is keyed by its last month ('2025-03' for Q4 2024-25). */
  period: string;
  /** null = published blank, suppressed or not reported; never silently 0. */
  value: number | null;
  /** Why a value is null when the file itself shows something else (e.g. field-testing trusts). */
  note?: string;
  row: number;
  column: string;
}

/**
 * Facts about an organisation as the file states them for a period: its published name and,
 * where the file gives one, its parent (e.g. the NHS England region for A&E). The store keeps
 * them per period so a month maps to the hierarchy in force then.
 */
export interface OrgFact {
  org: string;
  period: string;
  name: string;
  /** Level of the parent, e.g. 'region' or 'icb'. */
  parentLevel?: string;
  parent?: string;
  /** The organisation's own level as the source knows it, e.g. 'provider', 'ambulance_trust'. */
  level?: string;
  /** Open and close dates ('YYYY-MM-DD') where the source gives them (ODS). */
  opened?: string;
  closed?: string;
}

/**
 * A dated relation between organisations, from sources that publish the hierarchy (ODS) or
 * successions: `org` → `target` (its parent ICB or region, or its successor), in force from
 * `validFrom` to `validTo` ('YYYY-MM', inclusive; open-ended when absent). `weight` apportions a
 * member that serves several parents (an ambulance service's share of an ICB's incidents);
 * absent means the whole member belongs to the parent.
 */
export interface OrgLink {
  org: string;
  relation: 'parent' | 'successor';
  /** Level of the target: 'icb', 'region', 'trust'. */
  level: string;
  target: string;
  validFrom?: string;
  validTo?: string;
  weight?: number;
}

/** What a parser yields: observations, organisation facts and organisation links, in file order. */
export type ParseItem =
  | { kind: 'observation'; observation: Observation }
  | { kind: 'org'; fact: OrgFact }
  | { kind: 'link'; link: OrgLink };

/**
 * One step of a parser: an item, or a batch of items in order. A parser that holds a whole file's
 * items yields them as one batch, since every step of an async generator costs a promise and its
 * hooks (about a third of a second for the 335,000 items of the A&E files, issue 10 item 5).
 */
export type ParseStep = ParseItem | readonly ParseItem[];

/** What detect() sees: the name and the first lines (CSV) or sheet names and first rows. */
export interface FileHead {
  name: string;
  /** First lines of a text file, BOM removed; empty for workbooks. */
  lines: string[];
  /** For workbooks: sheet names. */
  sheets?: string[];
  /**
   * For workbooks: the first rows of a sheet as text, read on demand and remembered, for
   * workbooks that share sheet names and differ only in their headers.
   */
  preview?: (sheet: string) => readonly (readonly string[])[];
  /** Whether the file looks like a zip/ole workbook rather than text. */
  isWorkbook: boolean;
  /** For a zip archive holding one CSV: that CSV's name; `lines` are its first lines. */
  member?: string;
}

/** A file to parse: its name, bytes and checksum. */
export interface SourceFile {
  name: string;
  bytes: Uint8Array;
  sha256: string;
  url?: string;
}

/** A publication discovered on NHS England's site or in a folder. */
export interface Publication {
  collection: string;
  /** Download link, or a local path for folder sources. */
  url: string;
  /** Name of the file (last path segment of the link). */
  name: string;
  /** 'YYYY-MM' data period if the link text or name tells it. */
  period?: string;
  /** The link text on the page, as published. */
  title?: string;
  revised?: boolean;
  /**
   * Each new edition replaces the file at this same address (the ODS reports), so a server that
   * keeps itself current asks for it again on every check (conditionally: an unchanged file is
   * not downloaded again), not only when the address is new.
   */
  republishedInPlace?: boolean;
  /**
   * When and as what the page publishes the link: the upload month of the link
   * (`publicationFromUrl`), "revised" in its text. Ingest combines it with the file's own word.
   */
  publication?: PublicationInfo;
}

/** Injected I/O for discovery, so tests pass fakes and nothing reaches the network by accident. */
export interface Effects {
  fetch: typeof globalThis.fetch;
  logger: Pick<Logger, 'info' | 'warn' | 'debug'>;
  now: () => Date;
}

/** The result of parsing one file. `periods` lists the months the file publishes. */
export interface ParseSummary {
  layout: string;
  periods: string[];
  /**
   * Why the file holds only part of the publication (e.g. one provider's rows of a national
   * extract). Regions, ICBs and England are then not computed from it: a sum over part of the
   * country is not the country's figure.
   */
  partial?: string;
  /**
   * When and as what the file says it was published (a cover sheet's "Published", "Revised" and
   * "Status" rows: `publicationFromRows`). Omit what the file does not say; ingest adds what the
   * name and the publication page say, and the store picks the current file of each month from it.
   */
  publication?: PublicationInfo;
  /**
   * The collection the file's figures belong to, when a plugin reads two publications that must
   * not supersede each other's months (RTT's England overview timeseries, `rtt_england`, beside
   * the providers' full extracts). The plugin's id when omitted.
   */
  collection?: string;
}

export interface SourcePlugin<O extends z.ZodType = z.ZodType> {
  id: string;
  title: string;
  /** Every field has .describe() and its default inside the schema. */
  options: O;
  /** Pure, cheap, never throws: the layout this plugin recognises, or null. */
  detect(head: FileHead): { layout: string } | null;
  /**
   * Layouts that are someone else's copy of the collection rather than NHS England's files (the
   * NHS-R tidy A&E file): the store makes such a file current only for months that no file of
   * another layout covers, whatever the order of ingest.
   */
  fallbackLayouts?: readonly string[];
  /** Lists publications on NHS England's pages (newest first is not required). */
  discover?(opts: z.infer<O>, io: Effects): AsyncIterable<Publication>;
  /**
   * Parses a whole file. Yields observations and org facts, one at a time or in batches
   * (ParseStep); throws PlanwatchError on bad input. Writes nothing: the store consumes the
   * iterator inside one transaction.
   */
  parse(file: SourceFile, opts: z.infer<O>): AsyncGenerator<ParseStep, ParseSummary, undefined>;
}
