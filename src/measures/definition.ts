import type { Direction } from '../dimensions.js';

export type { Direction };

/**
 * What a measure is: a numerator and optional denominator, each a signed sum of raw fields a
 * source publishes, with a unit, a direction and a roll-up rule. Measure ids are part of the
 * public interface (the issues name them); raw field names belong to their source.
 */
export type Unit = 'percent' | 'count' | 'seconds' | 'weeks' | 'ratio';

export interface Term {
  field: string;
  sign?: 1 | -1;
  /** Absent from some layouts (e.g. booked appointments before August 2020): counts as 0 there. */
  optional?: boolean;
}

export interface MeasureDefinition {
  id: string;
  title: string;
  /** Short label for tables and charts. */
  short: string;
  collection: string;
  unit: Unit;
  direction: Direction;
  /** For 'percent': value = 100 × numerator ÷ denominator. For counts: value = numerator. */
  numerator: Term[];
  denominator?: Term[];
  /**
   * 'sum': a parent's figure sums its members' numerators and denominators (never averages
   * rates); 'published': only the figures the publication gives for each level are used
   * (medians, percentiles, figures with estimates).
   */
  rollUp: 'sum' | 'published';
  /**
   * How ICB figures are made for 'sum' measures: 'links' (default) sums the ICB's member
   * organisations as ODS places them; 'apportioned' uses only the collection's own weighted links
   * (ambulance services serve several ICBs: a ratio such as a mean can be mixed by shares, a count
   * cannot); 'none' gives no ICB figure.
   */
  icbRollUp?: 'links' | 'apportioned' | 'none';
  /** Level of the organisations that publish it, for targets: 'trust' unless said otherwise. */
  providerLevel?: 'trust' | 'ambulance_trust';
  /** Monthly or quarterly (keyed by the quarter's last month). */
  frequency: 'month' | 'quarter';
  description: string;
  /** Shown with every value: e.g. what an excluded organisation means. */
  caveat?: string;
  /**
   * Ids of count measures shown beside this one in status and league tables: the longest
   * waiters behind a percentage (13+ week diagnostic waits beside the 6-week share, 12-hour
   * trolley waits beside A&E's 4 hours), because each of those patients carries a risk of harm
   * that a percentage hides. Same collection and organisation, same month.
   */
  companions?: readonly string[];
  /**
   * For waiting-time percentiles: the value is this quantile of waits published as counts in
   * week bands (raw fields, contiguous from 0 weeks, the last open-ended). Every level sums the
   * band counts and recomputes it (waiting-time.ts); the numerator is then the number of
   * patients the percentile is taken over.
   */
  distribution?: { quantile: number; bands: readonly WeekBandField[] };
  /**
   * England's figure as NHS England publishes it in a national series of its own collection
   * (RTT's overview timeseries, with its estimates for trusts that did not report). For months
   * that series holds it is England's current figure, over the sum of providers: it is the
   * headline NHS England gives. Other months keep the sum. `note` is shown beside each such value;
   * `includesEstimates` says whether the figure counts NHS England's estimates for trusts that did
   * not report (its counts do; its published median and 92nd percentile do not).
   */
  england?: { collection: string; numerator: Term[]; denominator?: Term[]; note: string; includesEstimates: boolean };
}

/** A raw field holding the count of waits over `from` and up to `to` weeks (to null: open). */
export interface WeekBandField {
  field: string;
  from: number;
  to: number | null;
}

export function fieldsOf(measure: MeasureDefinition): string[] {
  const terms = [...measure.numerator, ...(measure.denominator ?? [])].map((term) => term.field);
  return [...new Set([...terms, ...bandFieldsOf(measure)])];
}

export function bandFieldsOf(measure: MeasureDefinition): string[] {
  return measure.distribution?.bands.map((band) => band.field) ?? [];
}
