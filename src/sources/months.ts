/**
 * Month names as NHS England writes them in files and link texts: "March", "NOVEMBER", "Nov".
 */
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** 1–12 for a full or three-letter month name in any case; undefined otherwise. */
export function monthNumber(name: string): number | undefined {
  const text = name.trim().toLowerCase();
  if (text.length < 3) return undefined;
  const index = MONTHS.findIndex((month) => month === text || (text.length === 3 && month.startsWith(text)));
  return index < 0 ? undefined : index + 1;
}

/** 'YYYY-MM' from a year and a 1–12 month. */
export function toPeriod(year: number, month: number): string {
  return `${year}-${String(month).padStart(2, '0')}`;
}
