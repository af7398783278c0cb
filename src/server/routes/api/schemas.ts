import { z } from 'zod';
import { PlanwatchError } from '../../../errors.js';
import { POINT_TYPES, VARIATIONS } from '../../../analysis/spc/index.js';
import { LEVELS, PERIOD_PATTERN } from '../../../dimensions.js';

/**
 * The API's boundary, one zod schema per input and output (STYLE.md §7). Queries are parsed with
 * these, so a bad parameter is a 400 naming it; the OpenAPI document is generated from the same
 * schemas, so the two cannot drift apart.
 */
const month = z.string().regex(PERIOD_PATTERN, 'must be a month as YYYY-MM, e.g. 2025-03');
const format = z.enum(['json', 'csv', 'parquet']).default('json').describe('json (default), csv or parquet (application/vnd.apache.parquet)');

export const orgsQuery = z.object({
  q: z.string().max(100).optional().describe('Only organisations whose code or name matches this text'),
  format,
});

export const seriesQuery = z.object({
  from: month.optional().describe('First month, YYYY-MM'),
  to: month.optional().describe('Last month, YYYY-MM'),
  as_of: month.optional().describe('Everything as known at the end of this month, YYYY-MM: later months ignored'),
  format,
});

export const leagueQuery = z.object({
  period: month.optional().describe('Month to rank, YYYY-MM (default: the latest)'),
  from: month.optional().describe('Also rank the change from this month to period ("most improved")'),
  level: z.enum(['trust', 'provider', 'ambulance_trust', 'icb', 'region']).default('trust').describe('Level to rank'),
  region: z.string().regex(/^Y\d\d$/i, 'must be a region code such as Y59').optional().describe('Only organisations in this region'),
  as_of: month.optional().describe('Everything as known at the end of this month, YYYY-MM: later months ignored'),
  format,
});

export const statusQuery = z.object({
  period: month.optional().describe('Month to assess as of, YYYY-MM (default: the latest)'),
  as_of: month.optional().describe('Everything as known at the end of this month, YYYY-MM: later months ignored'),
  format,
});

export const orgParams = z.object({ org: z.string().min(1).describe('ODS code (RHU), region (Y59) or ENG') });
export const metricParams = z.object({ metric: z.string().min(1).describe('Measure id, e.g. ae_4hr') });
export const seriesParams = orgParams.extend(metricParams.shape);

