/** 'YYYY-MM' arithmetic and validation shared by every layer. */
export const PERIOD_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isPeriod(text: string): boolean {
  return PERIOD_PATTERN.test(text);
}

export function addMonths(period: string, months: number): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  const index = year * 12 + (month - 1) + months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Every month from `from` to `to` inclusive, stepping `step` months. */
export function monthsBetween(from: string, to: string, step = 1): string[] {
  const out: string[] = [];
  for (let period = from; period <= to; period = addMonths(period, step)) out.push(period);
  return out;
}

/** Financial year 'YYYY/YY' containing a month: April starts the year. */
export function financialYearOf(period: string): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  const start = month >= 4 ? year : year - 1;
  return `${start}/${String((start + 1) % 100).padStart(2, '0')}`;
}

/** First and last month of a financial year 'YYYY/YY'. */
export function financialYearMonths(year: string): { from: string; to: string } {
  const start = Number(year.slice(0, 4));
  return { from: `${start}-04`, to: `${start + 1}-03` };
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function periodLabel(period: string, frequency: 'month' | 'quarter' = 'month'): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  if (frequency === 'quarter') {
    const fyStart = month >= 4 ? year : year - 1;
    const quarter = Math.floor(((month - 4 + 12) % 12) / 3) + 1;
    return `Q${quarter} ${fyStart}-${String((fyStart + 1) % 100).padStart(2, '0')}`;
  }
  return `${MONTH_NAMES[month - 1]} ${year}`;
}
