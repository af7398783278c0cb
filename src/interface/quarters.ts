import { PlanwatchError } from '../errors.js';

/**
 * A quarter of the NHS financial year (Q1 = April to June), keyed as everywhere in Planwatch by
 * its last month: '2025-03' is Q4 2024-25. Its bounds are midnight in England, as an instant.
 */
export interface Quarter {
  key: string;
  label: string;
  /** First instant of the quarter. */
  start: Date;
  /** First instant after it. */
  end: Date;
}

const QUARTER_KEY = /^(\d{4})-(03|06|09|12)$/;

export function quarter(key: string): Quarter {
  const match = QUARTER_KEY.exec(key);
  if (!match) {
    throw new PlanwatchError('E_USAGE', `"${key}" is not a quarter: write the year and its last month, like 2025-03 for January to March 2025.`);
  }
  const year = Number(match[1]);
  const lastMonth = Number(match[2]);
  const financialYearStart = lastMonth === 3 ? year - 1 : year;
  const number = lastMonth === 3 ? 4 : lastMonth / 3 - 1;
  return {
    key,
    label: `Q${number} ${financialYearStart}-${String((financialYearStart + 1) % 100).padStart(2, '0')}`,
    start: londonMidnight(year, lastMonth - 2, 1),
    end: lastMonth === 12 ? londonMidnight(year + 1, 1, 1) : londonMidnight(year, lastMonth + 1, 1),
  };
}

export function previousQuarter(of: Quarter): Quarter {
  const [year, month] = of.key.split('-').map(Number) as [number, number];
  return quarter(month === 3 ? `${year - 1}-12` : `${year}-${String(month - 3).padStart(2, '0')}`);
}

/** The quarter an instant falls in, by the calendar in England. */
export function quarterContaining(at: Date): Quarter {
  const [year, month] = londonParts(at);
  const lastMonth = Math.ceil(month / 3) * 3;
  return quarter(`${year}-${String(lastMonth).padStart(2, '0')}`);
}

function londonParts(at: Date): [number, number, number, number, number] {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return [part('year'), part('month'), part('day'), part('hour'), part('minute')];
}

/**
 * Midnight in England on a date, as an instant: UTC midnight less the offset in force then.
 * Quarters start on 1 January (GMT) or 1 April, July, October (BST), never on a clock change,
 * so the offset read at UTC midnight is the one in force at local midnight.
 */
function londonMidnight(year: number, month: number, day: number): Date {
  const utcMidnight = Date.UTC(year, month - 1, day);
  const [y, m, d, hour, minute] = londonParts(new Date(utcMidnight));
  const offsetMs = Date.UTC(y, m - 1, d, hour, minute) - utcMidnight;
  return new Date(utcMidnight - offsetMs);
}
