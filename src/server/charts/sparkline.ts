/**
 * A sparkline: the shape of a series in a scorecard row, drawn as a small SVG on the server. It
 * is decorative (aria-hidden): the row's text carries the figures and the linked page carries
 * the chart with its table, so a screen reader loses nothing. Missing months break the line.
 */
export interface SparklineOptions {
  width?: number;
  height?: number;
  /** Drawn as a dashed line when it falls inside the range shown (or widens it to fit). */
  target?: number | null;
}

export function sparklineSvg(values: readonly (number | null)[], options: SparklineOptions = {}): string {
  const width = options.width ?? 120;
  const height = options.height ?? 28;
  const pad = 3;
  const known = values.filter((value): value is number => value !== null && Number.isFinite(value));
  if (known.length === 0) return '';
  const target = options.target ?? null;
  const lo = Math.min(...known, ...(target !== null ? [target] : []));
  const hi = Math.max(...known, ...(target !== null ? [target] : []));
  const span = hi - lo || 1;
  const x = (i: number) => (values.length === 1 ? width / 2 : pad + (i * (width - 2 * pad)) / (values.length - 1));
  const y = (value: number) => height - pad - ((value - lo) * (height - 2 * pad)) / span;
  const runs: string[] = [];
  let run: string[] = [];
  values.forEach((value, i) => {
    if (value === null || !Number.isFinite(value)) {
      if (run.length) runs.push(run.join(' '));
      run = [];
      return;
    }
    run.push(`${run.length ? 'L' : 'M'}${x(i).toFixed(1)} ${y(value).toFixed(1)}`);
  });
  if (run.length) runs.push(run.join(' '));
  const lastIndex = values.findLastIndex((value) => value !== null && Number.isFinite(value));
  const last = values[lastIndex]!;
  return (
    `<svg class="pw-sparkline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" aria-hidden="true" focusable="false">` +
    (target !== null ? `<line x1="0" x2="${width}" y1="${y(target).toFixed(1)}" y2="${y(target).toFixed(1)}" stroke="#d5281b" stroke-width="1" stroke-dasharray="3 2"/>` : '') +
    `<path d="${runs.join(' ')}" fill="none" stroke="#005eb8" stroke-width="1.5" stroke-linejoin="round"/>` +
    `<circle cx="${x(lastIndex).toFixed(1)}" cy="${y(last).toFixed(1)}" r="2.5" fill="#005eb8"/>` +
    `</svg>`
  );
}
