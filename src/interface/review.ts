import { sql } from 'kysely';
import { PlanwatchError } from '../errors.js';
import { csvText } from '../csv.js';
import { AREAS, areaLabel, type AreaId } from './areas.js';
import type { Caller, InterfaceContext } from './context.js';
import { previousQuarter, quarter as quarterOf, quarterContaining, type Quarter } from './quarters.js';
import type { IssueStatus } from './schema.js';
import { trustsOfIcb, type TrustIcb } from './trusts.js';

/** How one trust (or the whole ICB) did in one area over one quarter. */
export interface Figures {
  /** Reports made in the quarter. */
  opened: number;
  /** Reports closed in the quarter, whenever they were made. */
  closed: number;
  /** Over reports acknowledged in the quarter: days from report to acknowledgement. */
  medianDaysToAcknowledge: number | null;
  /** Over reports closed in the quarter: days from report to closure. */
  medianDaysToClose: number | null;
  /** Reports still open at the end of the quarter (or now, for the quarter in progress). */
  openAtEnd: number;
}

export interface ReviewRow {
  /** undefined on the ICB-wide row of an area. */
  trustCode: string | undefined;
  trustName: string;
  area: AreaId;
  areaLabel: string;
  current: Figures;
  previous: Figures;
}

export interface OldestOpen {
  id: number;
  trustCode: string;
  practiceCode: string;
  area: AreaId;
  specialty: string;
  status: IssueStatus;
  reportedAt: Date;
  daysOpen: number;
}

export interface Theme {
  area: AreaId;
  areaLabel: string;
  specialty: string;
  current: number;
  previous: number;
}

export interface IcbReview {
  icbCode: string;
  icbName: string;
  asOf: Date;
  quarter: Quarter;
  previousQuarter: Quarter;
  trusts: TrustIcb[];
  /** Every trust × every area, then one ICB-wide row per area. */
  rows: ReviewRow[];
  oldestOpen: OldestOpen[];
  themes: Theme[];
}

const DAY_SECONDS = 86_400;
const OLDEST_OPEN_SHOWN = 10;
const THEMES_SHOWN = 20;

/**
 * The ICB's progress review (issue 7): for each of its trusts and each area, reports opened and
 * closed, median days to acknowledge and to close, and what is still open, this quarter against
 * the last; the oldest open reports; and the themes (area × specialty) that recur.
 * An ICB reviewer sees only their own ICB; an administrator any.
 */
export async function reviewIcb(ctx: InterfaceContext, caller: Caller, icbCode: string, quarterKey?: string): Promise<IcbReview> {
  const icb = icbCode.toUpperCase();
  const isOwnIcb = caller.role === 'icb_reviewer' && caller.icbCode === icb;
  if (!isOwnIcb && caller.role !== 'administrator') {
    throw new PlanwatchError('E_FORBIDDEN', `Only ${icb}'s reviewers or an administrator can see its interface review.`);
  }
  const trusts = await trustsOfIcb(ctx, icb);
  const first = trusts[0];
  if (!first) throw new PlanwatchError('E_NOT_FOUND', `No trusts belong to an ICB with the ODS code ${icb}.`);
  const asOf = ctx.clock();
  const current = quarterKey ? quarterOf(quarterKey) : quarterContaining(asOf);
  const previous = previousQuarter(current);
  const [currentFigures, previousFigures, oldestOpen, themes] = await Promise.all([
    figuresFor(ctx, icb, current, asOf),
    figuresFor(ctx, icb, previous, asOf),
    oldestOpenFor(ctx, icb, asOf),
    themesFor(ctx, icb, current, previous),
  ]);
  const row = (trustCode: string | undefined, trustName: string, area: AreaId): ReviewRow => {
    const key = figuresKey(trustCode, area);
    return {
      trustCode,
      trustName,
      area,
      areaLabel: areaLabel(area),
      current: currentFigures.get(key) ?? NO_REPORTS,
      previous: previousFigures.get(key) ?? NO_REPORTS,
    };
  };
  const rows = [
    ...trusts.flatMap((trust) => AREAS.map((area) => row(trust.trustCode, trust.trustName, area.id))),
    ...AREAS.map((area) => row(undefined, `All trusts in ${first.icbName}`, area.id)),
  ];
  return { icbCode: icb, icbName: first.icbName, asOf, quarter: current, previousQuarter: previous, trusts, rows, oldestOpen, themes };
}

const NO_REPORTS: Figures = Object.freeze({ opened: 0, closed: 0, medianDaysToAcknowledge: null, medianDaysToClose: null, openAtEnd: 0 });

const figuresKey = (trustCode: string | undefined, area: string) => `${trustCode ?? '*'}|${area}`;

interface FiguresRow {
  trust_code: string | null;
  area: AreaId;
  opened: number;
  closed: number;
  median_seconds_to_acknowledge: number | null;
  median_seconds_to_close: number | null;
  open_at_end: number;
}