/** Parses one part of a request, turning the first problem into a 400 that names the parameter. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, where: string): z.infer<S> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const name = issue.path.join('.');
  const given = name && input && typeof input === 'object' ? (input as Record<string, unknown>)[name] : undefined;
  throw new PlanwatchError('E_USAGE', `${where} ${name ? `"${name}"` : ''} ${issue.message}${given !== undefined ? `, not "${String(given)}"` : ''}.`.replace(/\s+/g, ' '));
}

const organisation = z.object({
  code: z.string(),
  name: z.string(),
  level: z.enum(LEVELS),
  region: z.string().optional().describe('Region code from the latest publication'),
});

const measure = z.object({
  id: z.string(),
  title: z.string(),
  short: z.string(),
  unit: z.enum(['percent', 'count', 'seconds', 'weeks', 'ratio']).describe('percent values are 0–100'),
  direction: z.enum(['increase', 'decrease', 'neutral']).describe('which way is better'),
  frequency: z.enum(['month', 'quarter']),
});

const nullableNumber = z.number().nullable();

const companionColumn = z.object({ metric: z.string(), short: z.string(), unit: z.string() });
const companion = companionColumn.extend({ value: z.number().nullable() }).describe('A count of the longest waiters shown beside a percentage');

export const orgsResponse = z.object({
  orgs: z.array(organisation.extend({
    icb: z.string().optional().describe('The ICB ODS places it in'),
    lastPeriod: month.nullable().describe('Latest month a statistical publication lists it; null when none has'),
    closed: z.string().optional().describe('ODS close date'),
  })),
});

export const seriesPoint = z.object({
  period: month,
  value: nullableNumber.describe("In the measure's unit; null when not reported (never 0)"),
  numerator: nullableNumber,
  denominator: nullableNumber,
  note: z.string().optional().describe('Why the value is null'),
  members: z.array(z.string()).optional().describe('Aggregates: the organisations summed'),
  excluded: z.array(z.string()).optional().describe('Aggregates: members left out because they did not report'),
  apportioned: z.literal(true).optional().describe('An estimate made from apportioned members (ambulance services\' shares of an ICB)'),
  includesEstimates: z.literal(true).optional().describe("England: NHS England's published figure, including its estimates for trusts that did not report (RTT overview timeseries)"),
  basis: z.string().optional().describe('England: how the figure was made (NHS England\'s published figure, or a sum of the providers that reported)'),
});

const spcPoint = seriesPoint.extend({
  mean: nullableNumber.describe('SPC centre line of the point\'s segment'),
  lpl: nullableNumber.describe('Lower process limit'),
  upl: nullableNumber.describe('Upper process limit'),
  rules: z.object({
    beyond: z.boolean().describe('Beyond a process limit'),
    trend: z.boolean().describe('Part of a run of 7 rising or falling points'),
    twoOfThree: z.boolean().describe('Two of three points near a limit'),
    shift: z.boolean().describe('Part of 7 points on one side of the mean'),
  }),
  pointType: z.enum(POINT_TYPES).describe('Making Data Count point type, after rule precedence'),
});

export const seriesResponse = z.object({
  org: organisation,
  measure,
  points: z.array(spcPoint),
  variation: z.enum(VARIATIONS).describe('Variation icon, from the latest point'),
  assurance: z.enum(['consistent_pass', 'consistent_fail', 'hit_and_miss']).nullable().describe('Assurance icon against the target; null without a target or for a neutral measure'),
  target: z.object({ id: z.string(), title: z.string(), threshold: z.number() }).optional().describe('The target assurance is judged against'),
  segments: z.array(z.object({
    from: month, to: month, points: z.number().int(), mean: nullableNumber, lpl: nullableNumber, upl: nullableNumber,
    trial: z.boolean().describe('Fewer than 13 points: trial limits'),
  })),
});

export const leagueRow = z.object({
  rank: z.number().int().nullable(),
  org: z.string(),
  name: z.string(),
  region: z.string().optional(),
  value: nullableNumber,
  numerator: nullableNumber,
  denominator: nullableNumber,
  yearEarlier: nullableNumber,
  change: nullableNumber.describe('value − value a year earlier'),
  targetMet: z.boolean().nullable(),
  note: z.string().optional(),
  fromValue: nullableNumber.optional().describe('With from: the value in that month'),
  changeSinceFrom: nullableNumber.optional().describe('With from: value − fromValue'),
  improvementRank: z.number().int().nullable().optional().describe('With from: rank on that change, 1 = most improved'),
  companions: z.array(companion),
});

export const leagueResponse = z.object({
  measure,
  period: month,
  level: z.string(),
  from: month.optional(),
  region: z.string().optional(),
  target: z.object({ id: z.string(), title: z.string(), comparator: z.string(), threshold: nullableNumber }).optional(),
  unplaced: z.array(z.string()).optional().describe('ICB and region tables: providers no area contains that month'),
  companions: z.array(companionColumn).describe('Companion measures shown as extra columns, in order'),
  rows: z.array(leagueRow),
});

export const statusLine = z.object({
  targetId: z.string(),
  title: z.string(),
  metric: z.string(),
  measureTitle: z.string(),
  unit: z.string(),
  assessedPeriod: z.string().describe("Month, or financial year 'YYYY/YY'"),
  value: nullableNumber,
  threshold: nullableNumber,
  comparator: z.string(),
  met: z.boolean().nullable(),
  gap: nullableNumber.describe('value − threshold'),
  final: z.boolean().describe("false while the target's period is still running"),
  lastMet: month.nullable(),
  due: month.nullable().describe("Last month of the target's period; null for a standing standard"),
  note: z.string().optional(),
  source: z.object({ title: z.string(), url: z.string(), document: z.string() }),
  companions: z.array(companion),
  projection: z.object({
    period: z.string().describe('The deadline month, or the financial year projected'),
    value: z.number(),
    low: z.number().describe('Lower end of the 80% interval'),
    high: z.number().describe('Upper end of the 80% interval'),
    verdict: z.enum(['on_track', 'at_risk', 'off_track']),
    threshold: z.number(),
    method: z.enum(['seasonal', 'level']),
    calibration: z.enum(['empirical', 'model']),
  }).nullable().describe('Targets not yet due: the projection at the deadline'),
  needed: z.object({
    perMonth: z.number().describe("Steady change a month needed, in the measure's unit"),
    patientsPerMonth: nullableNumber,
    months: z.number().int(),
    peers: z.object({ median: z.number(), p90: z.number(), observations: z.number().int() }).nullable(),
  }).nullable().describe('Targets not met at the latest month: what it would take'),
  reading: z.string().optional(),
});

export const statusResponse = z.object({
  org: organisation,
  period: z.string(),
  lines: z.array(statusLine),
  unmeasured: z.array(z.string()).describe('Measures with no figures for this organisation'),
});

export const errorResponse = z.object({
  error: z.object({ status: z.number().int(), code: z.string(), message: z.string() }),
});

export const targetsQuery = z.object({ format });

export const targetListing = z.object({
  id: z.string(),
  title: z.string(),
  measure: z.string().describe('Measure id'),
  measureTitle: z.string(),
  unit: z.string(),
  comparator: z.enum(['>=', '<=', '>', '<', '==', 'improve_vs_baseline', 'improve_on_previous_year']),
  threshold: nullableNumber.describe('Fixed targets: the level to reach, in the measure\'s unit'),
  rule: z.object({
    baselinePeriod: month.optional(),
    improvement: z.number().optional(),
    improvementUnit: z.enum(['points', 'percent']).optional(),
    floor: z.number().optional().describe('The level every organisation must reach whatever its baseline'),
    comparedWith: z.literal('previous_year').optional(),
  }).nullable().describe('Relative targets: each organisation\'s threshold from its own baseline'),
  due: month.nullable().describe('The month the target falls due; null for a standing standard'),
  period: z.union([
    z.object({ month }),
    z.object({ financialYear: z.string(), average: z.enum(['pooled', 'mean_of_months']) }),
    z.object({ everyMonth: z.literal(true), from: month.nullable() }),
  ]),
  levels: z.array(z.string()),
  source: z.object({ title: z.string(), url: z.string(), section: z.string().nullable(), quote: z.string().nullable() }),
  document: z.object({ id: z.string(), title: z.string(), published: z.string().nullable(), url: z.string() }),
  reading: z.string().nullable().describe('Where the source is ambiguous: the reading encoded, why, and the change for the other'),
  notes: z.string().nullable(),
});

export const targetsResponse = z.object({ targets: z.array(targetListing) });

export const freshnessQuery = z.object({ format });

const isoTime = z.string().describe('ISO 8601 date and time, UTC');

export const freshnessEntry = z.object({
  collection: z.string().describe('Collection id, e.g. ae'),
  title: z.string().describe('The publication, as NHS England titles it'),
  short: z.string(),
  latestPeriod: month.nullable().describe('Newest month with figures (a quarter by its last month)'),
  latestLabel: z.string().nullable().describe('That month as people read it, e.g. "October 2025" or "Q4 2024-25"'),
  published: z.string().nullable().describe('When its current file was published: YYYY-MM-DD, or YYYY-MM when only the month is known; null when not stated'),
  publishedLabel: z.string().nullable(),
  edition: z.string().nullable().describe('first, revised, provisional or final; null when not stated'),
  fetchable: z.boolean().describe('Whether the server can read this collection\'s publication pages'),
  lastChecked: isoTime.nullable().describe('When the server last read the publication pages through'),
  lastError: z.string().nullable().describe('What went wrong at the last check (the site, a changed page, files refused); null when it went through'),
  lastErrorAt: isoTime.nullable(),
  attempts: z.number().int().describe('Failed checks in a row; the next is tried after a back-off'),
  nextCheck: isoTime.nullable().describe('When the next check is due'),
  waiting: z.number().int().describe('Publications found on the pages and not yet in the store'),
  running: z.boolean().describe('A check started and has not finished (under way, or interrupted: it runs again at the next start)'),
});

export const freshnessResponse = z.object({
  refresh: z.object({
    enabled: z.boolean().describe('Whether this server checks the publication pages'),
    interval: z.string().nullable().describe('How often, e.g. 1d or 6h'),
  }),
  collections: z.array(freshnessEntry),
});

export const observationsQuery = z.object({
  collection: z.string().regex(/^[a-z0-9_]+$/, 'must be a collection id such as ae or rtt').optional().describe('Only this collection (ae, ambulance, rtt, …)'),
  from: month.optional().describe('First month, YYYY-MM'),
  to: month.optional().describe('Last month, YYYY-MM'),
  format,
});

export const observationsResponse = z.object({
  org: organisation,
  observations: z.array(z.object({
    collection: z.string(),
    metric: z.string().describe("The source's raw field (e.g. attendances_type1), not a measure id"),
    org: z.string(),
    period: month.describe('A quarter is keyed by its last month'),
    value: nullableNumber.describe('As published; null when published blank or suppressed'),
    note: z.string().nullable().describe('Why the value is null where the file shows something else'),
    current: z.boolean().describe("Whether this figure is from the month's current publication (always true here)"),
    file: z.string().describe('Name of the published file'),
    sha256: z.string().describe("The file's SHA-256"),
    published: z.string().nullable().describe('Publication date, YYYY-MM-DD or YYYY-MM; null when nothing says'),
    edition: z.string().nullable().describe('first, revised, provisional or final; null when not stated'),
    line: z.number().int().describe('Line (row) of the file the figure is on'),
    column: z.string().nullable().describe('Published column header (or headers) the figure is read from'),
  })),
});
