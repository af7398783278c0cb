import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import type { PointType } from '../../analysis/spc/index.js';
import type { Unit } from '../../measures/definition.js';
import { periodLabel } from '../../dimensions.js';
import { valueText } from '../format.js';

/**
 * A Making Data Count chart drawn by Observable Plot on the server: the values joined by a line,
 * the mean and process limits of each segment, the target as a dashed line, and each point's
 * variation shown by shape as well as colour (circle common cause, diamond improvement, square
 * concern, triangle neutral special cause), so colour is never the only signal. The SVG is an
 * image with a text summary; the page prints the same data as a table beside it.
 */
export type { PointType };

export interface ChartPoint {
  period: string;
  value: number | null;
  mean?: number | null;
  lpl?: number | null;
  upl?: number | null;
  pointType?: PointType;
}

export interface ChartInput {
  /** What is measured, e.g. "4-hour performance". */
  measure: string;
  orgName: string;
  unit: Unit;
  frequency: 'month' | 'quarter';
  points: readonly ChartPoint[];
  target?: number | null;
  /** Id of the visible caption that names the image; without it the summary is its aria-label. */
  labelledBy?: string;
  /** Events drawn as numbered marks at their first month (a band for a span); listed under the chart. */
  events?: readonly ChartEventMark[];
}

export interface ChartEventMark {
  /** The number shown on the chart and in the list under it. */
  number: number;
  from: string;
  to?: string | undefined;
}

export interface Chart {
  svg: string;
  /** One paragraph a screen reader user reads instead of looking at the chart. */
  summary: string;
  legend: LegendItem[];
}

export interface LegendItem {
  key: string;
  /** A character echoing the mark's shape, for sighted readers of the legend. */
  glyph: string;
  label: string;
}

/** Colours shared with the MDC icons: each reaches 4.5:1 on white. */
const COLOURS = { improvement: '#005EB8', concern: '#B35000', neutral: '#6A3D9A', common: '#425563', target: '#D5281B', limit: '#768692' } as const;

interface Category {
  symbol: 'circle' | 'diamond' | 'square' | 'triangle';
  colour: string;
  glyph: string;
  label: string;
}

export const CATEGORIES: Readonly<Record<PointType, Category>> = {
  common_cause: { symbol: 'circle', colour: COLOURS.common, glyph: '●', label: 'Common cause variation' },
  special_cause_improvement: { symbol: 'diamond', colour: COLOURS.improvement, glyph: '◆', label: 'Special cause: improvement' },
  special_cause_concern: { symbol: 'square', colour: COLOURS.concern, glyph: '■', label: 'Special cause: concern' },
  special_cause_neutral_high: { symbol: 'triangle', colour: COLOURS.neutral, glyph: '▲', label: 'Special cause: high (neither better nor worse)' },
  special_cause_neutral_low: { symbol: 'triangle', colour: COLOURS.neutral, glyph: '▲', label: 'Special cause: low (neither better nor worse)' },
};

/** The few DOM members used on linkedom's element (the project compiles without the DOM lib). */
interface SvgElement {
  querySelector(selector: string): { remove(): void } | null;
  querySelectorAll(selector: string): Iterable<{ removeAttribute(name: string): void }>;
  setAttribute(name: string, value: string): void;
  outerHTML: string;
}

const WIDTH = 720;
const HEIGHT = 320;

function dateOf(period: string): Date {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month - 1, 1));
}

/**
 * The chart drawn inline: an SVG element of the page, styled by its stylesheet, named by its
 * caption (or its summary).
 */
export function spcChart(input: ChartInput): Chart {
  const { svg, hasLimits, target } = draw(input);
  // Plot puts its base styles in a <style> element; the content security policy allows only our
  // own stylesheet, which carries the same rules for the .pw-plot class.
  svg.querySelector('style')?.remove();
  // Plot labels its groups ("line", "dot") for screen readers; inside an image they are not read,
  // and on a role-less <g> ARIA forbids them. The image is named by its caption instead.
  for (const element of svg.querySelectorAll('[aria-label]')) element.removeAttribute('aria-label');
  svg.setAttribute('role', 'img');
  const summary = describeChart(input);
  if (input.labelledBy) svg.setAttribute('aria-labelledby', input.labelledBy);
  else svg.setAttribute('aria-label', summary);
  return { svg: roundCoordinates(svg.outerHTML), summary, legend: legendFor(input, hasLimits, target !== null) };
}

