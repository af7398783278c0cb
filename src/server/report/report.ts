import type { FastifyInstance } from 'fastify';
import { guidanceYearOf, leadingMonth, splitByGuidanceYear } from '../../assessment/guidance-years.js';
import { describeOrg, getSeriesWithSpc, getStatus, type StatusLine } from '../../assessment/index.js';
import { assuranceIconSvg, variationIconSvg } from '../../analysis/spc/icon-svg.js';
import { ASSURANCE_LABELS, POINT_TYPE_LABELS, VARIATION_LABELS, type Assurance, type Variation } from '../../analysis/spc/icons.js';
import { measureById } from '../../measures/index.js';
import { addMonths, isPeriod, periodLabel } from '../../measures/periods.js';
import { chartEvents } from '../charts/events.js';
import { spcChart } from '../charts/spc-chart.js';
import { displayName, valueText } from '../format.js';
import { CHART_MONTHS, gapText, levelText, slug, verdictOf } from '../routes/pages/present.js';
import { thresholdText } from '../routes/pages/scorecard.js';
import { narrate } from './narrative.js';

/**
 * The board report (an integrated performance report the Making Data Count way): the summary
 * matrix of every measure by variation and assurance, then each measure's SPC chart with its
 * figures and a short account of what changed. One measure per target that applies, judged
 * against the target in force at the report's month; printed on A4 (planwatch.css, @media print).
 */
type VariationKind = 'improvement' | 'concern' | 'neutral' | 'common';
type AssuranceKind = Assurance | 'none';

const VARIATION_ROWS: { kind: VariationKind; label: string }[] = [
  { kind: 'improvement', label: 'Special cause improvement' },
  { kind: 'common', label: 'Common cause variation' },
  { kind: 'concern', label: 'Special cause concern' },
  { kind: 'neutral', label: 'Special cause, neither better nor worse' },
];
const ASSURANCE_COLUMNS: { kind: AssuranceKind; label: string }[] = [
  { kind: 'consistent_pass', label: ASSURANCE_LABELS.consistent_pass },
  { kind: 'hit_and_miss', label: ASSURANCE_LABELS.hit_and_miss },
  { kind: 'consistent_fail', label: ASSURANCE_LABELS.consistent_fail },
  { kind: 'none', label: 'No target to judge against' },
];

function variationKind(variation: Variation): VariationKind {
  if (variation.startsWith('improvement')) return 'improvement';
  if (variation.startsWith('concern')) return 'concern';
  if (variation.startsWith('neutral')) return 'neutral';
  return 'common';
}

export async function reportContext(fastify: FastifyInstance, code: string, period?: string) {
  const store = fastify.store;
  const org = await describeOrg(store, code);
  const status = await getStatus(store, org.code, period ? { period } : {});
  // One section per measure: the target that is due next judges it, among the targets of the
  // guidance year that leads (today's for the latest report, as on the pages; that of the month
  // asked for), then later years' and the standing standards, then earlier years'.
  const { shown, earlier } = splitByGuidanceYear(status.lines, (line) => guidanceYearOf(line.targetId), period ?? leadingMonth(status.period, new Date()));
  const byMetric = new Map<string, StatusLine>();
  for (const line of [...shown, ...earlier]) {
    const current = byMetric.get(line.metric);
    if (!current || (current.final && !line.final)) byMetric.set(line.metric, line);
  }
  const name = displayName(org.name);
  const sections: NonNullable<Awaited<ReturnType<typeof reportSection>>>[] = [];
  for (const line of byMetric.values()) {
    const section = await reportSection(fastify, org.code, name, line, status.period, period);
    if (section) sections.push(section);
  }
  const matrix = VARIATION_ROWS.map((row) => ({
    label: row.label,
    cells: ASSURANCE_COLUMNS.map((column) => sections
      .filter((section) => variationKind(section.variation) === row.kind && (section.assurance ?? 'none') === column.kind)
      .map((section) => ({ href: `#${section.id}`, text: measureById(section.metric).short }))),
  }));
  const asOf = period ?? status.period;
  return {
    title: `Board report: ${name}, ${periodLabel(asOf)}`,
    org: { ...org, name, levelText: levelText(org.level) },
    period: asOf,
    columns: ASSURANCE_COLUMNS,
    matrix,
    sections,
  };
}

