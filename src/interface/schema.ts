import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { AreaId } from './areas.js';

/**
 * The tables of the interface log as Kysely sees them. Migrations in ./migrations create them;
 * this file and the migrations change together. Timestamps are set by the service from its
 * injected clock, never by the database, so tests control time.
 */
export interface InterfaceDatabase {
  trust_icb: TrustIcbTable;
  accounts: AccountsTable;
  register_contacts: RegisterContactsTable;
  issues: IssuesTable;
  audit_log: AuditLogTable;
}

export const ROLES = ['practice', 'trust_lead', 'icb_reviewer', 'administrator'] as const;
export type Role = (typeof ROLES)[number];

export const STATUSES = ['open', 'acknowledged', 'responded', 'closed'] as const;
export type IssueStatus = (typeof STATUSES)[number];

/** Which ICB each trust belongs to; the ODS source replaces its rows when it ingests. */
export interface TrustIcbTable {
  trust_code: string;
  trust_name: string;
  icb_code: string;
  icb_name: string;
  updated_at: Date;
}

export interface AccountsTable {
  id: Generated<number>;
  email: string;
  display_name: string;
  role: Role;
  practice_code: string | null;
  trust_code: string | null;
  icb_code: string | null;
  password_hash: string | null;
  oidc_issuer: string | null;
  oidc_subject: string | null;
  disabled_at: Date | null;
  created_at: Date;
}

export interface RegisterContactsTable {
  id: Generated<number>;
  trust_code: string;
  is_designated_lead: boolean;
  name: string;
  role: string;
  team_mailbox: string;
  phone: string;
  hours: string;
  position: number;
  updated_at: Date;
}

export interface IssuesTable {
  id: Generated<number>;
  practice_code: string;
  trust_code: string;
  area: AreaId;
  specialty: string;
  /** ISO date 'YYYY-MM-DD': dates travel as text so no time zone can shift them. */
  occurred_on: string;
  what_happened: string;
  workload: string;
  status: IssueStatus;
  reported_by: number;
  reported_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: number | null;
  response: string | null;
  responded_at: Date | null;
  responded_by: number | null;
  action_taken: string | null;
  action_recorded_at: Date | null;
  action_recorded_by: number | null;
  closed_at: Date | null;
  closed_by: number | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Date;
  account_id: number | null;
  /** Who did it, as they were described then, so the trail survives renamed or removed accounts. */
  actor: string;
  action: string;
  entity: string;
  entity_id: string;
  before: ColumnType<unknown, string | null, never>;
  after: ColumnType<unknown, string | null, never>;
}

export type IssueRow = Selectable<IssuesTable>;
export type NewIssueRow = Insertable<IssuesTable>;
export type AccountRow = Selectable<AccountsTable>;
export type RegisterContactRow = Selectable<RegisterContactsTable>;
export type TrustIcbRow = Selectable<TrustIcbTable>;