async function figuresFor(ctx: InterfaceContext, icbCode: string, period: Quarter, asOf: Date): Promise<Map<string, Figures>> {
  const cut = period.end < asOf ? period.end : asOf;
  // One pass, grouped per trust and area and (the second grouping set) per area across the ICB,
  // so the ICB-wide medians are medians of reports, not of trusts' medians.
  const result = await sql<FiguresRow>`
    select i.trust_code, i.area,
      (count(*) filter (where i.reported_at >= ${period.start} and i.reported_at < ${period.end}))::int as opened,
      (count(*) filter (where i.closed_at >= ${period.start} and i.closed_at < ${period.end}))::int as closed,
      percentile_cont(0.5) within group (order by extract(epoch from i.acknowledged_at - i.reported_at)::float8)
        filter (where i.acknowledged_at >= ${period.start} and i.acknowledged_at < ${period.end}) as median_seconds_to_acknowledge,
      percentile_cont(0.5) within group (order by extract(epoch from i.closed_at - i.reported_at)::float8)
        filter (where i.closed_at >= ${period.start} and i.closed_at < ${period.end}) as median_seconds_to_close,
      (count(*) filter (where i.reported_at < ${cut} and (i.closed_at is null or i.closed_at >= ${cut})))::int as open_at_end
    from issues i
    join trust_icb t on t.trust_code = i.trust_code
    where t.icb_code = ${icbCode}
    group by grouping sets ((i.trust_code, i.area), (i.area))
  `.execute(ctx.db);
  const figures = new Map<string, Figures>();
  for (const row of result.rows) {
    figures.set(figuresKey(row.trust_code ?? undefined, row.area), {
      opened: row.opened,
      closed: row.closed,
      medianDaysToAcknowledge: toDays(row.median_seconds_to_acknowledge),
      medianDaysToClose: toDays(row.median_seconds_to_close),
      openAtEnd: row.open_at_end,
    });
  }
  return figures;
}

function toDays(seconds: number | null): number | null {
  return seconds === null ? null : Math.round((seconds / DAY_SECONDS) * 10) / 10;
}

async function oldestOpenFor(ctx: InterfaceContext, icbCode: string, asOf: Date): Promise<OldestOpen[]> {
  const rows = await ctx.db
    .selectFrom('issues')
    .innerJoin('trust_icb', 'trust_icb.trust_code', 'issues.trust_code')
    .select(['issues.id', 'issues.trust_code', 'issues.practice_code', 'issues.area', 'issues.specialty', 'issues.status', 'issues.reported_at'])
    .where('trust_icb.icb_code', '=', icbCode)
    .where('issues.status', '<>', 'closed')
    .orderBy('issues.reported_at')
    .orderBy('issues.id')
    .limit(OLDEST_OPEN_SHOWN)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    trustCode: row.trust_code,
    practiceCode: row.practice_code,
    area: row.area,
    specialty: row.specialty,
    status: row.status,
    reportedAt: row.reported_at,
    daysOpen: Math.floor((asOf.getTime() - row.reported_at.getTime()) / (DAY_SECONDS * 1000)),
  }));
}

interface ThemeRow {
  area: AreaId;
  specialty: string;
  current: number;
  previous: number;
}

/**
 * Specialties are typed by people, so "Cardiology" and "cardiology" are one theme, shown in its
 * commonest spelling. Ties and order use the "C" collation so every server sorts alike.
 */
async function themesFor(ctx: InterfaceContext, icbCode: string, current: Quarter, previous: Quarter): Promise<Theme[]> {
  const result = await sql<ThemeRow>`
    select i.area, mode() within group (order by i.specialty collate "C") as specialty,
      (count(*) filter (where i.reported_at >= ${current.start} and i.reported_at < ${current.end}))::int as current,
      (count(*) filter (where i.reported_at >= ${previous.start} and i.reported_at < ${previous.end}))::int as previous
    from issues i
    join trust_icb t on t.trust_code = i.trust_code
    where t.icb_code = ${icbCode} and i.reported_at >= ${previous.start} and i.reported_at < ${current.end}
    group by i.area, lower(i.specialty)
    order by current desc, previous desc, lower(i.specialty) collate "C", i.area
    limit ${THEMES_SHOWN}
  `.execute(ctx.db);
  return result.rows.map((row) => ({ ...row, areaLabel: areaLabel(row.area) }));
}

const CSV_HEADER = [
  'ICB code',
  'Quarter',
  'Trust code',
  'Trust',
  'Area',
  'Opened',
  'Closed',
  'Median days to acknowledge',
  'Median days to close',
  'Open at end of quarter',
  'Previous quarter',
  'Previous opened',
  'Previous closed',
  'Previous median days to acknowledge',
  'Previous median days to close',
  'Previous open at end of quarter',
];

/** The review's trust × area table as CSV, one row per trust and area, through the shared writer. */
export function reviewToCsv(review: IcbReview): string {
  return csvText(
    CSV_HEADER,
    review.rows.map((row) => [
      review.icbCode,
      review.quarter.label,
      row.trustCode ?? 'ALL',
      row.trustName,
      row.areaLabel,
      ...figureCells(row.current),
      review.previousQuarter.label,
      ...figureCells(row.previous),
    ]),
  );
}

function figureCells(figures: Figures): (number | null)[] {
  return [figures.opened, figures.closed, figures.medianDaysToAcknowledge, figures.medianDaysToClose, figures.openAtEnd];
}
