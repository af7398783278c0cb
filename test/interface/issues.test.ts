import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acknowledgeIssue,
  closeIssue,
  getIssue,
  listIssues,
  recordIssueAction,
  reportIssue,
  respondToIssue,
  type ReportInput,
} from '../../src/interface/issues.js';
import { expectPlanwatchError } from '../helpers/errors.js';
import { backends, OPEN_TIMEOUT_MS, type TestStore } from './helpers/stores.js';
import { openSeeded, syntheticReport, type World } from './helpers/world.js';

describe.each(backends)('the issue log on $name', (backend) => {
  let test: TestStore;
  let world: World;
  beforeAll(async () => ({ test, world } = await openSeeded(backend)), OPEN_TIMEOUT_MS);
  afterAll(() => test.close());

  const auditOf = (id: number) =>
    test.ctx.db.selectFrom('audit_log').selectAll().where('entity', '=', 'issue').where('entity_id', '=', String(id)).orderBy('id').execute();
  const countIssues = async () => (await test.ctx.db.selectFrom('issues').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
  const countAudit = async () => (await test.ctx.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;

  describe('reportIssue(ctx, caller, input)', () => {
    it('stores a report without an NHS number as open, from the caller’s practice, and audits it', async () => {
      const issue = await reportIssue(test.ctx, world.practiceA, syntheticReport());
      expect(issue).toMatchObject({ practiceCode: 'A81001', trustCode: 'RA1', area: 'discharge_letter', status: 'open', occurredOn: '2025-01-03' });
      expect(issue.reportedAt.toISOString()).toBe(test.clock().toISOString());
      const audit = await auditOf(issue.id);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ action: 'issue.report', account_id: world.practiceA.accountId, before: null });
      expect(audit[0]?.actor).toContain('practice A81001');
      expect(audit[0]?.after).toMatchObject({ id: issue.id, status: 'open', whatHappened: issue.whatHappened });
    });

    it.each([
      ['spaced', 'Patient 943 476 5919 was not called back.'],
      ['hyphenated', 'Patient 943-476-5919 was not called back.'],
      ['run together', 'Patient 9434765919 was not called back.'],
      ['dotted', 'Patient 943.476.5919 was not called back.'],
      ['slashed', 'Patient 943/476/5919 was not called back.'],
      ['underscored', 'Patient 943_476_5919 was not called back.'],
      ['bracketed', 'Patient (943) 476 5919 was not called back.'],
      ['across a line break', 'Patient 943 476\n5919 was not called back.'],
      ['with en dashes', 'Patient 943\u2013476\u20135919 was not called back.'],
      ['with thin spaces', 'Patient 943\u2009476\u20095919 was not called back.'],
      ['with zero-width spaces', 'Patient 943\u200b476\u200b5919 was not called back.'],
      ['in full-width digits', 'Patient \uff19\uff14\uff13\uff14\uff17\uff16\uff15\uff19\uff11\uff19 was not called back.'],
    ])('refuses an NHS number written %s, names the field and stores nothing', async (_, whatHappened) => {
      const [issuesBefore, auditBefore] = [await countIssues(), await countAudit()];
      const error = await expectPlanwatchError(() => reportIssue(test.ctx, world.practiceA, syntheticReport({ whatHappened })), 'E_PATIENT_DATA', {
        file: 'issue report',
        column: 'whatHappened',
      });
      expect(error.message).toContain('"What happened" contains what looks like an NHS number');
      expect(error.message).toContain('Nothing has been saved');
      expect(error.message).not.toContain('5919');
      expect([await countIssues(), await countAudit()]).toEqual([issuesBefore, auditBefore]);
    });

    it('checks the workload and specialty fields too', async () => {
      await expectPlanwatchError(() => reportIssue(test.ctx, world.practiceA, syntheticReport({ workload: 'Called about 943 476 5919 twice' })), 'E_PATIENT_DATA', {
        column: 'workload',
      });
      await expectPlanwatchError(() => reportIssue(test.ctx, world.practiceA, syntheticReport({ specialty: 'Cardio 9434765919' })), 'E_PATIENT_DATA', {
        column: 'specialty',
      });
    });

    it('accepts ten digits that fail the modulus-11 check, such as a mistyped reference', async () => {
      const issue = await reportIssue(test.ctx, world.practiceA, syntheticReport({ whatHappened: 'Ward reference 943 476 5910 given.' }));
      expect(issue.whatHappened).toContain('943 476 5910');
    });

    it.each<[string, Partial<ReportInput>, string]>([
      ['an unknown trust', { trustCode: 'RZZ' }, 'trustCode'],
      ['a trust code of the wrong shape', { trustCode: 'not a code' }, 'trustCode'],
      ['an area outside the five', { area: 'parking' as ReportInput['area'] }, 'area'],
      ['an empty description', { whatHappened: '   ' }, 'whatHappened'],
      ['a date that is not a date', { occurredOn: '2025-02-30' }, 'occurredOn'],
      ['a date in the future', { occurredOn: '2025-01-07' }, 'occurredOn'],
    ])('refuses %s, naming the field', async (_, overrides, column) => {
      const before = await countIssues();
      await expectPlanwatchError(() => reportIssue(test.ctx, world.practiceA, syntheticReport(overrides)), 'E_INVALID', { file: 'issue report', column });
      expect(await countIssues()).toBe(before);
    });

    it('lets only practices report', async () => {
      for (const caller of [world.leadRA1, world.reviewerQAA, world.admin]) {
        await expectPlanwatchError(() => reportIssue(test.ctx, caller, syntheticReport()), 'E_FORBIDDEN');
      }
    });
  });

  describe('reading reports', () => {
    let ofPracticeA: number;
    let ofPracticeBAtRB1: number;

    beforeAll(async () => {
      ofPracticeA = (await reportIssue(test.ctx, world.practiceA, syntheticReport({ specialty: 'Read test' }))).id;
      ofPracticeBAtRB1 = (await reportIssue(test.ctx, world.practiceB, syntheticReport({ trustCode: 'RB1', specialty: 'Read test' }))).id;
    });

    it('lets a practice read its own report but not another practice’s by id', async () => {
      expect((await getIssue(test.ctx, world.practiceA, ofPracticeA)).id).toBe(ofPracticeA);
      const error = await expectPlanwatchError(() => getIssue(test.ctx, world.practiceA, ofPracticeBAtRB1), 'E_NOT_FOUND');
      const missing = await expectPlanwatchError(() => getIssue(test.ctx, world.practiceA, 999_999), 'E_NOT_FOUND');
      expect(error.message.replace(String(ofPracticeBAtRB1), 'N')).toBe(missing.message.replace('999999', 'N'));
    });

    it('lists for each caller only what their role covers', async () => {
      const visible = async (caller: World[keyof World]) => new Set((await listIssues(test.ctx, caller)).map((issue) => issue.id));
      expect(await visible(world.practiceA)).toContain(ofPracticeA);
      expect(await visible(world.practiceA)).not.toContain(ofPracticeBAtRB1);
      expect(await visible(world.leadRA1)).toContain(ofPracticeA);
      expect(await visible(world.leadRA1)).not.toContain(ofPracticeBAtRB1);
      expect(await visible(world.leadRA2)).not.toContain(ofPracticeA);
      expect(await visible(world.reviewerQAA)).toContain(ofPracticeA);
      expect(await visible(world.reviewerQAA)).not.toContain(ofPracticeBAtRB1);
      expect(await visible(world.reviewerQBB)).toEqual(new Set([ofPracticeBAtRB1]));
      expect(await visible(world.admin)).toEqual(new Set([...(await visible(world.reviewerQAA)), ...(await visible(world.reviewerQBB))]));
      for (const issue of await listIssues(test.ctx, world.practiceA)) expect(issue.practiceCode).toBe('A81001');
      for (const issue of await listIssues(test.ctx, world.leadRA1)) expect(issue.trustCode).toBe('RA1');
    });

    it('lets an ICB reviewer read its trusts’ reports by id and no others', async () => {
      expect((await getIssue(test.ctx, world.reviewerQAA, ofPracticeA)).trustCode).toBe('RA1');
      await expectPlanwatchError(() => getIssue(test.ctx, world.reviewerQAA, ofPracticeBAtRB1), 'E_NOT_FOUND');
      await expectPlanwatchError(() => getIssue(test.ctx, world.leadRA1, ofPracticeBAtRB1), 'E_NOT_FOUND');
    });

    it('filters by status', async () => {
      const open = await listIssues(test.ctx, world.admin, { status: 'open' });
      expect(open.length).toBeGreaterThan(0);
      expect(open.every((issue) => issue.status === 'open')).toBe(true);
      expect(await listIssues(test.ctx, world.admin, { status: 'closed' })).toEqual([]);
    });
  });

  describe('the trust lead’s workflow', () => {
    it('walks a report through acknowledge, respond, record action and close, timestamping and auditing each step', async () => {
      const { id } = await reportIssue(test.ctx, world.practiceA, syntheticReport({ area: 'onward_referral', specialty: 'Dermatology' }));
      test.clock.advanceDays(1);
      const acknowledged = await acknowledgeIssue(test.ctx, world.leadRA1, id);
      expect(acknowledged).toMatchObject({ status: 'acknowledged', acknowledgedAt: test.clock() });
      test.clock.advanceDays(2);
      const responded = await respondToIssue(test.ctx, world.leadRA1, id, 'Synthetic: the clinic will send onward referrals itself from now on.');
      expect(responded).toMatchObject({ status: 'responded', respondedAt: test.clock() });
      await expectPlanwatchError(() => closeIssue(test.ctx, world.leadRA1, id), 'E_CONFLICT');
      const acted = await recordIssueAction(test.ctx, world.leadRA1, id, 'Synthetic: reminder sent to all dermatology clinicians.');
      expect(acted.actionTaken).toContain('reminder');
      test.clock.advanceDays(1);
      const closed = await closeIssue(test.ctx, world.leadRA1, id);
      expect(closed).toMatchObject({ status: 'closed', closedAt: test.clock() });

      const seenByPractice = await getIssue(test.ctx, world.practiceA, id);
      expect(seenByPractice).toMatchObject({ status: 'closed', response: responded.response, actionTaken: acted.actionTaken });

      const audit = await auditOf(id);
      expect(audit.map((entry) => entry.action)).toEqual(['issue.report', 'issue.acknowledge', 'issue.respond', 'issue.record_action', 'issue.close']);
      expect(audit[1]).toMatchObject({ before: { status: 'open' }, after: { status: 'acknowledged' }, account_id: world.leadRA1.accountId });
      expect(audit[4]).toMatchObject({ before: { status: 'responded' }, after: { status: 'closed' } });
      await expectPlanwatchError(() => closeIssue(test.ctx, world.leadRA1, id), 'E_CONFLICT');
      await expectPlanwatchError(() => respondToIssue(test.ctx, world.leadRA1, id, 'Late'), 'E_CONFLICT');
    });

    it('acknowledges a report that is answered straight away', async () => {
      const { id } = await reportIssue(test.ctx, world.practiceA, syntheticReport());
      const responded = await respondToIssue(test.ctx, world.leadRA1, id, 'Synthetic response.');
      expect(responded.acknowledgedAt).toEqual(responded.respondedAt);
    });

    it('does not let a trust lead acknowledge, answer or close another trust’s report, and changes nothing', async () => {
      const { id } = await reportIssue(test.ctx, world.practiceB, syntheticReport({ trustCode: 'RB1' }));
      await respondToIssue(test.ctx, world.leadRB1, id, 'Synthetic response.');
      await recordIssueAction(test.ctx, world.leadRB1, id, 'Synthetic action.');
      const auditBefore = await auditOf(id);
      await expectPlanwatchError(() => acknowledgeIssue(test.ctx, world.leadRA1, id), 'E_NOT_FOUND');
      await expectPlanwatchError(() => respondToIssue(test.ctx, world.leadRA1, id, 'Not mine'), 'E_NOT_FOUND');
      await expectPlanwatchError(() => recordIssueAction(test.ctx, world.leadRA1, id, 'Not mine'), 'E_NOT_FOUND');
      await expectPlanwatchError(() => closeIssue(test.ctx, world.leadRA1, id), 'E_NOT_FOUND');
      expect((await getIssue(test.ctx, world.admin, id)).status).toBe('responded');
      expect(await auditOf(id)).toEqual(auditBefore);
      expect((await closeIssue(test.ctx, world.leadRB1, id)).status).toBe('closed');
    });

    it('does not let practices, reviewers or administrators act for the trust', async () => {
      const { id } = await reportIssue(test.ctx, world.practiceA, syntheticReport());
      for (const caller of [world.practiceA, world.reviewerQAA, world.admin]) {
        await expectPlanwatchError(() => acknowledgeIssue(test.ctx, caller, id), 'E_FORBIDDEN');
        await expectPlanwatchError(() => closeIssue(test.ctx, caller, id), 'E_FORBIDDEN');
      }
    });

    it('refuses a response holding an NHS number and leaves the report as it was', async () => {
      const { id } = await reportIssue(test.ctx, world.practiceA, syntheticReport());
      await expectPlanwatchError(() => respondToIssue(test.ctx, world.leadRA1, id, 'We called 943 476 5919.'), 'E_PATIENT_DATA', { file: 'trust response', column: 'response' });
      await expectPlanwatchError(() => recordIssueAction(test.ctx, world.leadRA1, id, 'Letter re 943-476-5919'), 'E_PATIENT_DATA', { column: 'actionTaken' });
      expect(await getIssue(test.ctx, world.leadRA1, id)).toMatchObject({ status: 'open', response: null, actionTaken: null });
      expect((await auditOf(id)).map((entry) => entry.action)).toEqual(['issue.report']);
    });

    it('lets only one of two simultaneous acknowledgements through', async () => {
      const { id } = await reportIssue(test.ctx, world.practiceA, syntheticReport());
      const outcomes = await Promise.allSettled([acknowledgeIssue(test.ctx, world.leadRA1, id), acknowledgeIssue(test.ctx, world.leadRA1, id)]);
      expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect((await auditOf(id)).filter((entry) => entry.action === 'issue.acknowledge')).toHaveLength(1);
    });
  });
});
