import { inputError } from '../../errors.js';
import type { OrgFact, OrgLink, ParseItem, ParseSummary, SourceFile } from '../contract.js';
import { readCsv, type CsvRecord } from '../csv/read.js';
import { ICB_MERGERS_2026, icbFormed, isIcbCode } from '../icbs.js';
import { ETR, ICB_CODE, ICB_ERA_FROM, ODS_CODE, ODS_DATE, REGION_CODE, SUCC, SUCC_CODE } from './layouts.js';
import { KNOWN_SUCCESSIONS } from './successions.js';

/** "20210930" → "2021-09-30"; undefined when the text is not a real calendar date. */
export function odsDate(text: string): string | undefined {
  const match = ODS_DATE.exec(text.trim());
  if (!match) return undefined;
  const [, year, month, day] = match as unknown as [string, string, string, string];
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) return undefined;
  return `${year}-${month}-${day}`;
}

const monthOf = (date: string): string => date.slice(0, 7);

function field(record: CsvRecord, index: number): string {
  return (record.cells[index - 1] ?? '').trim();
}

function checkWidth(file: string, records: readonly CsvRecord[], width: number, what: string): void {
  const first = records[0];
  if (first && first.cells.length !== width) {
    throw inputError('E_FORMAT', { file: file, line: first.line }, `expected ${width} fields per row (${what}), found ${first.cells.length}.`);
  }
}

function dateField(file: string, record: CsvRecord, index: number, label: string, optional: boolean): string | undefined {
  const text = field(record, index);
  if (text === '' && optional) return undefined;
  const date = odsDate(text);
  if (!date) {
    throw inputError('E_VALUE', { file, line: record.line, column: `field ${index} (${label})` }, `expected a date as YYYYMMDD, found "${text}".`);
  }
  return date;
}

function codeField(file: string, record: CsvRecord, index: number, label: string, pattern: RegExp, what = 'an ODS code'): string {
  const code = field(record, index).toUpperCase();
  if (!pattern.test(code)) {
    throw inputError('E_VALUE', { file, line: record.line, column: `field ${index} (${label})` }, `expected ${what}, found "${field(record, index)}".`);
  }
  return code;
}

/**
 * The link in force from `from` (a month) while the trust was open. Parents in etr.csv are the
 * trust's current region and ICB; ICBs only exist from July 2022, so no parent link from this file
 * reaches back before then (earlier months use the region each publication gives itself).
 */
function parentLink(org: string, level: 'region' | 'icb', target: string, opened: string, closed: string | undefined, from = ICB_ERA_FROM): OrgLink | undefined {
  const validFrom = monthOf(opened) > from ? monthOf(opened) : from;
  const validTo = closed ? monthOf(closed) : undefined;
  if (validTo && validTo < validFrom) return undefined;
  return { org, relation: 'parent', level, target, validFrom, ...(validTo ? { validTo } : {}) };
}

