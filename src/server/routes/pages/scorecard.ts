import type { FastifyInstance } from 'fastify';
import { getSeriesWithSpc, type Status, type StatusLine } from '../../../assessment/index.js';
import { guidanceYearOf } from '../../../assessment/guidance-years.js';
import { assuranceIconSvg, variationIconSvg } from '../../../analysis/spc/icon-svg.js';
import { measureById } from '../../../measures/index.js';
import { addMonths, periodLabel } from '../../../measures/periods.js';
import { sparklineSvg } from '../../charts/sparkline.js';
import { valueText } from '../../format.js';
import { CHART_MONTHS, assessedText, verdictOf } from './present.js';

/**
 * The scorecard an organisation's page opens with: one row per applicable target, this guidance
 * year's and the standing standards first, earlier guidance years folded away (their months have
 * passed; they stay for the record). SPC is computed over the same span as the charts, against
 * the row's own threshold, so a row's icons agree with the chart it links to.
 */
export interface ScorecardRow {
  title: string;
  href: string;
  value: string;
  period: string;
  target: string;
  verdict: { text: string; colour: string };
  variationHtml: string;
  assuranceHtml: string;
  sparklineHtml: string;
  trendText: string;
  guidanceYear: string | null;
  metric: string;
}

const ICON_SIZE = 32;
const SPARK_MONTHS = 24;

const TRAJECTORY_WORDS = {
  on_track: { text: 'On track', colour: 'green' },
  at_risk: { text: 'At risk', colour: 'yellow' },
  off_track: { text: 'Off track', colour: 'red' },
} as const;

export function thresholdText(line: Pick<StatusLine, 'comparator' | 'threshold' | 'unit'>): string {
  if (line.threshold === null) return '';
  const words = { '>=': 'at least', '<=': 'at most', '>': 'above', '<': 'below', '==': 'exactly' }[line.comparator];
  return `${words} ${valueText(line.threshold, line.unit)}`;
}

export async function scorecardRows(fastify: FastifyInstance, status: Status): Promise<ScorecardRow[]> {
  const store = fastify.store;
  return Promise.all(status.lines.map(async (line): Promise<ScorecardRow> => {
    const measure = measureById(line.metric);
    const from = addMonths(status.period || line.assessedPeriod.slice(0, 7), -(CHART_MONTHS - 1));
    const { points, spc } = await getSeriesWithSpc(store, status.org.code, line.metric, { from, ...(line.threshold !== null ? { threshold: line.threshold } : {}) });
    const recent = points.slice(-SPARK_MONTHS);
    const first = recent.find((point) => point.value !== null);
    const last = recent.findLast((point) => point.value !== null);
    const unit = measure.unit;
    // A settled target (its month has passed) is judged by its figure alone: SPC icons describe
    // the present, so they go with standing standards and targets still to come.
    const current = line.due === null || !line.final;
    // A target still to come is judged by its trajectory (the projection at its deadline that
    // getStatus carries); a settled one and a standing standard by the latest figure.
    const verdict = line.projection && !line.final ? { ...TRAJECTORY_WORDS[line.projection.verdict] } : verdictOf(line);
    return {
      title: line.title,
      href: `/org/${status.org.code}/${line.metric}`,
      value: valueText(line.value, unit),
      period: assessedText(line).replace(/^in /, ''),
      target: thresholdText(line),
      verdict,
      variationHtml: current ? variationIconSvg(spc.variation, { size: ICON_SIZE }) : '–',
      assuranceHtml: current && spc.assurance ? assuranceIconSvg(spc.assurance, { size: ICON_SIZE }) : '',
      sparklineHtml: sparklineSvg(recent.map((point) => point.value), { target: line.threshold }),
      trendText: first && last && first !== last
        ? `From ${valueText(first.value, unit)} in ${periodLabel(first.period, measure.frequency)} to ${valueText(last.value, unit)} in ${periodLabel(last.period, measure.frequency)}.`
        : '',
      guidanceYear: guidanceYearOf(line.targetId),
      metric: line.metric,
    };
  }));
}

