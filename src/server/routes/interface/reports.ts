import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { PlanwatchError } from '../../../errors.js';
import {
  acknowledgeIssue,
  AREAS,
  closeIssue,
  getIssue,
  listIssues,
  listTrusts,
  recordIssueAction,
  redactIssueField,
  REDACTABLE_FIELDS,
  reportIssue,
  respondToIssue,
  STATUSES,
  type AreaId,
  type Caller,
  type Issue,
  type TrustIcb,
} from '../../../interface/index.js';
import { displayName } from '../../format.js';
import { parseInput } from '../api/schemas.js';
import { callerOf, idParam, type AddRoutes } from './context.js';
import { field, formState, isoDate, refusalStatus, refusedForm, type FormState } from './forms.js';
import { issueView, STATUS_TAGS } from './present.js';

/**
 * Reports of interface problems. A practice reports one and follows its status; the trust's lead
 * acknowledges it, responds, records the action and closes it; ICB reviewers and administrators
 * read them. Every list and page asks the service with the signed-in caller, which returns only
 * what that caller may see: another practice's report is "not found", whatever its id.
 */
const PAGE_SIZE = 50;

const listQuery = z.object({
  status: z.enum([...STATUSES, 'not_closed', 'all']).default('all'),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});

/** What the done=… of a redirect after a change says, in a notification banner. */
const DONE: Record<string, string> = {
  reported: 'Your report has been sent to the trust’s interface lead.',
  acknowledged: 'You have acknowledged this report. The practice can see that.',
  responded: 'Your response has been saved. The practice can read it.',
  action: 'The action taken has been recorded.',
  closed: 'This report is closed.',
  redacted: 'The field has been redacted, in the report and in every audit-log copy of it.',
};

/** The fields an administrator can redact, as the page labels them. */
const REDACT_LABELS: Record<keyof typeof REDACTABLE_FIELDS, string> = {
  specialty: 'Specialty',
  whatHappened: 'What happened',
  workload: 'Workload it caused the practice',
  response: 'Response to the practice',
  actionTaken: 'Action taken',
};

const REPORT_FIELDS = ['trustCode', 'area', 'specialty', 'whatHappened', 'workload'] as const;

async function trustsByCode(ctx: Parameters<typeof listTrusts>[0]): Promise<Map<string, TrustIcb>> {
  return new Map((await listTrusts(ctx)).map((trust) => [trust.trustCode, trust]));
}

function listTitle(caller: Caller, trusts: ReadonlyMap<string, TrustIcb>): string {
  switch (caller.role) {
    case 'practice':
      return `Reports from practice ${caller.practiceCode}`;
    case 'trust_lead':
      return `Reports about ${displayName(trusts.get(caller.trustCode)?.trustName ?? caller.trustCode)}`;
    case 'icb_reviewer':
      return `Reports about trusts in ${displayName([...trusts.values()].find((trust) => trust.icbCode === caller.icbCode)?.icbName ?? caller.icbCode)}`;
    case 'administrator':
      return 'All reports';
  }
}