/**
 * The chart as an image of its own (`src`, an SVG file: spcChartFile), for pages that show many
 * charts folded away: the page carries the summary, legend and table, and the browser fetches
 * the drawing only when it is shown (loading="lazy" inside a closed <details> waits until it is
 * opened). Drawing a dozen charts was a fifth of an organisation page's build and half its bytes.
 * `svg` holds the <img> element here.
 */
export function spcChartImage(input: ChartInput, src: string): Chart {
  const summary = describeChart(input);
  const hasLimits = input.points.some((point) => point.mean !== null && point.mean !== undefined);
  const named = input.labelledBy ? ` aria-labelledby="${escapeAttribute(input.labelledBy)}"` : '';
  const img = `<img class="pw-plot" src="${escapeAttribute(src)}" width="${WIDTH}" height="${HEIGHT}" alt="${escapeAttribute(summary)}"${named} loading="lazy" decoding="async">`;
  return { svg: img, summary, legend: legendFor(input, hasLimits, (input.target ?? null) !== null) };
}

// An SVG file is shown as an image in its own document: it carries the rules our stylesheet
// gives .pw-plot on a page (fonts: the NHS font cannot load inside an image, so Arial).
const FILE_STYLE = '.pw-plot{font-family:Arial,sans-serif;font-size:12px;color:#212b32}.pw-plot text,.pw-plot tspan{white-space:pre}';

