import type { ExpressionBuilder, Transaction } from 'kysely';
import { z } from 'zod';
import { PlanwatchError } from '../errors.js';
import { AREA_IDS, type AreaId } from './areas.js';
import { recordAudit } from './audit.js';
import type { Caller, InterfaceContext, RoleOf } from './context.js';
import { refuseNhsNumbers } from './nhs-number.js';
import type { InterfaceDatabase, IssueRow, IssueStatus } from './schema.js';
import { ODS_CODE, parseForm } from './validation.js';

/** One interface problem as its readers see it. */
export interface Issue {
  id: number;
  practiceCode: string;
  trustCode: string;
  area: AreaId;
  specialty: string;
  occurredOn: string;
  whatHappened: string;
  workload: string;
  status: IssueStatus;
  reportedAt: Date;
  acknowledgedAt: Date | null;
  response: string | null;
  respondedAt: Date | null;
  actionTaken: string | null;
  actionRecordedAt: Date | null;
  closedAt: Date | null;
}

export const REPORT_FORM = 'issue report';
export const REPORT_LABELS = {
  trustCode: 'Trust',
  area: 'Area',
  specialty: 'Specialty',
  occurredOn: 'Date it happened',
  whatHappened: 'What happened',
  workload: 'Workload it caused the practice',
} as const;

const reportSchema = z.object({
  trustCode: z
    .string({ error: 'choose the trust' })
    .trim()
    .toUpperCase()
    .regex(ODS_CODE.trust, "enter the trust's ODS code, like RXX"),
  area: z.enum(AREA_IDS, { error: 'choose one of the five areas' }),
  specialty: z.string({ error: 'enter the specialty' }).trim().min(1, 'enter the specialty').max(100, 'use 100 characters or fewer'),
  occurredOn: z.iso.date({ error: 'enter a real date, like 2025-03-27' }),
  whatHappened: z.string({ error: 'describe what happened' }).trim().min(1, 'describe what happened').max(4000, 'use 4,000 characters or fewer'),
  workload: z
    .string({ error: 'describe the workload it caused' })
    .trim()
    .min(1, 'describe the workload it caused')
    .max(2000, 'use 2,000 characters or fewer'),
});

export type ReportInput = z.input<typeof reportSchema>;

export const RESPONSE_FORM = 'trust response';
export const RESPONSE_LABELS = { response: 'Response to the practice', actionTaken: 'Action taken' } as const;
const responseText = z.string({ error: 'enter some text' }).trim().min(1, 'enter some text').max(4000, 'use 4,000 characters or fewer');

/**
 * Which issues a caller may read, as a WHERE clause every query of this module carries: a
 * practice its own, a trust lead its trust's, an ICB reviewer its trusts' (through trust_icb),
 * an administrator all.
 */
export function visibleTo(caller: Caller) {
  return (eb: ExpressionBuilder<InterfaceDatabase, 'issues'>) => {
    switch (caller.role) {
      case 'practice':
        return eb('issues.practice_code', '=', caller.practiceCode);
      case 'trust_lead':
        return eb('issues.trust_code', '=', caller.trustCode);
      case 'icb_reviewer':
        return eb('issues.trust_code', 'in', eb.selectFrom('trust_icb').select('trust_icb.trust_code').where('trust_icb.icb_code', '=', caller.icbCode));
      case 'administrator':
        return eb.lit(true);
    }
  };
}

/** A practice reports a problem with a trust; refused, with nothing stored, if the text holds an NHS number. */
export async function reportIssue(ctx: InterfaceContext, caller: Caller, input: ReportInput): Promise<Issue> {
  const practice = requireRole(caller, 'practice', 'Only a GP practice account can report an interface problem.');
  refuseNhsNumbers(REPORT_FORM, { trustCode: input.trustCode, specialty: input.specialty, whatHappened: input.whatHappened, workload: input.workload }, REPORT_LABELS);
  const report = parseForm(REPORT_FORM, reportSchema, input, REPORT_LABELS);
  const now = ctx.clock();
  if (report.occurredOn > londonDate(now)) {
    throw new PlanwatchError('E_INVALID', `${REPORT_LABELS.occurredOn}: the date cannot be in the future.`, { file: REPORT_FORM, column: 'occurredOn' });
  }
  return ctx.db.transaction().execute(async (trx) => {
    const trust = await trx.selectFrom('trust_icb').select('trust_code').where('trust_code', '=', report.trustCode).executeTakeFirst();
    if (!trust) {
      throw new PlanwatchError('E_INVALID', `${REPORT_LABELS.trustCode}: no NHS trust has the ODS code ${report.trustCode}.`, { file: REPORT_FORM, column: 'trustCode' });
    }
    const row = await trx
      .insertInto('issues')
      .values({
        practice_code: practice.practiceCode,
        trust_code: report.trustCode,
        area: report.area,
        specialty: report.specialty,
        occurred_on: report.occurredOn,
        what_happened: report.whatHappened,
        workload: report.workload,
        status: 'open',
        reported_by: practice.accountId,
        reported_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { actor: caller, at: now, action: 'issue.report', entity: 'issue', entityId: row.id, before: null, after: toIssue(row) });
    return toIssue(row);
  });
}

/** One issue, if the caller may see it; otherwise the same "not found" whether it exists or not. */
export async function getIssue(ctx: InterfaceContext, caller: Caller, id: number): Promise<Issue> {
  const row = await ctx.db.selectFrom('issues').selectAll().where('id', '=', id).where(visibleTo(caller)).executeTakeFirst();
  if (!row) throw notFound(id);
  return toIssue(row);
}

export interface IssueFilter {
  status?: IssueStatus | 'not_closed';
  trustCode?: string;
  limit?: number;
  offset?: number;
}

/** The caller's issues, newest first. */
export async function listIssues(ctx: InterfaceContext, caller: Caller, filter: IssueFilter = {}): Promise<Issue[]> {
  let query = ctx.db.selectFrom('issues').selectAll().where(visibleTo(caller));
  if (filter.status === 'not_closed') query = query.where('status', '<>', 'closed');
  else if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.trustCode) query = query.where('trust_code', '=', filter.trustCode);
  const rows = await query
    .orderBy('reported_at', 'desc')
    .orderBy('id', 'desc')
    .limit(Math.min(filter.limit ?? 100, 500))
    .offset(filter.offset ?? 0)
    .execute();
  return rows.map(toIssue);
}