export const reportRoutes: AddRoutes = (fastify, routes) => {
  const { ctx, show, signedIn } = routes;

  fastify.get('/interface/reports', { preHandler: signedIn }, async (request, reply) => {
    const caller = callerOf(request);
    const query = parseInput(listQuery, request.query, 'Query parameter');
    const issues = await listIssues(ctx, caller, {
      ...(query.status === 'all' ? {} : { status: query.status }),
      limit: PAGE_SIZE + 1,
      offset: (query.page - 1) * PAGE_SIZE,
    });
    const trusts = await trustsByCode(ctx);
    const pageLink = (page: number) => `/interface/reports?${new URLSearchParams({ status: query.status, page: String(page) })}`;
    const shown = issues.slice(0, PAGE_SIZE).map((issue) => issueView(issue, trusts));
    return show(request, reply, 'interface/reports.njk', {
      title: listTitle(caller, trusts),
      head: [
        { text: 'Report' },
        { text: 'Reported' },
        ...(caller.role === 'practice' ? [] : [{ text: 'Practice' }]),
        ...(caller.role === 'trust_lead' ? [] : [{ text: 'Trust' }]),
        { text: 'Area' },
        { text: 'Specialty' },
        { text: 'Status' },
      ],
      rows: shown.map((issue) => [
        { text: `Report ${issue.id}`, href: issue.href },
        { text: issue.reportedAt },
        ...(caller.role === 'practice' ? [] : [{ text: issue.practiceCode }]),
        ...(caller.role === 'trust_lead' ? [] : [{ text: issue.trustName }]),
        { text: issue.area },
        { text: issue.specialty },
        { text: issue.statusTag.text },
      ]),
      canReport: caller.role === 'practice',
      status: query.status,
      statuses: [{ value: 'all', text: 'All reports' }, { value: 'not_closed', text: 'Not closed' }, ...STATUSES.map((status) => ({ value: status, text: STATUS_TAGS[status].text }))]
        .map((item) => ({ ...item, selected: item.value === query.status })),
      ...(query.page > 1 ? { previous: { href: pageLink(query.page - 1), text: 'Newer reports' } } : {}),
      ...(issues.length > PAGE_SIZE ? { next: { href: pageLink(query.page + 1), text: 'Older reports' } } : {}),
    });
  });

  const showReportForm = async (request: FastifyRequest, reply: FastifyReply, form: FormState, status = 200) => {
    const chosen = form.values;
    const trusts = [...(await trustsByCode(ctx)).values()]
      .map((trust) => ({ value: trust.trustCode, text: `${displayName(trust.trustName)} (${trust.trustCode})`, selected: trust.trustCode === chosen.trustCode }))
      .sort((a, b) => a.text.localeCompare(b.text, 'en-GB'));
    return show(request, reply, 'interface/report-form.njk', {
      title: 'Report an interface problem',
      trustItems: [{ value: '', text: 'Choose the trust' }, ...trusts],
      areaItems: AREAS.map((area) => ({ value: area.id, text: area.label, checked: area.id === chosen.area })),
      ...form,
    }, status);
  };

  const requirePractice = (caller: Caller) => {
    if (caller.role !== 'practice') throw new PlanwatchError('E_FORBIDDEN', 'Only a GP practice account can report an interface problem.');
  };

  fastify.get('/interface/reports/new', { preHandler: signedIn }, async (request, reply) => {
    requirePractice(callerOf(request));
    return showReportForm(request, reply, formState());
  });

  fastify.post('/interface/reports', { preHandler: signedIn }, async (request, reply) => {
    const caller = callerOf(request);
    const values: Record<string, string> = Object.fromEntries(REPORT_FIELDS.map((name) => [name, field(request.body, name)]));
    // nhsuk-frontend's date input names its boxes occurredOn[day], [month] and [year].
    for (const part of ['day', 'month', 'year']) values[`occurredOn[${part}]`] = field(request.body, `occurredOn[${part}]`);
    let issue: Issue;
    try {
      issue = await reportIssue(ctx, caller, {
        trustCode: values.trustCode!,
        // An unticked radio sends nothing: '' is no area, and the service's check words the refusal.
        area: values.area as AreaId,
        specialty: values.specialty!,
        occurredOn: isoDate(values['occurredOn[day]']!, values['occurredOn[month]']!, values['occurredOn[year]']!),
        whatHappened: values.whatHappened!,
        workload: values.workload!,
      });
    } catch (error) {
      const form = refusedForm(error, values, { occurredOn: 'occurredOn-day', area: 'area' });
      if (!form) throw error;
      return showReportForm(request, reply, form, refusalStatus(error));
    }
    return reply.redirect(`/interface/reports/${issue.id}?done=reported`, 303);
  });

  const showReport = async (request: FastifyRequest, reply: FastifyReply, issue: Issue, extra: Record<string, unknown> = {}, status = 200) => {
    const caller = callerOf(request);
    const view = issueView(issue, await trustsByCode(ctx));
    return show(request, reply, 'interface/report.njk', {
      title: `Report ${issue.id}: ${view.area}`,
      issue: view,
      isLead: caller.role === 'trust_lead',
      // Only fields that still hold text the administrator could need to remove.
      redactable: caller.role === 'administrator'
        ? Object.entries(REDACT_LABELS).filter(([name]) => issue[name as keyof typeof REDACT_LABELS] !== null).map(([name, label]) => ({ name, label }))
        : [],
      ...formState({ response: issue.response ?? '', actionTaken: issue.actionTaken ?? '' }),
      ...extra,
    }, status);
  };

  fastify.get<{ Params: { id: string }; Querystring: { done?: string } }>('/interface/reports/:id', { preHandler: signedIn }, async (request, reply) => {
    const issue = await getIssue(ctx, callerOf(request), idParam(request.params.id, 'report'));
    const done = request.query.done ? DONE[request.query.done] : undefined;
    return showReport(request, reply, issue, done ? { done } : {});
  });

  /** One step of the trust lead's workflow: the service checks role, scope and state. */
  const step = (path: string, done: string, apply: (caller: Caller, id: number, body: unknown) => Promise<Issue>, fieldName?: string) =>
    fastify.post<{ Params: { id: string } }>(`/interface/reports/:id/${path}`, { preHandler: signedIn }, async (request, reply) => {
      const caller = callerOf(request);
      const id = idParam(request.params.id, 'report');
      try {
        await apply(caller, id, request.body);
      } catch (error) {
        const typed = fieldName ? { [fieldName]: field(request.body, fieldName) } : {};
        const form = refusedForm(error, typed);
        if (!form) throw error;
        const issue = await getIssue(ctx, caller, id);
        return showReport(request, reply, issue, { ...form, values: { response: issue.response ?? '', actionTaken: issue.actionTaken ?? '', ...typed } }, refusalStatus(error));
      }
      return reply.redirect(`/interface/reports/${id}?done=${done}`, 303);
    });

  step('acknowledge', 'acknowledged', (caller, id) => acknowledgeIssue(ctx, caller, id));
  step('respond', 'responded', (caller, id, body) => respondToIssue(ctx, caller, id, field(body, 'response')), 'response');
  step('action', 'action', (caller, id, body) => recordIssueAction(ctx, caller, id, field(body, 'actionTaken')), 'actionTaken');
  step('close', 'closed', (caller, id) => closeIssue(ctx, caller, id));
  // The service refuses anyone but an administrator (403) before it looks at the report.
  step('redact', 'redacted', (caller, id, body) => redactIssueField(ctx, caller, id, field(body, 'field')));
};