/** The chart as a standalone SVG file (image/svg+xml), the same drawing spcChart puts inline. */
export function spcChartFile(input: ChartInput): string {
  const { svg } = draw(input);
  svg.querySelector('style')?.remove();
  for (const element of svg.querySelectorAll('[aria-label]')) element.removeAttribute('aria-label');
  svg.setAttribute('role', 'img');
  svg.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  // Named by its <title>, which a browser also shows when the file is opened on its own.
  const summary = describeChart(input);
  return roundCoordinates(svg.outerHTML).replace(/^<svg([^>]*)>/, `<svg$1><title>${escapeAttribute(summary)}</title><style>${FILE_STYLE}</style>`);
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function draw(input: ChartInput): { svg: SvgElement; hasLimits: boolean; target: number | null } {
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  const rows = input.points.map((point) => ({ ...point, date: dateOf(point.period), type: point.pointType ?? 'common_cause' }));
  const shown = rows.filter((row) => row.value !== null);
  const hasLimits = rows.some((row) => row.mean !== null && row.mean !== undefined);
  const last = rows.at(-1);
  const format = (value: number) => valueText(value, input.unit);
  const labels: { y: number; text: string; colour: string }[] = [];
  if (hasLimits && last) {
    if (last.upl != null) labels.push({ y: last.upl, text: 'Upper limit', colour: COLOURS.limit });
    if (last.mean != null) labels.push({ y: last.mean, text: 'Mean', colour: COLOURS.common });
    if (last.lpl != null) labels.push({ y: last.lpl, text: 'Lower limit', colour: COLOURS.limit });
  }
  const target = input.target ?? null;
  if (target !== null) labels.push({ y: target, text: `Target ${format(target)}`, colour: COLOURS.target });

  const limitLine = (key: 'mean' | 'upl' | 'lpl', dashed: boolean) =>
    Plot.line(rows, {
      x: 'date',
      y: (row: ChartPoint) => row[key] ?? NaN,
      stroke: key === 'mean' ? COLOURS.common : COLOURS.limit,
      strokeWidth: 1.5,
      ...(dashed ? { strokeDasharray: '6 4' } : {}),
      curve: 'step',
    });
  // Events: a band for a span of months, a thin rule at a single month, each numbered at the top
  // (the list under the chart says what each number is).
  const first = rows[0]?.date;
  const lastDate = rows.at(-1)?.date;
  const inRange = (input.events ?? []).filter(() => first !== undefined && lastDate !== undefined).map((event) => ({
    number: String(event.number),
    x1: new Date(Math.max(dateOf(event.from).getTime(), first!.getTime())),
    x2: new Date(Math.min(dateOf(event.to ?? event.from).getTime(), lastDate!.getTime())),
  }));
  const numberRows = eventNumberRows(inRange, first, lastDate);
  const eventMarks: Plot.Markish[] = inRange.length === 0 ? [] : [
    Plot.rectX(inRange.filter((e) => e.x2 > e.x1), { x1: 'x1', x2: 'x2', fill: '#6a3d9a', fillOpacity: 0.08 }),
    Plot.ruleX(inRange, { x: 'x1', stroke: '#6a3d9a', strokeWidth: 1, strokeOpacity: 0.45, strokeDasharray: '2 3' }),
    // Numbers along the foot of the plot, clear of the target line and the latest points; a
    // number that would run into the one before it (events in neighbouring months) goes a row up.
    ...numberRows.map((row, index) => Plot.text(row, {
      x: 'x1', frameAnchor: 'bottom', text: 'number', fill: '#6a3d9a', fontSize: 10, fontWeight: 'bold', dy: -3 - index * EVENT_ROW_PX, dx: EVENT_DX_PX, textAnchor: 'start',
    })),
  ];
  const marks: Plot.Markish[] = [
    ...eventMarks,
    ...(hasLimits ? [limitLine('upl', true), limitLine('lpl', true), limitLine('mean', false)] : []),
    ...(target !== null ? [Plot.ruleY([target], { stroke: COLOURS.target, strokeWidth: 2, strokeDasharray: '3 3' })] : []),
    Plot.line(rows, { x: 'date', y: (row: ChartPoint) => row.value ?? NaN, stroke: '#212b32', strokeWidth: 1.5 }),
    Plot.dot(shown, {
      x: 'date',
      y: 'value',
      symbol: (row: { type: PointType }) => CATEGORIES[row.type].symbol,
      fill: (row: { type: PointType }) => CATEGORIES[row.type].colour,
      stroke: 'white',
      strokeWidth: 1,
      r: 4.5,
    }),
    Plot.text(spreadLabels(labels, input), {
      x: () => rows.at(-1)?.date,
      y: 'y',
      text: 'text',
      fill: 'colour',
      textAnchor: 'start',
      dx: 8,
      fontSize: 12,
    }),
  ];
  const values = shown.map((row) => row.value!);
  const domain = [Math.min(...values, ...labels.map((l) => l.y)), Math.max(...values, ...labels.map((l) => l.y))];
  const svg = Plot.plot({
    document,
    width: WIDTH,
    height: HEIGHT,
    marginLeft: PLOT_MARGIN_LEFT,
    marginRight: PLOT_MARGIN_RIGHT,
    marginBottom: 36,
    className: 'pw-plot',
    style: undefined,
    x: { type: 'utc', label: null, ticks: 6 },
    y: {
      label: input.unit === 'percent' ? '%' : null,
      nice: input.unit !== 'seconds',
      domain: values.length > 0 ? domain : undefined,
      ...(input.unit === 'seconds' && values.length > 0 ? { ticks: durationTicks(domain[0]!, domain[1]!) } : {}),
      tickFormat: (value: number) => tickText(value, input.unit),
      grid: true,
    },
    symbol: { type: 'identity' },
    color: { type: 'identity' },
    marks,
  }) as unknown as SvgElement;
  return { svg, hasLimits, target };
}

const PLOT_MARGIN_LEFT = 56;
const PLOT_MARGIN_RIGHT = 120;
const EVENT_ROW_PX = 11;
/** How far right of its event's line a number starts. */
const EVENT_DX_PX = 3;
const EVENT_ROWS = 3;
/** Width of a digit of the event numbers (10 px bold), generous, and the space kept between two. */
const EVENT_DIGIT_PX = 6.5;
const EVENT_GAP_PX = 4;

/**
 * The event numbers in rows, first row first: each number goes in the lowest row where it clears
 * the number before it, by its position on the plot's time axis (the axis spans first … last).
 * When no row is clear it goes where the space is least taken.
 */
export function eventNumberRows<T extends { number: string; x1: Date }>(events: readonly T[], first: Date | undefined, last: Date | undefined): T[][] {
  const rows: T[][] = [];
  if (events.length === 0 || !first || !last) return rows;
  const span = Math.max(1, last.getTime() - first.getTime());
  const plotWidth = WIDTH - PLOT_MARGIN_LEFT - PLOT_MARGIN_RIGHT;
  const rightEdges: number[] = [];
  for (const event of [...events].sort((a, b) => a.x1.getTime() - b.x1.getTime())) {
    const left = ((event.x1.getTime() - first.getTime()) / span) * plotWidth + EVENT_DX_PX;
    let row = rightEdges.findIndex((edge) => edge + EVENT_GAP_PX <= left);
    if (row < 0) row = rightEdges.length < EVENT_ROWS ? rightEdges.length : rightEdges.indexOf(Math.min(...rightEdges));
    rightEdges[row] = left + event.number.length * EVENT_DIGIT_PX;
    (rows[row] ??= []).push(event);
  }
  return rows;
}

// Plot writes coordinates with full double precision (225.33333333333334); a hundredth of a pixel
// is finer than any screen, and the digits were a tenth of an org page.
function roundCoordinates(svg: string): string {
  return svg.replace(/(\d+\.\d{2})\d+/g, '$1');
}

// Response times read in minutes: ticks on whole minutes (or 5, 10, 15, 30 minutes, an hour),
// not on the round numbers of seconds a linear scale would pick (500 s = 8:20).
const DURATION_STEPS = [15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200];

function durationTicks(low: number, high: number): number[] {
  const step = DURATION_STEPS.find((candidate) => (high - low) / candidate <= 7) ?? DURATION_STEPS.at(-1)!;
  const ticks: number[] = [];
  for (let tick = Math.ceil(low / step) * step; tick <= high; tick += step) ticks.push(tick);
  return ticks;
}

function tickText(value: number, unit: Unit): string {
  if (unit === 'percent') return `${value}`;
  if (unit === 'count') return value >= 10_000 ? `${Math.round(value / 1000)}k` : value.toLocaleString('en-GB');
  return valueText(value, unit);
}

// Line labels at the right edge must not overprint each other: nudge them apart in value terms.
function spreadLabels(labels: { y: number; text: string; colour: string }[], input: ChartInput) {
  const values = input.points.map((p) => p.value).filter((v): v is number => v !== null);
  const all = [...values, ...labels.map((l) => l.y)];
  const span = (Math.max(...all) - Math.min(...all)) || 1;
  const gap = span * 0.07;
  const sorted = [...labels].sort((a, b) => b.y - a.y);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i - 1]!.y - sorted[i]!.y < gap) sorted[i] = { ...sorted[i]!, y: sorted[i - 1]!.y - gap };
  }
  return sorted;
}

