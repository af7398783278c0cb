/**
 * Data periods and revision markers as NHS England writes them in link texts and file names
 * (publications.md §1.3, §2.3). Names are typed by people and change month to month, so no
 * single template works: we look for every known way of writing a month and trust the most
 * explicit one. The upload folder (`/2024/05/`) is never used: it is the month a file was
 * uploaded, not the month it describes (publications.md §1.2).
 */

const MONTHS = [
  ['january', 'jan'],
  ['february', 'feb'],
  ['march', 'mar'],
  ['april', 'apr'],
  ['may', 'may'],
  ['june', 'jun'],
  ['july', 'jul'],
  ['august', 'aug'],
  ['september', 'sept', 'sep'],
  ['october', 'oct'],
  ['november', 'nov'],
  ['december', 'dec'],
] as const;

const monthNumber = new Map<string, number>(MONTHS.flatMap((names, index) => names.map((name) => [name, index + 1] as const)));

// Longest spellings first so that "September" is not read as "Sep" followed by "tember".
const monthAlternation = [...monthNumber.keys()].sort((a, b) => b.length - a.length).join('|');

/**
 * A month name, then an optional separator, then a four-digit year (`December-2024`,
 * `July2025v2`, `September20241-2` where a duplicate suffix is glued on) or a two-digit year
 * that no further digit follows (`Jul25`, `Nov-25`, `Jun22ZIP`). The name must not continue a
 * word ("Summary", "Mayor") and must not follow a day number: "published on 13 February 2020"
 * in an ambulance link text is a date, not the data month.
 */
const monthYearPattern = new RegExp(
  String.raw`(?<![A-Za-z])(?<!(?<![A-Za-z0-9])\d{1,2}(?:st|nd|rd|th)?[\s_-]+)(${monthAlternation})(?![a-z])[\s._–-]?(?:((?:19|20)\d{2})|(\d{2})(?!\d))`,
  'gi',
);

/** `AmbSYS-for-2022-July`, `AmbSYS-2026-July-ys2r7`: the year before the month. */
const yearMonthPattern = new RegExp(String.raw`(?<!\d)((?:19|20)\d{2})[\s._-]?(${monthAlternation})(?![a-z])`, 'gi');

/**
 * `Q3 2024-25`, `Q3-2024-25revised`, `Quarter-1-2026-27`, `Q1-201819`: financial-year
 * quarters. The second year must follow the first, which keeps `Q1-2024-05…` out.
 */
const quarterPattern = /(?<![A-Za-z])(?:q|quarter[\s_-]?)([1-4])[\s_-]?((?:19|20)\d{2})[-/]?(\d{2})(?!\d)/gi;

/**
 * `202405-May-2024-…` (YYYYMM) and `AmbSYS-to-20201031` (YYYYMMDD). Years before 2010 are
 * refused so that revision stamps such as `-200720-` (20 July 2020, DDMMYY) cannot pass for
 * a period; NHS England's numeric names all postdate 2010.
 */
const numericPattern = /(?<!\d)(20[1-4]\d)(0[1-9]|1[0-2])(?:[0-3]\d)?(?!\d)/g;

/** `-revised`, `revised-check`, `25revised`, `REVISED`, `-revisions`, `-Refresh`. */
const revisionPattern = /revis(?:ed|ions?)|refresh/i;

function format(year: number, month: number): string {
  return `${year}-${String(month).padStart(2, '0')}`;
}

function latest(periods: string[]): string | undefined {
  return periods.length === 0 ? undefined : periods.reduce((a, b) => (b > a ? b : a));
}

/**
 * Every period written in `text`, grouped by how explicit the writing is: a month name with a
 * four-digit year, or a quarter of a financial year; then a month with a two-digit year; then
 * digits only.
 */
function periodsByTier(text: string): [string[], string[], string[]] {
  const explicit: string[] = [];
  const short: string[] = [];
  for (const match of text.matchAll(monthYearPattern)) {
    const month = monthNumber.get(match[1]!.toLowerCase())!;
    if (match[2] !== undefined) explicit.push(format(Number(match[2]), month));
    else short.push(format(2000 + Number(match[3]), month));
  }
  for (const match of text.matchAll(yearMonthPattern)) {
    explicit.push(format(Number(match[1]), monthNumber.get(match[2]!.toLowerCase())!));
  }
  for (const match of text.matchAll(quarterPattern)) {
    const quarter = Number(match[1]);
    const firstYear = Number(match[2]);
    if ((firstYear + 1) % 100 !== Number(match[3])) continue;
    // A quarter is keyed by its last month: Q1 = June, Q2 = September, Q3 = December of the
    // first calendar year, Q4 = March of the second (contract.ts, Observation.period).
    explicit.push(quarter === 4 ? format(firstYear + 1, 3) : format(firstYear, 3 + quarter * 3));
  }
  const numeric = [...text.matchAll(numericPattern)].map((match) => format(Number(match[1]), Number(match[2])));
  return [explicit, short, numeric];
}

/**
 * The data period ('YYYY-MM') that a link text or file name states, or undefined.
 *
 * When several are written, the most explicit kind wins and, within it, the latest month:
 * a range such as "Oct 2009 – Mar 2025" or `Apr-2024-to-Sep-2024` is a series up to its end,
 * and a month name beats a numeric prefix because the prefix is sometimes wrong
 * (`202506-July-2025-beds-sitrep-…`, publications.md §7.6).
 */
export function periodIn(text: string): string | undefined {
  for (const tier of periodsByTier(text)) {
    const found = latest(tier);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Whether a link text or file name marks a revised (re-published) file. */
export function isRevised(text: string): boolean {
  return revisionPattern.test(text);
}

/** What a link says about the file it points to. */
export interface PeriodInfo {
  /** 'YYYY-MM', or undefined when neither the text, the name nor the context says. */
  period?: string;
  revised: boolean;
  /** Where the period was read, for logs and tests. */
  from?: 'title' | 'name' | 'context';
}

/**
 * Reads the data period from the anchor text first, then the file name, then `context` (the
 * month heading above the link, when the page has one), as publications.md §1.3 advises.
 * A file counts as revised when either its text or its name says so.
 */
export function parsePeriodInfo(link: { title?: string; name: string; context?: string }): PeriodInfo {
  const revised = isRevised(link.title ?? '') || isRevised(link.name);
  const sources = [
    ['title', link.title],
    ['name', link.name],
    ['context', link.context],
  ] as const;
  for (const [from, text] of sources) {
    const period = text === undefined ? undefined : periodIn(text);
    if (period !== undefined) return { period, revised, from };
  }
  return { revised };
}

/** A financial year, April to March, as 'YYYY-MM' bounds. */
export interface FinancialYear {
  first: string;
  last: string;
}

/**
 * The financial year a year page covers, from its slug or link text: `2024-25`, or
 * `25-26` as the UEC sitrep pages write it (publications.md §7.6). The second part must be the
 * year after the first, so `-1-1` suffixes and day-month fragments are not mistaken for one.
 */
export function financialYearIn(text: string): FinancialYear | undefined {
  for (const match of text.matchAll(/(?<!\d)((?:19|20)?\d{2})[-/_](\d{2})(?!\d)/g)) {
    const start = match[1]!.length === 4 ? Number(match[1]) : 2000 + Number(match[1]);
    if ((start + 1) % 100 !== Number(match[2])) continue;
    return { first: format(start, 4), last: format(start + 1, 3) };
  }
  return undefined;
}
