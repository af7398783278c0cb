import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledgeIssue, reportIssue, respondToIssue } from '../../src/interface/issues.js';
import { REDACTED, redactIssueField } from '../../src/interface/redaction.js';
import { expectPlanwatchError } from '../helpers/errors.js';
import { backends, OPEN_TIMEOUT_MS, type TestStore } from './helpers/stores.js';
import { openSeeded, syntheticReport, type World } from './helpers/world.js';

// Text the check cannot tell is patient-identifiable: a made-up name and date of birth.
const SLIPPED = 'Synthetic patient Ada Example, born 1 April 1950, waited';

describe.each(backends)('redactIssueField(ctx, actor, issueId, field) on $name', (backend) => {
  let test: TestStore;
  let world: World;
  beforeAll(async () => {
    ({ test, world } = await openSeeded(backend));
  }, OPEN_TIMEOUT_MS);
  afterAll(() => test?.close());

  /** Every text the database holds for the report and its audit trail, as one string. */
  const everything = async (id: number) => {
    const issue = await test.ctx.db.selectFrom('issues').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const audit = await sql<{ text: string }>`select coalesce(before::text, '') || coalesce(after::text, '') as text from audit_log where entity = 'issue' and entity_id = ${String(id)}`.execute(test.ctx.db);
    return JSON.stringify(issue) + audit.rows.map((row) => row.text).join('');
  };

  it("overwrites the field in the report and in every audit copy, and audits the redaction without the text", async () => {
    const issue = await reportIssue(test.ctx, world.practiceA, syntheticReport({ whatHappened: `${SLIPPED} nine hours.` }));
    await acknowledgeIssue(test.ctx, world.leadRA1, issue.id);
    await respondToIssue(test.ctx, world.leadRA1, issue.id, 'Synthetic: we have spoken to the ward.');
    expect(await everything(issue.id)).toContain(SLIPPED);
    const redacted = await redactIssueField(test.ctx, world.admin, issue.id, 'whatHappened');
    expect(redacted.whatHappened).toBe(REDACTED);
    expect(redacted.response).toBe('Synthetic: we have spoken to the ward.');
    expect(await everything(issue.id)).not.toContain('Ada Example');
    const audit = await test.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'issue.redact').where('entity_id', '=', String(issue.id)).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ account_id: world.admin.accountId, before: { field: 'whatHappened' }, after: { field: 'whatHappened', text: REDACTED } });
  });

  it('lets only an administrator redact, and refuses a field that is not free text', async () => {
    const issue = await reportIssue(test.ctx, world.practiceA, syntheticReport());
    for (const caller of [world.practiceA, world.leadRA1, world.reviewerQAA]) {
      await expectPlanwatchError(() => redactIssueField(test.ctx, caller, issue.id, 'whatHappened'), 'E_FORBIDDEN');
    }
    await expectPlanwatchError(() => redactIssueField(test.ctx, world.admin, issue.id, 'status'), 'E_INVALID', { column: 'field' });
    await expectPlanwatchError(() => redactIssueField(test.ctx, world.admin, issue.id, 'response'), 'E_CONFLICT');
    await expectPlanwatchError(() => redactIssueField(test.ctx, world.admin, 999_999, 'workload'), 'E_NOT_FOUND');
  });
});
