import { inputError } from '../../errors.js';
import type { OrgFact, ParseItem, ParseSummary, SourceFile } from '../contract.js';
import { readCsv, readNumber } from '../csv/read.js';
import { regionCodeFromName } from '../regions.js';
import { ALL_TYPES, BEDS_SITREP_2024, COUNTS, HEADER, LEVELS, OTHER, RATES, TYPE_1, type Column } from './layouts.js';

/**
 * The monthly beds sitrep (long CSV): one month of G&A beds available and occupied for every
 * provider, ICB, region and England, each as published. England is the file's `National` row,
 * never a sum: every organisation's figure is rounded on its own, so the sums of providers,
 * ICBs and regions miss it by a few beds (January 2025: available, all types, 103,578
 * published, providers 103,579, regions 103,577).
 */

interface Row {
  line: number;
  level: 'england' | 'region' | 'icb' | 'provider';
  org: string;
  type: string;
  /** Published metric → value (null for "-"). */
  values: Map<string, { value: number | null; line: number }>;
}

const ENGLAND = 'ENG';

export function parseBedsSitrep(file: SourceFile): { items: ParseItem[]; summary: ParseSummary } {
  const records = readCsv(file.name, file.bytes);
  const header = records[0]!;
  const at = (line: number, column: Column) => ({ file: file.name, line, column });
  const index = {} as Record<Column, number>;
  for (const column of HEADER) {
    const found = header.cells.findIndex((cell) => cell.trim() === column);
    if (found < 0) throw inputError('E_HEADER', at(header.line, column), `column "${column}" is missing from the header (${HEADER.join(', ')}).`);
    index[column] = found;
  }

  let period: string | undefined;
  const rows = new Map<string, Row>();
  const facts = new Map<string, OrgFact>();
  for (const { cells, line } of records.slice(1)) {
    // The published files end with rows of empty cells (",,,,,,,,").
    if (cells.every((cell) => cell.trim() === '')) continue;
    const cell = (column: Column) => (cells[index[column]] ?? '').trim();
    const rowPeriod = monthOf(cell('Period'), at(line, 'Period'));
    if (period && rowPeriod !== period) throw inputError('E_VALUE', at(line, 'Period'), `this row is for ${rowPeriod} but earlier rows are for ${period}; a file holds one month.`);
    period = rowPeriod;
    const level = LEVELS[cell('Level')];
    if (!level) throw inputError('E_VALUE', at(line, 'Level'), `expected ${Object.keys(LEVELS).join(', ')}, found "${cell('Level')}".`);
    const org = level === 'england' ? ENGLAND : cell('Org Code').toUpperCase();
    if (!/^[A-Z0-9]{3,5}$/.test(org)) throw inputError('E_VALUE', at(line, 'Org Code'), `expected an ODS code, found "${cell('Org Code')}".`);
    const type = cell('Type');
    const types = level === 'provider' ? [TYPE_1, OTHER] : [TYPE_1, ALL_TYPES];
    if (!types.includes(type)) throw inputError('E_VALUE', at(line, 'Type'), `expected ${types.join(' or ')} for a ${cell('Level')} row, found "${type}".`);
    const metric = cell('Metric');
    const raw = cell('Value');
    // "-" is published for a few children's trusts' length-of-stay shares, "[z]" where a figure does not apply.
    const value = raw === '-' || raw === '[z]' ? null : readNumber(raw, file.name, line, 'Value');
    const key = `${org}|${type}`;
    let row = rows.get(key);
    if (!row) {
      const other = [...rows.values()].find((candidate) => candidate.org === org && level === 'provider');
      if (other) throw inputError('E_VALUE', at(line, 'Type'), `provider ${org} is "${other.type}" on line ${other.line} and "${type}" here; a provider has one type.`);
      row = { line, level, org, type, values: new Map() };
      rows.set(key, row);
    }
    const earlier = row.values.get(metric);
    if (earlier) throw inputError('E_DUPLICATE', at(line, 'Metric'), `${org} "${metric}" (${type}) appears twice, on lines ${earlier.line} and ${line}.`);
    row.values.set(metric, { value, line });
    if (!facts.has(org)) facts.set(org, orgFact(level, org, cell('Org Name'), cell('Region'), period));
  }
  if (!period || rows.size === 0) throw inputError('E_EMPTY', { file: file.name, line: header.line + 1 }, 'the file has a header but no rows.');
  checkComplete(rows, file.name);
  checkRates(rows, file.name);
  reconcile(rows, file.name);

  const items: ParseItem[] = [...facts.values()].map((fact) => ({ kind: 'org', fact }));
  for (const row of rows.values()) {
    for (const [metric, field] of Object.entries(COUNTS)) {
      const published = row.values.get(metric)!;
      const observation = (suffix: string) => ({ metric: `${field}${suffix}`, org: row.org, period: period!, value: published.value, row: published.line, column: `${metric} (${row.type})` });
      // A provider's one row is its all-types figure, and also its type 1 figure when it is type 1.
      if (row.type === ALL_TYPES || row.level === 'provider') items.push({ kind: 'observation', observation: observation('') });
      if (row.type === TYPE_1) items.push({ kind: 'observation', observation: observation('_type1') });
    }
  }
  return { items, summary: { layout: BEDS_SITREP_2024.id, periods: [period] } };
}