async function reportSection(fastify: FastifyInstance, code: string, name: string, line: StatusLine, statusPeriod: string, period: string | undefined) {
  const measure = measureById(line.metric);
  const to = period && period < (statusPeriod || period) ? period : undefined;
  const end = to ?? (/^\d{4}-\d{2}$/.test(line.assessedPeriod) ? line.assessedPeriod : statusPeriod);
  const from = addMonths(end, -(CHART_MONTHS - 1));
  const { points, spc } = await getSeriesWithSpc(fastify.store, code, line.metric, { from, ...(to ? { to } : {}), ...(line.threshold !== null ? { threshold: line.threshold } : {}) });
  if (!points.some((point) => point.value !== null)) return undefined;
  const judged = points.map((point, i) => ({ ...point, ...spc.points[i]!, value: point.value }));
  const id = `report-${slug(line.metric)}`;
  const events = chartEvents(line.metric, judged[0]!.period, judged.at(-1)!.period);
  const chart = spcChart({ events: events.marks, measure: measure.short, orgName: name, unit: measure.unit, frequency: measure.frequency, points: judged, target: line.threshold, labelledBy: `${id}-caption` });
  const verdict = verdictOf(line);
  // The trajectory of a target still to come, as getStatus projects it to the deadline.
  const projection = !line.final ? line.projection : null;
  const trajectory = projection
    ? `Trajectory: ${projection.verdict.replace('_', ' ')} — projected ${valueText(projection.value, measure.unit)} by ${isPeriod(projection.period) ? periodLabel(projection.period) : projection.period} (likely between ${valueText(projection.low, measure.unit)} and ${valueText(projection.high, measure.unit)}) against ${valueText(projection.threshold, measure.unit)}.`
    : undefined;
  return {
    metric: line.metric,
    id,
    title: measure.title,
    targetTitle: line.title,
    variation: spc.variation,
    assurance: spc.assurance,
    iconsHtml: variationIconSvg(spc.variation, { size: 36 }) + (spc.assurance ? assuranceIconSvg(spc.assurance, { size: 36 }) : ''),
    iconsText: [VARIATION_LABELS[spc.variation], spc.assurance ? ASSURANCE_LABELS[spc.assurance] : ''].filter(Boolean).join('; '),
    narrative: narrate({
      measure: measure.short, unit: measure.unit, frequency: measure.frequency, points: judged, spc,
      target: { text: thresholdText(line) ? `${line.title} (${thresholdText(line)})` : line.title, verdict: verdict.text, gap: gapText(line.gap, line.unit) },
      trajectory,
    }),
    chart,
    events: events.list,
    rebase: events.rebase,
    table: {
    caption: `${measure.short} at ${name}, ${periodLabel(judged[0]!.period, measure.frequency)} to ${periodLabel(judged.at(-1)!.period, measure.frequency)}`,
    head: [{ text: 'Month' }, { text: 'Value', format: 'numeric' }, { text: 'Mean', format: 'numeric' }, { text: 'Lower limit', format: 'numeric' }, { text: 'Upper limit', format: 'numeric' }, { text: 'Variation' }],
    rows: judged.map((point) => [
      { text: periodLabel(point.period, measure.frequency) },
      { text: valueText(point.value, measure.unit), format: 'numeric' },
      { text: point.mean === null ? '' : valueText(point.mean, measure.unit), format: 'numeric' },
      { text: point.lpl === null ? '' : valueText(point.lpl, measure.unit), format: 'numeric' },
      { text: point.upl === null ? '' : valueText(point.upl, measure.unit), format: 'numeric' },
      { text: point.value === null ? (point.note ?? '') : POINT_TYPE_LABELS[point.pointType] },
    ]),
    },
  };
}
