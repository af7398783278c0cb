import { sql } from 'kysely';
import { z } from 'zod';
import { PlanwatchError } from '../errors.js';
import type { AccountManager } from './accounts.js';
import { recordAudit } from './audit.js';
import type { InterfaceContext } from './context.js';
import { toIssue, type Issue } from './issues.js';

/**
 * Redaction: when something that must not be kept got into a report (an NHS number written in a
 * way the check missed, a patient's name), an administrator replaces the field's text, in the
 * report and in every audit-log copy of it, in one transaction. The text is overwritten, not
 * flagged: nothing in Planwatch can show it again. The redaction is itself audited, naming the
 * field but never its text.
 */
export const REDACTED = '[Redacted by an administrator]';

export const REDACTABLE_FIELDS = {
  specialty: 'specialty',
  whatHappened: 'what_happened',
  workload: 'workload',
  response: 'response',
  actionTaken: 'action_taken',
} as const;
export type RedactableField = keyof typeof REDACTABLE_FIELDS;

const fieldSchema = z.enum(Object.keys(REDACTABLE_FIELDS) as [RedactableField, ...RedactableField[]]);

export async function redactIssueField(ctx: InterfaceContext, actor: AccountManager, issueId: number, field: string): Promise<Issue> {
  if (actor !== 'command line' && actor.role !== 'administrator') throw new PlanwatchError('E_FORBIDDEN', 'Only an administrator can redact a report.');
  const parsed = fieldSchema.safeParse(field);
  if (!parsed.success) {
    throw new PlanwatchError('E_INVALID', `Field: choose one of ${Object.keys(REDACTABLE_FIELDS).join(', ')}.`, { file: 'redaction', column: 'field' });
  }
  const name = parsed.data;
  const column = REDACTABLE_FIELDS[name];
  const now = ctx.clock();
  return ctx.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('issues').selectAll().where('id', '=', issueId).forUpdate().executeTakeFirst();
    if (!before) throw new PlanwatchError('E_NOT_FOUND', `There is no report ${issueId}.`);
    if (before[column] === null) throw new PlanwatchError('E_CONFLICT', `Report ${issueId} has nothing in that field to redact.`);
    const after = await trx.updateTable('issues').set({ [column]: REDACTED }).where('id', '=', issueId).returningAll().executeTakeFirstOrThrow();
    // Every audit copy of the report holds the field under its camelCase name in before/after.
    for (const side of ['before', 'after'] as const) {
      await sql`update audit_log set ${sql.ref(side)} = jsonb_set(${sql.ref(side)}, ${sql.lit(`{${name}}`)}::text[], to_jsonb(${REDACTED}::text))
        where entity = 'issue' and entity_id = ${String(issueId)} and ${sql.ref(side)} -> ${sql.lit(name)} is not null
          and jsonb_typeof(${sql.ref(side)} -> ${sql.lit(name)}) = 'string'`.execute(trx);
    }
    await recordAudit(trx, { actor, at: now, action: 'issue.redact', entity: 'issue', entityId: issueId, before: { field: name }, after: { field: name, text: REDACTED } });
    return toIssue(after);
  });
}