/** `Period` is the month's first day, dd/mm/yyyy. */
function monthOf(text: string, at: { file: string; line: number; column: string }): string {
  const match = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text);
  if (!match || match[1] !== '01' || Number(match[2]) < 1 || Number(match[2]) > 12) {
    throw inputError('E_VALUE', at, `expected the first day of a month as dd/mm/yyyy (01/01/2025), found "${text}".`);
  }
  return `${match[3]}-${match[2]}`;
}

function orgFact(level: Row['level'], org: string, name: string, regionName: string, period: string): OrgFact {
  const region = regionCodeFromName(regionName);
  const placed = level === 'provider' || level === 'icb' ? (region ? { parentLevel: 'region', parent: region } : {}) : {};
  const own = level === 'provider' ? (/^[RT][A-Z0-9]{2}$/.test(org) ? 'trust' : 'provider') : level;
  return { org, period, name, level: own, ...placed };
}

// Every organisation publishes every metric; one that stops part-way means the file was cut
// short at a line boundary, which csv-parse cannot see.
function checkComplete(rows: Map<string, Row>, file: string): void {
  for (const row of rows.values()) {
    for (const metric of [...Object.keys(COUNTS), ...RATES.map((rate) => rate.metric)]) {
      if (!row.values.has(metric)) {
        throw inputError('E_TRUNCATED', { file, line: row.line, column: 'Metric' }, `${row.org} (${row.type}) has no "${metric}" row; the file may be incomplete.`);
      }
    }
  }
  if (!rows.has(`${ENGLAND}|${ALL_TYPES}`)) throw inputError('E_TRUNCATED', { file, column: 'Level' }, 'there is no National "All Type" row; England cannot be read.');
}

// Rates are printed to 3 decimals from unrounded counts: the printed rate is within 0.0005 of
// the true rate, and occupied ÷ available of the rounded counts within 1/available of it.
function checkRates(rows: Map<string, Row>, file: string): void {
  for (const row of rows.values()) {
    for (const rate of RATES) {
      const published = row.values.get(rate.metric)!;
      const occupied = row.values.get(rate.occupied)!.value;
      const available = row.values.get(rate.available)!.value;
      if (published.value === null || occupied === null || !available) continue;
      if (Math.abs(occupied / available - published.value) > 0.0005 + 1 / available + 1e-9) {
        throw inputError('E_TOTAL_MISMATCH', { file, line: published.line, column: 'Value' },
          `${row.org} "${rate.metric}" is ${published.value} but its beds occupied ÷ available are ${occupied} ÷ ${available}; the rows do not belong together.`);
      }
    }
  }
}

/**
 * England against the sums of its regions, ICBs and providers, within what rounding each
 * organisation's figure to a whole bed can explain (half a bed per organisation summed): a
 * wider gap means organisations are missing or altered.
 */
function reconcile(rows: Map<string, Row>, file: string): void {
  const england = rows.get(`${ENGLAND}|${ALL_TYPES}`)!;
  const all = [...rows.values()];
  const parts: [string, Row[]][] = [
    ['regions', all.filter((row) => row.level === 'region' && row.type === ALL_TYPES)],
    ['ICBs', all.filter((row) => row.level === 'icb' && row.type === ALL_TYPES)],
    ['providers', all.filter((row) => row.level === 'provider')],
  ];
  for (const metric of Object.keys(COUNTS)) {
    const published = england.values.get(metric)!;
    if (published.value === null) continue;
    for (const [name, members] of parts) {
      if (members.length === 0) continue;
      const sum = members.reduce((total, row) => total + (row.values.get(metric)!.value ?? 0), 0);
      if (Math.abs(sum - published.value) > 0.5 * (members.length + 1)) {
        throw inputError('E_TOTAL_MISMATCH', { file, line: published.line, column: 'Value' },
          `England's "${metric}" is ${published.value} but its ${members.length} ${name} add up to ${sum}, more than rounding can explain; the file may be incomplete or altered.`);
      }
    }
  }
}