function legendFor(input: ChartInput, hasLimits: boolean, hasTarget: boolean): LegendItem[] {
  const reported = input.points.filter((p) => p.value !== null);
  const seen = new Set(reported.map((p) => p.pointType ?? 'common_cause'));
  const items: LegendItem[] = reported.some((p) => p.pointType !== undefined)
    ? (Object.keys(CATEGORIES) as PointType[])
      .filter((type) => seen.has(type))
      .map((type) => ({ key: type, glyph: CATEGORIES[type].glyph, label: CATEGORIES[type].label }))
    : [{ key: 'common_cause', glyph: CATEGORIES.common_cause.glyph, label: input.frequency === 'quarter' ? 'Quarterly figure' : 'Monthly figure' }];
  if (hasLimits) {
    items.push({ key: 'mean', glyph: '—', label: 'Mean (solid grey line)' });
    items.push({ key: 'limits', glyph: '- -', label: 'Process limits (dashed grey lines)' });
  }
  if (hasTarget) items.push({ key: 'target', glyph: '···', label: 'Target (dotted red line)' });
  return items;
}

/** The chart in words: span, latest value, target, limits and any special cause. */
export function describeChart(input: ChartInput): string {
  const shown = input.points.filter((p) => p.value !== null);
  const label = (period: string) => periodLabel(period, input.frequency);
  if (shown.length === 0) return `No figures for ${input.measure} at ${input.orgName} in this period.`;
  const first = shown[0]!;
  const last = shown.at(-1)!;
  const format = (value: number) => valueText(value, input.unit);
  const parts = [`Chart of ${input.measure} at ${input.orgName}, ${label(first.period)} to ${label(last.period)}.`];
  parts.push(`Latest: ${format(last.value!)} in ${label(last.period)}.`);
  if (input.target !== null && input.target !== undefined) parts.push(`Target: ${format(input.target)}.`);
  const end = input.points.at(-1);
  if (end?.mean != null && end.lpl != null && end.upl != null) {
    parts.push(`Mean ${format(end.mean)}, process limits ${format(end.lpl)} to ${format(end.upl)}.`);
  }
  const special = shown.filter((p) => p.pointType && p.pointType !== 'common_cause');
  if (input.points.some((p) => p.pointType !== undefined)) {
    if (special.length === 0) parts.push('Every point shows common cause variation only.');
    else {
      const counts = new Map<string, number>();
      for (const point of special) counts.set(CATEGORIES[point.pointType!].label, (counts.get(CATEGORIES[point.pointType!].label) ?? 0) + 1);
      parts.push(`${special.length} of ${shown.length} points show special cause variation (${[...counts].map(([what, n]) => `${n} ${what.replace('Special cause: ', '')}`).join(', ')}).`);
    }
  }
  return parts.join(' ');
}
