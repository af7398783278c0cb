import type { SpcPoint, SpcResult } from '../../analysis/spc/index.js';
import { POINT_TYPE_LABELS } from '../../analysis/spc/icons.js';
import type { Unit } from '../../measures/index.js';
import { addMonths, periodLabel } from '../../measures/periods.js';
import { changeText, valueText } from '../format.js';

/**
 * The few sentences a board report puts under each chart: the latest figure and its change on
 * the month and the year, which special-cause rule fired and since when (the current run of
 * special-cause points, else the last one), the target and where it stands, the assurance.
 * Built from the SPC result and the status the pages already show, so the words and the chart
 * never disagree.
 */
export interface NarrativeInput {
  measure: string;
  unit: Unit;
  frequency: 'month' | 'quarter';
  points: readonly SpcPoint[];
  spc: Pick<SpcResult, 'assurance'>;
  target?: { text: string; verdict: string; gap: string } | undefined;
  /** The trajectory verdict, once the targets work provides one. */
  trajectory?: string | undefined;
}

const RULE_WORDS: Record<keyof SpcPoint['rules'], string> = {
  beyond: 'a point beyond the process limits',
  trend: 'a run of seven points rising or falling',
  twoOfThree: 'two of three points close to a process limit',
  shift: 'a run of seven points on one side of the mean',
};

export function narrate(input: NarrativeInput): string[] {
  const { unit, frequency } = input;
  const label = (period: string) => periodLabel(period, frequency);
  const known = input.points.filter((point) => point.value !== null);
  const latest = known.at(-1);
  if (!latest) return [`No figures for ${input.measure.toLowerCase()} in this period.`];
  const step = frequency === 'quarter' ? 3 : 1;
  const byPeriod = new Map(input.points.map((point) => [point.period, point]));
  const previous = byPeriod.get(addMonths(latest.period, -step));
  const yearEarlier = byPeriod.get(addMonths(latest.period, -12));
  const changes = [
    previous?.value != null ? `${changeText(latest.value! - previous.value, unit) || 'no change'} than ${label(previous.period)}` : '',
    yearEarlier?.value != null ? `${changeText(latest.value! - yearEarlier.value, unit) || 'no change'} than a year earlier` : '',
  ].filter(Boolean);
  const sentences = [`${input.measure}: ${valueText(latest.value, unit)} in ${label(latest.period)}${changes.length ? `, ${changes.join(' and ')}` : ''}.`];
  sentences.push(specialCause(input.points, label));
  if (input.target) sentences.push(`Target: ${input.target.text}. ${input.target.verdict}${input.target.gap ? ` (${input.target.gap})` : ''}.`);
  if (input.spc.assurance === 'consistent_pass') sentences.push('The process limits lie on the right side of the target: it should be met consistently if nothing changes.');
  else if (input.spc.assurance === 'consistent_fail') sentences.push('The process limits lie on the wrong side of the target: it will not be met without a change to the process.');
  else if (input.spc.assurance === 'hit_and_miss') sentences.push('The target lies within the process limits: it will be met in some months and missed in others.');
  if (input.trajectory) sentences.push(input.trajectory);
  return sentences;
}

function specialCause(points: readonly SpcPoint[], label: (period: string) => string): string {
  const known = points.filter((point) => point.value !== null);
  const latest = known.at(-1)!;
  if (latest.pointType === 'common_cause') {
    const last = known.findLast((point) => point.pointType !== 'common_cause');
    return last
      ? `The latest figure shows common cause variation; the last special cause was in ${label(last.period)} (${POINT_TYPE_LABELS[last.pointType].replace('special cause: ', '')}: ${rulesOf([last])}).`
      : 'Every figure shown is common cause variation: no special-cause rule fired.';
  }
  // The current run: consecutive known points of the latest point's kind.
  let start = known.length - 1;
  while (start > 0 && known[start - 1]!.pointType === latest.pointType) start--;
  const run = known.slice(start);
  const since = run.length > 1 ? `since ${label(run[0]!.period)}` : `in ${label(latest.period)}`;
  return `Special cause ${POINT_TYPE_LABELS[latest.pointType].replace('special cause: ', '')} ${since}: ${rulesOf(run)}.`;
}

function rulesOf(points: readonly SpcPoint[]): string {
  const fired = (Object.keys(RULE_WORDS) as (keyof SpcPoint['rules'])[]).filter((rule) => points.some((point) => point.rules[rule]));
  return fired.map((rule) => RULE_WORDS[rule]).join('; ') || 'no rule';
}
