import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../src/interface/context.js';
import { acknowledgeIssue, closeIssue, recordIssueAction, reportIssue, respondToIssue, type ReportInput } from '../../src/interface/issues.js';
import { reviewIcb, reviewToCsv, type IcbReview, type ReviewRow } from '../../src/interface/review.js';
import { expectPlanwatchError } from '../helpers/errors.js';
import { backends, OPEN_TIMEOUT_MS, type TestStore } from './helpers/stores.js';
import { openSeeded, syntheticReport, type World } from './helpers/world.js';

describe.each(backends)('reviewIcb(ctx, caller, icbCode, quarter) on $name', (backend) => {
  let test: TestStore;
  let world: World;
  let review: IcbReview;
  const ids: Record<string, number> = {};

  /** Reports at `reportedAt`; acknowledges, and closes after a response and an action, that many days later. */
  async function history(name: string, practice: Caller, lead: Caller, reportedAt: string, report: Partial<ReportInput>, days: { acknowledge?: number; close?: number }) {
    test.clock.set(reportedAt);
    const { id } = await reportIssue(test.ctx, practice, syntheticReport({ occurredOn: reportedAt.slice(0, 10), ...report }));
    ids[name] = id;
    if (days.acknowledge !== undefined) {
      test.clock.set(reportedAt);
      test.clock.advanceDays(days.acknowledge);
      await acknowledgeIssue(test.ctx, lead, id);
    }
    if (days.close !== undefined) {
      test.clock.set(reportedAt);
      test.clock.advanceDays(days.close);
      await respondToIssue(test.ctx, lead, id, 'Synthetic response.');
      await recordIssueAction(test.ctx, lead, id, 'Synthetic action.');
      await closeIssue(test.ctx, lead, id);
    }
  }

  const rowFor = (trustCode: string | undefined, area: string): ReviewRow => {
    const row = review.rows.find((candidate) => candidate.trustCode === trustCode && candidate.area === area);
    if (!row) throw new Error(`no row for ${trustCode} ${area}`);
    return row;
  };

  beforeAll(async () => {
    ({ test, world } = await openSeeded(backend));
    const cardiology = { area: 'discharge_letter', specialty: 'Cardiology' } as const;
    // Q3 2024-25 (October to December 2024)
    await history('p1', world.practiceA, world.leadRA1, '2024-11-04T10:00:00Z', cardiology, { acknowledge: 2, close: 67 });
    await history('p2', world.practiceA, world.leadRA1, '2024-12-02T09:00:00Z', { area: 'fit_note', specialty: 'Orthopaedics' }, {});
    // Q4 2024-25 (January to March 2025)
    await history('i1', world.practiceA, world.leadRA1, '2025-01-06T09:00:00Z', cardiology, { acknowledge: 1, close: 4 });
    await history('i2', world.practiceB, world.leadRA1, '2025-01-07T09:00:00Z', { ...cardiology, specialty: 'cardiology' }, { acknowledge: 3, close: 10 });
    await history('i3', world.practiceA, world.leadRA1, '2025-02-03T09:00:00Z', cardiology, { acknowledge: 2 });
    await history('i4', world.practiceB, world.leadRA2, '2025-02-10T09:00:00Z', { trustCode: 'RA2', area: 'onward_referral', specialty: 'Dermatology' }, {});
    await history('b1', world.practiceB, world.leadRB1, '2025-01-20T09:00:00Z', { trustCode: 'RB1', ...cardiology }, {});
    test.clock.set('2025-03-15T12:00:00Z');
    review = await reviewIcb(test.ctx, world.reviewerQAA, 'QAA');
  }, OPEN_TIMEOUT_MS);
  afterAll(() => test.close());

  it('reviews the quarter in progress against the one before, for every trust and area of the ICB', () => {
    expect([review.icbCode, review.quarter.label, review.previousQuarter.label]).toEqual(['QAA', 'Q4 2024-25', 'Q3 2024-25']);
    expect(review.trusts.map((trust) => trust.trustCode)).toEqual(['RA2', 'RA1']);
    expect(review.rows).toHaveLength(2 * 5 + 5);
    expect(review.rows.some((row) => row.trustCode === 'RB1')).toBe(false);
  });

  it('counts opened and closed reports, medians in days, and what is still open', () => {
    expect(rowFor('RA1', 'discharge_letter')).toMatchObject({
      current: { opened: 3, closed: 3, medianDaysToAcknowledge: 2, medianDaysToClose: 10, openAtEnd: 1 },
      previous: { opened: 1, closed: 0, medianDaysToAcknowledge: 2, medianDaysToClose: null, openAtEnd: 1 },
    });
    expect(rowFor('RA1', 'fit_note')).toMatchObject({ current: { opened: 0, openAtEnd: 1 }, previous: { opened: 1, openAtEnd: 1 } });
    expect(rowFor('RA2', 'onward_referral').current).toEqual({ opened: 1, closed: 0, medianDaysToAcknowledge: null, medianDaysToClose: null, openAtEnd: 1 });
    expect(rowFor('RA2', 'call_recall').current).toEqual({ opened: 0, closed: 0, medianDaysToAcknowledge: null, medianDaysToClose: null, openAtEnd: 0 });
  });

  it('adds ICB-wide rows whose medians are over reports, not over trusts', () => {
    expect(rowFor(undefined, 'discharge_letter').current).toEqual(rowFor('RA1', 'discharge_letter').current);
    expect(rowFor(undefined, 'onward_referral').trustName).toBe('All trusts in NHS Alpha Integrated Care Board');
  });

  it('lists the oldest open reports of its trusts only, with their age in days', () => {
    expect(review.oldestOpen.map((issue) => [issue.id, issue.daysOpen])).toEqual([
      [ids.p2, 103],
      [ids.i3, 40],
      [ids.i4, 33],
    ]);
  });

  it('finds themes by area and specialty, whatever the case people typed', () => {
    expect(review.themes.map((theme) => [theme.area, theme.specialty, theme.current, theme.previous])).toEqual([
      ['discharge_letter', 'Cardiology', 3, 1],
      ['onward_referral', 'Dermatology', 1, 0],
      ['fit_note', 'Orthopaedics', 0, 1],
    ]);
  });

  it('reviews an earlier quarter when asked', async () => {
    const earlier = await reviewIcb(test.ctx, world.admin, 'qaa', '2024-12');
    expect(earlier.quarter.label).toBe('Q3 2024-25');
    expect(earlier.rows.find((row) => row.trustCode === 'RA1' && row.area === 'discharge_letter')?.current).toEqual(rowFor('RA1', 'discharge_letter').previous);
  });

  it('shows an ICB only to its reviewers and administrators', async () => {
    for (const caller of [world.reviewerQBB, world.leadRA1, world.practiceA]) {
      await expectPlanwatchError(() => reviewIcb(test.ctx, caller, 'QAA'), 'E_FORBIDDEN');
    }
    await expectPlanwatchError(() => reviewIcb(test.ctx, world.admin, 'QZZ'), 'E_NOT_FOUND');
    await expectPlanwatchError(() => reviewIcb(test.ctx, world.admin, 'QAA', '2025-02'), 'E_USAGE');
  });

  it('exports the trust × area table as CSV, one line per row', () => {
    const lines = reviewToCsv(review).split('\n');
    expect(lines).toHaveLength(1 + review.rows.length + 1);
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toMatch(/^ICB code,Quarter,Trust code,Trust,Area,Opened,Closed,Median days to acknowledge,/);
    expect(lines).toContain(
      'QAA,Q4 2024-25,RA1,Alpha General Hospital NHS Trust,Complete care — discharge letter or clinic letter,3,3,2,10,1,Q3 2024-25,1,0,2,,1',
    );
  });
});

