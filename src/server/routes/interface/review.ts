import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { areaLabel, previousQuarter, quarterContaining, reviewIcb, reviewToCsv, type Figures, type IcbReview, type Quarter, type ReviewRow } from '../../../interface/index.js';
import { displayName } from '../../format.js';
import { parseInput } from '../api/schemas.js';
import { callerOf, type AddRoutes } from './context.js';
import { callerName, dateTimeText, STATUS_TAGS } from './present.js';

/**
 * The ICB's progress review at /icb/:code/interface: for each of its trusts and each area,
 * reports opened and closed, median days to acknowledge and to close and what is still open,
 * this quarter against the last; the oldest open reports; the themes. As CSV with
 * ?format=csv, and as a printable report at /icb/:code/interface/report. The service lets an
 * ICB's own reviewers (and administrators) see it; anyone else is refused.
 */
const QUARTERS_OFFERED = 8;

const reviewQuery = z.object({
  quarter: z.string().regex(/^\d{4}-(03|06|09|12)$/, 'is a quarter written as its last month, like 2025-03').optional(),
  format: z.enum(['html', 'csv']).default('html'),
});

type ReviewParams = { Params: { code: string }; Querystring: Record<string, string> };

function figureText(value: number | null, unit = ''): string {
  return value === null ? 'none' : `${value.toLocaleString('en-GB')}${unit}`;
}

/** A figure with last quarter's beside it, in words: "3 (was 1)". */
function compared(current: number | null, previous: number | null): string {
  return `${figureText(current)} (was ${figureText(previous)})`;
}

function figureCells(row: ReviewRow): { text: string }[] {
  const pick = (key: keyof Figures) => ({ text: compared(row.current[key], row.previous[key]) });
  return [pick('opened'), pick('closed'), pick('medianDaysToAcknowledge'), pick('medianDaysToClose'), pick('openAtEnd')];
}

/** The review as the page and the printable report show it. */
function reviewView(review: IcbReview, asOf: Date) {
  const byTrust = review.trusts.map((trust) => ({
    code: trust.trustCode,
    name: displayName(trust.trustName),
    rows: review.rows.filter((row) => row.trustCode === trust.trustCode).map((row) => [{ text: row.areaLabel }, ...figureCells(row)]),
  }));
  const icbRows = review.rows.filter((row) => row.trustCode === undefined).map((row) => [{ text: row.areaLabel }, ...figureCells(row)]);
  const trustNames = new Map(review.trusts.map((trust) => [trust.trustCode, displayName(trust.trustName)]));
  return {
    icbCode: review.icbCode,
    icbName: displayName(review.icbName),
    quarter: review.quarter,
    previousQuarter: review.previousQuarter,
    asOf: dateTimeText(asOf),
    icbRows,
    byTrust,
    oldestOpen: review.oldestOpen.map((issue) => [
      { html: `<a href="/interface/reports/${issue.id}">Report ${issue.id}</a>` },
      { text: trustNames.get(issue.trustCode) ?? issue.trustCode },
      { text: issue.practiceCode },
      { text: areaLabel(issue.area) },
      { text: issue.specialty },
      { text: STATUS_TAGS[issue.status].text },
      { text: figureText(issue.daysOpen), format: 'numeric' },
    ]),
    themes: review.themes.map((theme) => [{ text: theme.areaLabel }, { text: theme.specialty }, { text: figureText(theme.current), format: 'numeric' }, { text: figureText(theme.previous), format: 'numeric' }]),
  };
}

function quarterChoices(now: Date, chosen: Quarter): { value: string; text: string; selected: boolean }[] {
  const choices: Quarter[] = [quarterContaining(now)];
  while (choices.length < QUARTERS_OFFERED) choices.push(previousQuarter(choices.at(-1)!));
  if (!choices.some((quarter) => quarter.key === chosen.key)) choices.push(chosen);
  return choices.map((quarter) => ({ value: quarter.key, text: quarter.label, selected: quarter.key === chosen.key }));
}

export const reviewRoutes: AddRoutes = (fastify, routes) => {
  const { ctx, show, signedIn } = routes;

  const load = async (request: FastifyRequest<ReviewParams>) => {
    const query = parseInput(reviewQuery, request.query, 'Query parameter');
    const review = await reviewIcb(ctx, callerOf(request), request.params.code, query.quarter);
    return { query, review };
  };

  fastify.get<ReviewParams>('/icb/:code/interface', { preHandler: signedIn }, async (request, reply) => {
    const { query, review } = await load(request);
    if (query.format === 'csv') {
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="interface-review-${review.icbCode}-${review.quarter.key}.csv"`)
        .send(reviewToCsv(review));
    }
    const view = reviewView(review, ctx.clock());
    const links = new URLSearchParams({ quarter: review.quarter.key });
    return show(request, reply, 'interface/review.njk', {
      title: `Interface review: ${view.icbName}, ${review.quarter.label}`,
      review: view,
      quarters: quarterChoices(ctx.clock(), review.quarter),
      csvHref: `/icb/${review.icbCode}/interface?${links}&format=csv`,
      reportHref: `/icb/${review.icbCode}/interface/report?${links}`,
    });
  });

  fastify.get<ReviewParams>('/icb/:code/interface/report', { preHandler: signedIn }, async (request, reply) => {
    const { review } = await load(request);
    const view = reviewView(review, ctx.clock());
    return show(request, reply, 'interface/review-report.njk', {
      title: `Interface review report: ${view.icbName}, ${review.quarter.label}`,
      review: view,
      preparedFor: callerName(callerOf(request)),
      backHref: `/icb/${review.icbCode}/interface?${new URLSearchParams({ quarter: review.quarter.key })}`,
    });
  });
};
