import { cellText } from './cells.js';
import { isRevised } from './http/periods.js';
import type { Cell } from './workbook.js';

/**
 * When and as what a file was published, as the file, its name or its publication page says.
 * The store decides which publication of a month is current from these (src/store/README.md,
 * "Latest publication wins"), so they must be what NHS England wrote, never guessed.
 */
export type Edition = 'first' | 'revised' | 'provisional' | 'final';

export interface PublicationInfo {
  /** 'YYYY-MM-DD', or 'YYYY-MM' when only the month is known (an upload folder). */
  published?: string;
  edition?: Edition;
  /** Where `published` was read: the file itself, its publication page, or its name. */
  source?: 'file' | 'page' | 'name';
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function iso(year: number, month: number, day?: number): string | undefined {
  if (month < 1 || month > 12 || year < 2000 || year > 2099) return undefined;
  if (day === undefined) return `${year}-${String(month).padStart(2, '0')}`;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1) return undefined;
  return date.toISOString().slice(0, 10);
}

/**
 * A date as NHS England's cover sheets write it: "10th October 2024", "11th Febuary 2016" (sic,
 * the July 2015 A&E workbook), "Thursday, February 08, 2024" (the discharge sitrep), "13 Feb
 * 2025", or a spreadsheet date. Months match on their first three letters so the misspelling reads.
 */
export function parsePublishedDate(cell: Cell | undefined): string | undefined {
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? undefined : cell.toISOString().slice(0, 10);
  const text = cellText(cell).toLowerCase();
  if (text === '') return undefined;
  const dayFirst = /(?<!\d)(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3})[a-z]*,?\s+((?:19|20)\d{2})(?!\d)/.exec(text);
  if (dayFirst) {
    const month = MONTHS.indexOf(dayFirst[2]!) + 1;
    return month > 0 ? iso(Number(dayFirst[3]), month, Number(dayFirst[1])) : undefined;
  }
  const monthFirst = /(?<![a-z])([a-z]{3})[a-z]*\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d{2})(?!\d)/.exec(text);
  if (monthFirst) {
    const month = MONTHS.indexOf(monthFirst[1]!) + 1;
    return month > 0 ? iso(Number(monthFirst[3]), month, Number(monthFirst[2])) : undefined;
  }
  const numeric = /(?<!\d)(\d{1,2})\/(\d{1,2})\/((?:19|20)\d{2})(?!\d)/.exec(text);
  if (numeric) return iso(Number(numeric[3]), Number(numeric[2]), Number(numeric[1]));
  return undefined;
}

function editionOfStatus(text: string): Edition | undefined {
  if (/\bprovisional\b/i.test(text)) return 'provisional';
  if (/\bfinal\b/i.test(text)) return 'final';
  if (/\brevised\b/i.test(text)) return 'revised';
  return undefined;
}

/**
 * The "Published:", "Revised:" and "Status:" rows of a workbook's metadata block (DM01, RTT,
 * A&E .xls, discharge cover sheets: label in one cell, value in the next) or a front page's
 * "Status: Final Official Statistics" (CWT-CRS) written in one cell. A filled "Revised" row makes
 * the file a revision published on that date; "Status" says provisional or final where it does
 * ("Published" there says nothing about the edition). Empty when the rows are not there.
 */
export function publicationFromRows(rows: readonly (readonly Cell[] | undefined)[], limit = 20): PublicationInfo {
  let published: string | undefined;
  let revised: string | undefined;
  let status: Edition | undefined;
  let hasPublishedRow = false;
  for (const row of rows.slice(0, limit)) {
    const cells = row ?? [];
    for (let index = 0; index < cells.length; index++) {
      const text = cellText(cells[index]);
      const label = /^(published|revised|status)\s*:\s*(.*)$/i.exec(text);
      if (!label) continue;
      // The value is in the same cell after the colon, or in the next filled cell of the row.
      const rest = label[2]!.trim();
      const next = rest !== '' ? rest : cells.slice(index + 1).find((cell) => cellText(cell) !== '');
      const name = label[1]!.toLowerCase();
      if (name === 'published') {
        hasPublishedRow = true;
        published = parsePublishedDate(next) ?? published;
      } else if (name === 'revised') {
        revised = parsePublishedDate(next) ?? revised;
      } else {
        status = editionOfStatus(cellText(next)) ?? status;
      }
      break;
    }
  }
  const info: PublicationInfo = {};
  if (revised) {
    info.published = revised;
    info.edition = status === 'final' || status === 'provisional' ? status : 'revised';
  } else if (published) {
    info.published = published;
    // A cover with a publication date and an empty "Revised" row says this is the first release.
    info.edition = status ?? 'first';
  } else if (status) {
    info.edition = status;
  } else if (hasPublishedRow) {
    return {};
  }
  if (info.published) info.source = 'file';
  return info;
}

/**
 * What a file name says: NHS England's A&E revisions carry the revision date
 * (`-revised-220720-` is 22 July 2020, `-revised-91123-` 9 November 2023, DDMMYY with the
 * leading zero of the day dropped), other revisions only the word (`-revised`, `25revised`);
 * CWT-CRS names end `-FINAL` or `-Final` for final statistics and say `Provisional` otherwise.
 */