/** The trust lead has seen the report. */
export function acknowledgeIssue(ctx: InterfaceContext, caller: Caller, id: number): Promise<Issue> {
  return changeIssue(ctx, caller, id, 'issue.acknowledge', (row, lead, now) => {
    if (row.status !== 'open') throw conflict(id, 'has already been acknowledged');
    return { status: 'acknowledged', acknowledged_at: now, acknowledged_by: lead.accountId };
  });
}

/** The trust lead's answer to the practice; responding to an unacknowledged report acknowledges it. */
export function respondToIssue(ctx: InterfaceContext, caller: Caller, id: number, response: string): Promise<Issue> {
  refuseNhsNumbers(RESPONSE_FORM, { response }, RESPONSE_LABELS);
  const text = parseForm(RESPONSE_FORM, z.object({ response: responseText }), { response }, RESPONSE_LABELS).response;
  return changeIssue(ctx, caller, id, 'issue.respond', (row, lead, now) => {
    if (row.status === 'closed') throw conflict(id, 'is closed');
    return {
      status: 'responded',
      response: text,
      responded_at: now,
      responded_by: lead.accountId,
      ...(row.acknowledged_at === null ? { acknowledged_at: now, acknowledged_by: lead.accountId } : {}),
    };
  });
}

/** What the trust did about it, recorded before the report can be closed. */
export function recordIssueAction(ctx: InterfaceContext, caller: Caller, id: number, actionTaken: string): Promise<Issue> {
  refuseNhsNumbers(RESPONSE_FORM, { actionTaken }, RESPONSE_LABELS);
  const text = parseForm(RESPONSE_FORM, z.object({ actionTaken: responseText }), { actionTaken }, RESPONSE_LABELS).actionTaken;
  return changeIssue(ctx, caller, id, 'issue.record_action', (row, lead, now) => {
    if (row.status === 'open') throw conflict(id, 'has not been acknowledged yet');
    if (row.status === 'closed') throw conflict(id, 'is closed');
    return { action_taken: text, action_recorded_at: now, action_recorded_by: lead.accountId };
  });
}

/** Closes a report that has a response and a recorded action. */
export function closeIssue(ctx: InterfaceContext, caller: Caller, id: number): Promise<Issue> {
  return changeIssue(ctx, caller, id, 'issue.close', (row, lead, now) => {
    if (row.status === 'closed') throw conflict(id, 'is already closed');
    if (row.response === null) throw conflict(id, 'needs a response to the practice before it can be closed');
    if (row.action_taken === null) throw conflict(id, 'needs the action taken recorded before it can be closed');
    return { status: 'closed', closed_at: now, closed_by: lead.accountId };
  });
}

type IssueChange = Partial<Omit<IssueRow, 'id'>>;

/**
 * The one path by which a trust lead changes an issue: checks the role, reads the row within the
 * caller's scope and locks it, applies the change and audits it, all in one transaction. Another
 * trust's issue is "not found", exactly as a missing one is.
 */
async function changeIssue(
  ctx: InterfaceContext,
  caller: Caller,
  id: number,
  action: string,
  decide: (row: IssueRow, lead: RoleOf<'trust_lead'>, now: Date) => IssueChange,
): Promise<Issue> {
  const lead = requireRole(caller, 'trust_lead', "Only the trust's interface lead can change a report.");
  const now = ctx.clock();
  return ctx.db.transaction().execute(async (trx: Transaction<InterfaceDatabase>) => {
    const before = await trx.selectFrom('issues').selectAll().where('id', '=', id).where(visibleTo(lead)).forUpdate().executeTakeFirst();
    if (!before) throw notFound(id);
    const after = await trx.updateTable('issues').set(decide(before, lead, now)).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await recordAudit(trx, { actor: lead, at: now, action, entity: 'issue', entityId: id, before: toIssue(before), after: toIssue(after) });
    return toIssue(after);
  });
}

function requireRole<R extends Caller['role']>(caller: Caller, role: R, message: string): RoleOf<R> {
  if (caller.role !== role) throw new PlanwatchError('E_FORBIDDEN', message);
  return caller as RoleOf<R>;
}

function notFound(id: number): PlanwatchError {
  return new PlanwatchError('E_NOT_FOUND', `There is no report ${id} that you can see.`);
}

function conflict(id: number, state: string): PlanwatchError {
  return new PlanwatchError('E_CONFLICT', `Report ${id} ${state}.`);
}

/** The calendar date in England at an instant: what "today" means to a practice. */
export function londonDate(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

export function toIssue(row: IssueRow): Issue {
  return {
    id: row.id,
    practiceCode: row.practice_code,
    trustCode: row.trust_code,
    area: row.area,
    specialty: row.specialty,
    occurredOn: row.occurred_on,
    whatHappened: row.what_happened,
    workload: row.workload,
    status: row.status,
    reportedAt: row.reported_at,
    acknowledgedAt: row.acknowledged_at,
    response: row.response,
    respondedAt: row.responded_at,
    actionTaken: row.action_taken,
    actionRecordedAt: row.action_recorded_at,
    closedAt: row.closed_at,
  };
}
