import { spc, type Direction } from './spc/index.js';
import type { PointType } from './spc/icons.js';

/**
 * Notable changes in the figures, found the day they are published: a new record high or low, a
 * new special-cause signal, a target newly met or missed, a trust whose 12-hour waits from
 * decision to admit grew while England's fell and its own 4-hour performance improved (the
 * pattern HSJ reported). Pure: the caller passes each series and the month to look at; the same
 * series give the same signals.
 */
export type SignalKind = 'record_high' | 'record_low' | 'special_cause' | 'target_met' | 'target_missed' | 'against_trend';

export interface Signal {
  kind: SignalKind;
  org: string;
  metric: string;
  period: string;
  value: number | null;
  /** Kind-specific facts for the words: the earlier record, the rule's point type, the threshold. */
  previous?: { period: string; value: number } | undefined;
  pointType?: PointType | undefined;
  threshold?: number | undefined;
  /** Against the trend: the changes on a year earlier (this trust, England, this trust's 4-hour). */
  changes?: { own: number; england: number; fourHour: number } | undefined;
}

export interface SeriesPoint {
  period: string;
  value: number | null;
}

/** Prior known figures a new high or low must beat to count as a record: two years of them. */
export const RECORD_MIN_HISTORY = 24;
/** The span of the SPC a special-cause signal is judged on: the charts' 36 months. */
export const SIGNAL_SPC_MONTHS = 36;

/** A new record high or low at `period`: above (below) every earlier known figure. */
export function detectRecord(org: string, metric: string, series: readonly SeriesPoint[], period: string): Signal | undefined {
  const at = series.find((point) => point.period === period);
  if (!at || at.value === null) return undefined;
  const earlier = series.filter((point) => point.period < period && point.value !== null) as { period: string; value: number }[];
  if (earlier.length < RECORD_MIN_HISTORY) return undefined;
  const high = earlier.reduce((best, point) => (point.value > best.value ? point : best));
  const low = earlier.reduce((best, point) => (point.value < best.value ? point : best));
  if (at.value > high.value) return { kind: 'record_high', org, metric, period, value: at.value, previous: high };
  if (at.value < low.value) return { kind: 'record_low', org, metric, period, value: at.value, previous: low };
  return undefined;
}

/**
 * A special-cause signal that starts at `period`: the point is special cause and the known point
 * before it was not of the same kind (so a long run gives one signal, when it began).
 */
export function detectSpecialCause(org: string, metric: string, series: readonly SeriesPoint[], period: string, direction: Direction, rebase: readonly string[] = []): Signal | undefined {
  const upTo = series.filter((point) => point.period <= period).slice(-SIGNAL_SPC_MONTHS);
  if (upTo.at(-1)?.period !== period || upTo.at(-1)?.value === null) return undefined;
  const result = spc(upTo, { direction, rebase });
  const known = result.points.filter((point) => point.value !== null);
  const latest = known.at(-1)!;
  const before = known.at(-2);
  if (latest.pointType === 'common_cause' || before?.pointType === latest.pointType) return undefined;
  return { kind: 'special_cause', org, metric, period, value: latest.value, pointType: latest.pointType };
}

/** Met at `period` and not the month before, or the other way round. */
export function detectTargetChange(org: string, metric: string, series: readonly SeriesPoint[], period: string, comparator: '>=' | '<=', threshold: number): Signal | undefined {
  const index = series.findIndex((point) => point.period === period);
  const now = series[index];
  const before = series.slice(0, index).findLast((point) => point.value !== null);
  if (!now || now.value === null || !before || before.value === null) return undefined;
  const meets = (value: number) => (comparator === '>=' ? value >= threshold : value <= threshold);
  if (meets(now.value) === meets(before.value)) return undefined;
  return { kind: meets(now.value) ? 'target_met' : 'target_missed', org, metric, period, value: now.value, threshold, previous: { period: before.period, value: before.value } };
}

/**
 * A trust whose 12-hour waits from decision to admit rose on a year earlier while England's fell,
 * and whose own 4-hour performance improved over the same year.
 */
export function detectAgainstTrend(org: string, dta12: readonly SeriesPoint[], fourHour: readonly SeriesPoint[], england: readonly SeriesPoint[], period: string, yearEarlier: string): Signal | undefined {
  const value = (series: readonly SeriesPoint[], month: string) => series.find((point) => point.period === month)?.value ?? null;
  const own = [value(dta12, period), value(dta12, yearEarlier)];
  const national = [value(england, period), value(england, yearEarlier)];
  const fours = [value(fourHour, period), value(fourHour, yearEarlier)];
  if ([...own, ...national, ...fours].some((v) => v === null)) return undefined;
  const changes = { own: own[0]! - own[1]!, england: national[0]! - national[1]!, fourHour: fours[0]! - fours[1]! };
  if (!(changes.own > 0 && changes.england < 0 && changes.fourHour > 0)) return undefined;
  return { kind: 'against_trend', org, metric: 'ae_dta_12hr', period, value: own[0]!, changes };
}