export function publicationFromName(name: string): PublicationInfo {
  const stamped = /revised[-_ ]?(\d{5,6})(?!\d)/i.exec(name);
  if (stamped) {
    const digits = stamped[1]!.padStart(6, '0');
    const date = iso(2000 + Number(digits.slice(4, 6)), Number(digits.slice(2, 4)), Number(digits.slice(0, 2)));
    if (date) return { published: date, edition: 'revised', source: 'name' };
  }
  if (/(?<![a-z])provisional(?![a-z])/i.test(name)) return { edition: 'provisional' };
  if (/(?<![a-z])final(?![a-z])/i.test(name)) return { edition: 'final' };
  if (isRevised(name)) return { edition: 'revised' };
  return {};
}

/**
 * The upload folder of a link on NHS England's statistics site (`…/uploads/sites/2/2025/09/…`)
 * is the month the file was put on the page: its publication month, as near as the page says.
 */
export function publicationFromUrl(url: string): PublicationInfo {
  const match = /\/uploads\/(?:sites\/\d+\/)?((?:19|20)\d{2})\/(0[1-9]|1[0-2])\//.exec(url);
  return match ? { published: `${match[1]}-${match[2]}`, source: 'page' } : {};
}

/**
 * Combines what several places say, most trusted first (ingest passes the file's own cover
 * sheet, then its name, then its publication page); each field is taken from the first place
 * that states it. The name comes before the page because a revision stamp (`-revised-220720-`)
 * is a day, while an upload folder is only a month.
 */
export function mergePublication(...infos: (PublicationInfo | undefined)[]): PublicationInfo {
  const merged: PublicationInfo = {};
  for (const info of infos) {
    if (!info) continue;
    if (merged.published === undefined && info.published !== undefined) {
      merged.published = info.published;
      if (info.source) merged.source = info.source;
    }
    if (merged.edition === undefined && info.edition !== undefined) merged.edition = info.edition;
  }
  return merged;
}

const EDITION_RANK: Record<Edition, number> = { provisional: 0, first: 1, revised: 2, final: 3 };

/** A stored publication, as `isLaterPublication` compares it. */
export interface RankedPublication {
  name: string;
  sha256: string;
  published?: string | null;
  edition?: Edition | null;
  /** The latest month the file covers ('YYYY-MM'). */
  lastPeriod?: string | null;
}

/**
 * Whether `a` is a later publication than `b` of the same month ("latest publication wins",
 * src/store/README.md). In order:
 * 1. a provisional figure never replaces one that is not provisional (first release, revised, final);
 * 2. when both dates are known and differ, the later date wins ('2025-09' sorts before '2025-09-11');
 * 3. the edition: final, then revised, then a first release or a file that does not say;
 * 4. the file that runs to a later month (a time series such as AmbSYS is re-issued each month
 *    with one more month: the one that runs further was published later);
 * 5. a stated date over none;
 * 6. fallback, so the answer never depends on ingest order: the file name that sorts last, then
 *    the SHA-256 that sorts last. Arbitrary but fixed: two files of one month that say nothing
 *    of when they were published cannot be told apart any better.
 */
export function isLaterPublication(a: RankedPublication, b: RankedPublication): boolean {
  const provisionalA = a.edition === 'provisional';
  const provisionalB = b.edition === 'provisional';
  if (provisionalA !== provisionalB) return provisionalB;
  if (a.published && b.published && a.published !== b.published) return a.published > b.published;
  const rankA = EDITION_RANK[a.edition ?? 'first'];
  const rankB = EDITION_RANK[b.edition ?? 'first'];
  if (rankA !== rankB) return rankA > rankB;
  if (a.lastPeriod && b.lastPeriod && a.lastPeriod !== b.lastPeriod) return a.lastPeriod > b.lastPeriod;
  if (Boolean(a.published) !== Boolean(b.published)) return Boolean(a.published);
  if (a.name !== b.name) return a.name > b.name;
  return a.sha256 > b.sha256;
}

/**
 * The current publication among every stored file covering one month. The candidates are first
 * put in a fixed order (name, then checksum) so that even where the rule above is not transitive
 * (dates known for some files only) the same set of files always gives the same answer.
 */
export function currentPublication<T extends RankedPublication>(candidates: readonly T[]): T | undefined {
  const ordered = [...candidates].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : x.sha256 < y.sha256 ? -1 : x.sha256 > y.sha256 ? 1 : 0));
  return ordered.reduce<T | undefined>((best, candidate) => (best === undefined || isLaterPublication(candidate, best) ? candidate : best), undefined);
}

/**
 * What a publication page says of one link: what discovery recorded (`Publication.publication`),
 * the upload month in the link, and "revised" in its text or name.
 */
export function publicationFromLink(link: { url: string; revised?: boolean; publication?: PublicationInfo }): PublicationInfo {
  return mergePublication(link.publication, publicationFromUrl(link.url), link.revised ? { edition: 'revised' } : undefined);
}
