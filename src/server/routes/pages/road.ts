import type { StatusLine } from '../../../assessment/index.js';
import { periodLabel } from '../../../measures/periods.js';
import type { Unit } from '../../../measures/index.js';
import { valueText } from '../../format.js';

/**
 * The road to a deadline in words, for a target's card: the projection with its interval and
 * verdict (a tag with words, never colour alone), what it would take, and what peers achieved.
 */
const VERDICTS = {
  on_track: { text: 'On track', colour: 'green' },
  at_risk: { text: 'At risk', colour: 'yellow' },
  off_track: { text: 'Off track', colour: 'red' },
} as const;

function whenText(period: string): string {
  return /^\d{4}\/\d{2}$/.test(period) ? `across ${period}` : `in ${periodLabel(period)}`;
}

/** "0.3 percentage points a month", "27 seconds a month", "120 patients a month". */
function stepText(perMonth: number, unit: Unit): string {
  const magnitude = Math.abs(perMonth);
  const amount = unit === 'percent' ? `${magnitude.toFixed(2)} percentage points` : valueText(magnitude, unit);
  return `${amount} ${perMonth > 0 ? 'higher' : 'lower'} each month`;
}

export function projectionParams(line: StatusLine) {
  const p = line.projection;
  if (!p) return undefined;
  return {
    heading: `Projected ${whenText(p.period)}`,
    text: `${valueText(p.value, line.unit)}, likely between ${valueText(p.low, line.unit)} and ${valueText(p.high, line.unit)} (80% interval), against ${valueText(p.threshold, line.unit)}`,
    verdict: VERDICTS[p.verdict],
    method: p.method === 'seasonal'
      ? 'Same month a year earlier plus the recent year-on-year change; the interval from this series\u2019 own past errors.'
      : 'Under a year of figures: the recent level, with no trend.',
  };
}

export function neededParams(line: StatusLine): string | undefined {
  const n = line.needed;
  if (!n) return undefined;
  const patients = n.patientsPerMonth === null || line.unit !== 'percent'
    ? ''
    : ` (about ${Math.round(Math.abs(n.patientsPerMonth)).toLocaleString('en-GB')} ${n.patientsPerMonth > 0 ? 'more' : 'fewer'} patients a month at today\u2019s numbers)`;
  const peers = n.peers
    ? ` Over the same months of earlier years, comparable organisations moved ${stepText(n.peers.median, line.unit).replace(' each month', ' a month')} (median) and ${stepText(n.peers.p90, line.unit).replace(' each month', ' a month')} (the best 10%).`
    : '';
  return `${stepText(n.perMonth, line.unit)} for ${n.months} months${patients}.${peers}`;
}