/** The ODS "NHS Trusts" file: trusts with names, open/close dates and dated region and ICB links. */
export function parseEtr(file: SourceFile): { items: ParseItem[]; summary: ParseSummary } {
  const records = readCsv(file.name, file.bytes);
  checkWidth(file.name, records, ETR.fields, 'the ODS etr.csv layout');
  const seen = new Map<string, number>();
  const trusts: { fact: Omit<OrgFact, 'period'>; links: OrgLink[]; icb?: { code: string; line: number } }[] = [];
  let latest = '';
  for (const record of records) {
    const org = codeField(file.name, record, ETR.code, 'organisation code', ODS_CODE);
    const earlier = seen.get(org);
    if (earlier !== undefined) {
      throw inputError('E_DUPLICATE', { file: file.name, line: record.line, column: `field ${ETR.code} (organisation code)` }, `organisation ${org} appears twice, on lines ${earlier} and ${record.line}.`);
    }
    seen.set(org, record.line);
    const name = field(record, ETR.name);
    if (!name) throw inputError('E_VALUE', { file: file.name, line: record.line, column: `field ${ETR.name} (name)` }, 'the name is empty.');
    const opened = dateField(file.name, record, ETR.opened, 'open date', false)!;
    const closed = dateField(file.name, record, ETR.closed, 'close date', true);
    latest = [latest, opened, closed ?? ''].reduce((a, b) => (a > b ? a : b));
    const links: OrgLink[] = [];
    // Welsh trusts in the file have neither region nor ICB: they are left unplaced, not refused.
    if (field(record, ETR.region)) {
      const region = codeField(file.name, record, ETR.region, 'region code', REGION_CODE);
      const link = parentLink(org, 'region', region, opened, closed);
      if (link) links.push(link);
    }
    const icb = field(record, ETR.icb)
      ? codeField(file.name, record, ETR.icb, 'ICB code', ICB_CODE, 'an ICB code (Q plus two characters, or five like Z9B2Z)')
      : undefined;
    trusts.push({ fact: { org, name, level: 'trust', opened, ...(closed ? { closed } : {}) }, links, ...(icb ? { icb: { code: icb, line: record.line } } : {}) });
  }
  if (trusts.length === 0) throw inputError('E_EMPTY', { file: file.name }, 'the file has no rows.');
  // The extract carries no date of its own; its newest open or close date stands for it, so a
  // later extract's names win over an earlier one's.
  const period = monthOf(latest);
  const items: ParseItem[] = [];
  const boards = new Set<string>();
  for (const { fact, links, icb } of trusts) {
    items.push({ kind: 'org', fact: { ...fact, period } });
    for (const link of links) items.push({ kind: 'link', link });
    if (!icb) continue;
    boards.add(icb.code);
    // A trust's ICB is in force from the board's formation: July 2022 for the first 42, April
    // 2026 for the merged boards. A board of the newer shape Planwatch does not know was formed
    // some time before the extract: its link starts at the extract's month, and an older
    // extract's link covers the months before (data README §14; src/sources/ods/README.md).
    const from = icbFormed(icb.code) ?? (isIcbCode(icb.code) ? ICB_ERA_FROM : period);
    const link = parentLink(fact.org, 'icb', icb.code, fact.opened!, fact.closed, from);
    if (link) items.push({ kind: 'link', link });
  }
  items.push(...KNOWN_SUCCESSIONS.map((s): ParseItem => ({
    kind: 'link', link: { org: s.predecessor, relation: 'successor', level: 'trust', target: s.successor, validFrom: s.effective },
  })));
  // The mergers that formed the boards this extract places trusts in, so an ICB page can say
  // when it was formed and from which ICBs even without the successor file.
  for (const merger of ICB_MERGERS_2026.filter((m) => boards.has(m.icb))) {
    for (const predecessor of merger.predecessors) {
      items.push({ kind: 'link', link: { org: predecessor, relation: 'successor', level: 'icb', target: merger.icb, validFrom: merger.formed } });
    }
  }
  return { items, summary: { layout: ETR.id, periods: [period] } };
}

/**
 * The level a succession is stored at: ICB mergers (either code an ICB, from July 2022) are told
 * apart from trusts so that an ICB page can say which boards formed it; the successor file also
 * lists practices, sites and commissioners, which no query treats as trusts.
 */
function successionLevel(predecessor: string, successor: string, effective: string): string {
  if (effective >= ICB_ERA_FROM && (isIcbCode(predecessor) || isIcbCode(successor))) return 'icb';
  if (/^[RT][A-Z0-9]{2}$/.test(predecessor) || /^[RT][A-Z0-9]{2}$/.test(successor)) return 'trust';
  return 'other';
}

/** The ODS successor file: one succession per row, no names. */
export function parseSucc(file: SourceFile): { items: ParseItem[]; summary: ParseSummary } {
  const records = readCsv(file.name, file.bytes);
  checkWidth(file.name, records, SUCC.fields, 'the ODS successor file layout');
  const seen = new Map<string, number>();
  const items: ParseItem[] = [];
  for (const record of records) {
    const predecessor = codeField(file.name, record, SUCC.predecessor, 'predecessor code', SUCC_CODE);
    const successor = codeField(file.name, record, SUCC.successor, 'successor code', SUCC_CODE);
    const reason = field(record, SUCC.reason).toUpperCase();
    if (!(SUCC.reasons as readonly string[]).includes(reason)) {
      throw inputError('E_VALUE', { file: file.name, line: record.line, column: `field ${SUCC.reason} (reason)` }, `expected a reason code F, O or R (or blank), found "${reason}".`);
    }
    const effective = dateField(file.name, record, SUCC.effective, 'effective date', false)!;
    const indicator = field(record, SUCC.indicator).toUpperCase();
    if (!(SUCC.indicators as readonly string[]).includes(indicator)) {
      throw inputError('E_VALUE', { file: file.name, line: record.line, column: `field ${SUCC.indicator} (indicator)` }, `expected an indicator F, X, 0, 1 or blank, found "${indicator}".`);
    }
    const key = `${predecessor}>${successor}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw inputError('E_DUPLICATE', { file: file.name, line: record.line }, `the succession ${predecessor} → ${successor} appears twice, on lines ${earlier} and ${record.line}.`);
    }
    seen.set(key, record.line);
    const validFrom = monthOf(effective);
    items.push({ kind: 'link', link: { org: predecessor, relation: 'successor', level: successionLevel(predecessor, successor, validFrom), target: successor, validFrom } });
  }
  if (items.length === 0) throw inputError('E_EMPTY', { file: file.name }, 'the file has no rows.');
  // Successions are links, not figures for a month: the file claims no period, so it never
  // supersedes the trust list's names.
  return { items, summary: { layout: SUCC.id, periods: [] } };
}
