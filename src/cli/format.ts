import type { Unit } from '../measures/definition.js';

/** Plain-text tables and values for the terminal; --json output never goes through here. */
export function formatValue(value: number | null | undefined, unit: Unit): string {
  if (value === null || value === undefined) return 'not reported';
  switch (unit) {
    case 'percent': return `${value.toFixed(1)}%`;
    case 'seconds': return formatDuration(value);
    case 'weeks': return `${value.toFixed(1)} wk`;
    case 'ratio': return value.toFixed(3);
    case 'count': return Math.round(value).toLocaleString('en-GB');
  }
}

/** Response times as NHS England prints them: minutes and seconds (h:mm:ss past an hour). */
export function formatDuration(seconds: number): string {
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}` : `${m}:${String(s).padStart(2, '0')}`;
}

export function formatChange(value: number | null, unit: Unit): string {
  if (value === null) return '';
  const sign = value > 0 ? '+' : value < 0 ? '−' : '±';
  const magnitude = Math.abs(value);
  if (unit === 'percent') return `${sign}${magnitude.toFixed(1)} pts`;
  return `${sign}${formatValue(magnitude, unit)}`;
}

export interface Column<T> {
  header: string;
  value: (row: T) => string;
  align?: 'left' | 'right';
}

export function table<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((row) => columns.map((column) => column.value(row)));
  const widths = columns.map((column, i) => Math.max(column.header.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: readonly string[]) =>
    values.map((value, i) => (columns[i]!.align === 'right' ? value.padStart(widths[i]!) : value.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(columns.map((c) => c.header)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
