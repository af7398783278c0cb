import { INCOMPLETE_TOTAL, RTT_ENGLAND_COLLECTION, estimatedField } from '../sources/rtt/layouts.js';
import { WITHIN_18_WEEKS, bandField, overField } from '../sources/rtt/bands.js';
import type { MeasureDefinition, WeekBandField } from './definition.js';

// Weekly bands to 104 weeks plus the open "104 weeks and over" band (extracts since at least
// November 2024), and the open "over 52 weeks" band that older extracts are reported to end
// with; the percentile uses whichever set a file published (waiting-time.ts).
const WEEKLY: WeekBandField[] = Array.from({ length: 104 }, (_, from) => ({ field: bandField(from, from + 1), from, to: from + 1 }));
const BANDS: WeekBandField[] = [...WEEKLY, { field: bandField(104, null), from: 104, to: null }, { field: bandField(52, null), from: 52, to: null }];

const total = [{ field: INCOMPLETE_TOTAL }];

// England from NHS England's overview timeseries (src/sources/rtt/README.md, "England"): the
// counts with its estimates for trusts that did not report, as its headline gives them.
const ESTIMATES_NOTE =
  "NHS England's published England figure, including its estimates for trusts that did not report (RTT overview timeseries).";
const PERCENTILE_NOTE =
  "NHS England's published England figure (RTT overview timeseries), computed over the trusts that reported; the timeseries gives no estimate for the others.";
const estimated = (field: string) => [{ field: estimatedField(field) }];
const englandCount = (field: string, denominator?: string): MeasureDefinition['england'] => ({
  collection: RTT_ENGLAND_COLLECTION,
  numerator: estimated(field),
  ...(denominator ? { denominator: estimated(denominator) } : {}),
  note: ESTIMATES_NOTE,
  includesEstimates: true,
});
const LONG_WAITS = ['rtt_65wk', 'rtt_78wk', 'rtt_104wk'];

const BASIS =
  'Incomplete pathways at the end of the month (the waiting list), counted by the provider that holds them and summed over commissioners. Regions add up providers, so they can differ slightly from NHS England\'s commissioner-based figures and exclude its estimates for trusts that did not report. England is NHS England\'s own published figure, with those estimates, for every month its RTT overview timeseries covers, and the sum of the providers that reported for months only the full extract holds.';

const overWeeks = (weeks: number): MeasureDefinition => ({
  id: `rtt_${weeks}wk`,
  title: `Patients waiting more than ${weeks} weeks to start consultant-led treatment (RTT)`,
  short: `Over ${weeks} weeks`,
  collection: 'rtt',
  unit: 'count',
  direction: 'decrease',
  numerator: [{ field: overField(weeks) }],
  rollUp: 'sum',
  frequency: 'month',
  description: `Incomplete RTT pathways that had waited more than ${weeks} weeks since referral at the end of the month.`,
  caveat: BASIS,
  england: englandCount(overField(weeks)),
});

const percentile = (id: string, quantile: number, label: string, published: string): MeasureDefinition => ({
  id,
  title: `${label} wait of patients still waiting to start consultant-led treatment (RTT)`,
  short: `${label} wait`,
  collection: 'rtt',
  unit: 'weeks',
  direction: 'decrease',
  numerator: total,
  rollUp: 'sum',
  frequency: 'month',
  distribution: { quantile, bands: BANDS },
  description: `${label} time waited so far on the waiting list, in weeks, estimated from weekly bands by linear interpolation within the band as NHS England does (one falling in the open top band shows as its lower bound, 104 weeks); recomputed from summed band counts for regions and England.`,
  caveat: BASIS,
  england: { collection: RTT_ENGLAND_COLLECTION, numerator: [{ field: published }], note: PERCENTILE_NOTE, includesEstimates: false },
});

export const RTT_MEASURES: MeasureDefinition[] = [
  {
    id: 'rtt_waiting',
    title: 'RTT waiting list: patients waiting to start consultant-led treatment',
    short: 'Waiting list',
    collection: 'rtt',
    unit: 'count',
    direction: 'decrease',
    numerator: total,
    rollUp: 'sum',
    frequency: 'month',
    description: 'Incomplete referral-to-treatment pathways at the end of the month (pathways, not people).',
    caveat: BASIS,
    england: englandCount(INCOMPLETE_TOTAL),
    companions: LONG_WAITS,
  },
  {
    id: 'rtt_18wk',
    title: 'RTT waiting list: share waiting 18 weeks or less',
    short: 'Within 18 weeks',
    collection: 'rtt',
    unit: 'percent',
    direction: 'increase',
    numerator: [{ field: WITHIN_18_WEEKS }],
    denominator: total,
    rollUp: 'sum',
    frequency: 'month',
    description: 'Incomplete pathways that had waited no more than 18 weeks at the end of the month, as a share of all incomplete pathways.',
    caveat: BASIS,
    england: englandCount(WITHIN_18_WEEKS, INCOMPLETE_TOTAL),
    companions: LONG_WAITS,
  },
  overWeeks(52),
  overWeeks(65),
  overWeeks(78),
  overWeeks(104),
  {
    id: 'rtt_52wk_share',
    title: 'RTT waiting list: share waiting more than 52 weeks',
    short: 'Over 52 weeks (share)',
    collection: 'rtt',
    unit: 'percent',
    direction: 'decrease',
    numerator: [{ field: overField(52) }],
    denominator: total,
    rollUp: 'sum',
    frequency: 'month',
    description: 'Incomplete pathways that had waited more than 52 weeks at the end of the month, as a share of all incomplete pathways.',
    caveat: BASIS,
    england: englandCount(overField(52), INCOMPLETE_TOTAL),
    companions: ['rtt_52wk', ...LONG_WAITS],
  },
  percentile('rtt_median_weeks', 0.5, 'Median', 'median_weeks'),
  percentile('rtt_p92_weeks', 0.92, '92nd percentile', 'p92_weeks'),
];
