import { areaLabel, type Caller, type Issue, type IssueStatus, type TrustIcb } from '../../../interface/index.js';
import { displayName } from '../../format.js';

/**
 * How the interface pages word things: statuses as tags (words first, colour second), dates in
 * England's time, the signed-in person's navigation by role. Views receive these, never rows.
 */
export const STATUS_TAGS: Record<IssueStatus, { text: string; colour: string }> = {
  open: { text: 'Open', colour: 'orange' },
  acknowledged: { text: 'Acknowledged', colour: 'blue' },
  responded: { text: 'Responded', colour: 'purple' },
  closed: { text: 'Closed', colour: 'green' },
};

export const ROLE_LABELS: Record<Caller['role'], string> = {
  practice: 'GP practice',
  trust_lead: 'Trust interface lead',
  icb_reviewer: 'ICB reviewer',
  administrator: 'Administrator',
};

const LONDON = 'Europe/London';
const dateTime = new Intl.DateTimeFormat('en-GB', { timeZone: LONDON, day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const date = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });

/** "6 January 2025 at 09:00", in England's time. */
export function dateTimeText(at: Date | null): string {
  return at ? dateTime.format(at).replace(', ', ' at ') : '';
}

/** "3 January 2025" from the stored 'YYYY-MM-DD'. */
export function dateText(isoDate: string): string {
  return date.format(new Date(`${isoDate}T00:00:00Z`));
}

export interface NavItem {
  href: string;
  text: string;
}

/** The signed-in person as the layout shows them, with the pages their role uses. */
export interface CallerView {
  name: string;
  role: Caller['role'];
  roleText: string;
  organisation: string | undefined;
  nav: NavItem[];
}

/** The account's name, without the address its label carries for the audit log. */
export function callerName(caller: Caller): string {
  return caller.label.replace(/\s*<[^>]*>$/, '');
}

export function callerView(caller: Caller | undefined): CallerView | undefined {
  if (!caller) return undefined;
  const name = callerName(caller);
  const reports = { href: '/interface/reports', text: 'Reports' };
  const registers = { href: '/interface', text: 'Registers' };
  switch (caller.role) {
    case 'practice':
      return { name, role: caller.role, roleText: ROLE_LABELS.practice, organisation: caller.practiceCode, nav: [reports, { href: '/interface/reports/new', text: 'Report a problem' }, registers] };
    case 'trust_lead':
      return { name, role: caller.role, roleText: ROLE_LABELS.trust_lead, organisation: caller.trustCode, nav: [reports, { href: `/interface/${caller.trustCode}/contacts`, text: 'Your register' }, registers] };
    case 'icb_reviewer':
      return { name, role: caller.role, roleText: ROLE_LABELS.icb_reviewer, organisation: caller.icbCode, nav: [{ href: `/icb/${caller.icbCode}/interface`, text: 'Review' }, reports, registers] };
    case 'administrator':
      return { name, role: caller.role, roleText: ROLE_LABELS.administrator, organisation: undefined, nav: [{ href: '/interface/accounts', text: 'Accounts' }, reports, registers] };
  }
}

/** Where each role starts after signing in. */
export function homeOf(caller: Caller): string {
  switch (caller.role) {
    case 'icb_reviewer':
      return `/icb/${caller.icbCode}/interface`;
    case 'administrator':
      return '/interface/accounts';
    default:
      return '/interface/reports';
  }
}

/** One report as the list and the report page show it. */
export interface IssueView {
  id: number;
  href: string;
  practiceCode: string;
  trustCode: string;
  trustName: string;
  area: string;
  specialty: string;
  occurredOn: string;
  whatHappened: string;
  workload: string;
  status: IssueStatus;
  statusTag: { text: string; colour: string };
  reportedAt: string;
  acknowledgedAt: string;
  response: string | null;
  respondedAt: string;
  actionTaken: string | null;
  actionRecordedAt: string;
  closedAt: string;
}

export function issueView(issue: Issue, trusts: ReadonlyMap<string, TrustIcb>): IssueView {
  return {
    id: issue.id,
    href: `/interface/reports/${issue.id}`,
    practiceCode: issue.practiceCode,
    trustCode: issue.trustCode,
    trustName: trustName(issue.trustCode, trusts),
    area: areaLabel(issue.area),
    specialty: issue.specialty,
    occurredOn: dateText(issue.occurredOn),
    whatHappened: issue.whatHappened,
    workload: issue.workload,
    status: issue.status,
    statusTag: STATUS_TAGS[issue.status],
    reportedAt: dateTimeText(issue.reportedAt),
    acknowledgedAt: dateTimeText(issue.acknowledgedAt),
    response: issue.response,
    respondedAt: dateTimeText(issue.respondedAt),
    actionTaken: issue.actionTaken,
    actionRecordedAt: dateTimeText(issue.actionRecordedAt),
    closedAt: dateTimeText(issue.closedAt),
  };
}

export function trustName(code: string, trusts: ReadonlyMap<string, TrustIcb>): string {
  const trust = trusts.get(code);
  return trust ? displayName(trust.trustName) : code;
}

/** The interface header: who is signed in and how to sign out, and the pages of their role. */
export interface HeaderView {
  account: { text: string; href?: string; icon?: boolean }[];
  navigation: (NavItem & { current: boolean })[];
}

export function headerView(caller: CallerView | undefined, currentPath: string): HeaderView {
  const mark = (items: NavItem[]) => items.map((item) => ({ ...item, current: item.href === currentPath }));
  if (!caller) {
    return {
      account: [{ href: '/interface/sign-in', text: 'Sign in' }],
      navigation: mark([{ href: '/interface', text: 'Registers' }, { href: '/', text: 'Performance against targets' }]),
    };
  }
  const who = [caller.roleText, caller.organisation].filter(Boolean).join(', ');
  return {
    account: [{ href: '/interface/account', text: `${caller.name} (${who})`, icon: true }, { href: '/interface/sign-out', text: 'Sign out' }],
    navigation: mark(caller.nav),
  };
}