describe('reviewToCsv(review)', () => {
  it('quotes commas and quotes, and defuses cells a spreadsheet would run as formulas', () => {
    const figures = { opened: 1, closed: 0, medianDaysToAcknowledge: 0.5, medianDaysToClose: null, openAtEnd: 1 };
    const csv = reviewToCsv({
      icbCode: 'QAA',
      icbName: 'Synthetic',
      asOf: new Date('2025-03-15T12:00:00Z'),
      quarter: { key: '2025-03', label: 'Q4 2024-25', start: new Date(0), end: new Date(0) },
      previousQuarter: { key: '2024-12', label: 'Q3 2024-25', start: new Date(0), end: new Date(0) },
      trusts: [],
      rows: [
        { trustCode: 'RA1', trustName: '=HYPERLINK("x")', area: 'fit_note', areaLabel: 'Complete care — fit note', current: figures, previous: figures },
        { trustCode: 'RA2', trustName: 'Alpha, "the" Trust', area: 'fit_note', areaLabel: 'Complete care — fit note', current: figures, previous: figures },
      ],
      oldestOpen: [],
      themes: [],
    });
    const [, first, second] = csv.split('\n');
    expect(first).toContain(`,"'=HYPERLINK(""x"")",`);
    expect(second).toContain(',"Alpha, ""the"" Trust",');
    expect(second).toContain(',1,0,0.5,,1,');
  });
});
