import { sql, type Kysely, type Migration } from 'kysely';
import { AREA_IDS } from '../areas.js';
import { ROLES, STATUSES } from '../schema.js';

// Migrations take Kysely<unknown>: they must keep working after schema.ts has moved on.
const oneOf = (column: string, values: readonly string[]) =>
  sql`${sql.ref(column)} in (${sql.join(values.map((value) => sql.lit(value)))})`;

/** The first schema of the interface log (issue 7): trusts, accounts, register, issues, audit. */
export const interfaceLog: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('trust_icb')
      .addColumn('trust_code', 'text', (column) => column.primaryKey())
      .addColumn('trust_name', 'text', (column) => column.notNull())
      .addColumn('icb_code', 'text', (column) => column.notNull())
      .addColumn('icb_name', 'text', (column) => column.notNull())
      .addColumn('updated_at', 'timestamptz', (column) => column.notNull())
      .execute();
    await db.schema.createIndex('trust_icb_by_icb').on('trust_icb').column('icb_code').execute();

    await db.schema
      .createTable('accounts')
      .addColumn('id', 'integer', (column) => column.primaryKey().generatedAlwaysAsIdentity())
      .addColumn('email', 'text', (column) => column.notNull().unique())
      .addColumn('display_name', 'text', (column) => column.notNull())
      .addColumn('role', 'text', (column) => column.notNull().check(oneOf('role', ROLES)))
      .addColumn('practice_code', 'text')
      .addColumn('trust_code', 'text')
      .addColumn('icb_code', 'text')
      .addColumn('password_hash', 'text')
      .addColumn('oidc_issuer', 'text')
      .addColumn('oidc_subject', 'text')
      .addColumn('disabled_at', 'timestamptz')
      .addColumn('created_at', 'timestamptz', (column) => column.notNull())
      // Each role carries exactly the organisation that scopes it, so no query can fall back
      // to "no scope" for a half-filled account.
      .addCheckConstraint('accounts_practice_scope', sql`(role = 'practice') = (practice_code is not null)`)
      .addCheckConstraint('accounts_trust_scope', sql`(role = 'trust_lead') = (trust_code is not null)`)
      .addCheckConstraint('accounts_icb_scope', sql`(role = 'icb_reviewer') = (icb_code is not null)`)
      .addUniqueConstraint('accounts_oidc_identity', ['oidc_issuer', 'oidc_subject'])
      .execute();

    await db.schema
      .createTable('register_contacts')
      .addColumn('id', 'integer', (column) => column.primaryKey().generatedAlwaysAsIdentity())
      .addColumn('trust_code', 'text', (column) => column.notNull())
      .addColumn('is_designated_lead', 'boolean', (column) => column.notNull().defaultTo(false))
      .addColumn('name', 'text', (column) => column.notNull())
      .addColumn('role', 'text', (column) => column.notNull())
      .addColumn('team_mailbox', 'text', (column) => column.notNull())
      .addColumn('phone', 'text', (column) => column.notNull())
      .addColumn('hours', 'text', (column) => column.notNull())
      .addColumn('position', 'integer', (column) => column.notNull().defaultTo(0))
      .addColumn('updated_at', 'timestamptz', (column) => column.notNull())
      .execute();
    // The guidance asks for one designated lead per trust.
    await db.schema
      .createIndex('register_one_lead_per_trust')
      .on('register_contacts')
      .column('trust_code')
      .unique()
      .where(sql.ref('is_designated_lead'), '=', true)
      .execute();

    await db.schema
      .createTable('issues')
      .addColumn('id', 'integer', (column) => column.primaryKey().generatedAlwaysAsIdentity())
      .addColumn('practice_code', 'text', (column) => column.notNull())
      .addColumn('trust_code', 'text', (column) => column.notNull())
      .addColumn('area', 'text', (column) => column.notNull().check(oneOf('area', AREA_IDS)))
      .addColumn('specialty', 'text', (column) => column.notNull())
      .addColumn('occurred_on', 'date', (column) => column.notNull())
      .addColumn('what_happened', 'text', (column) => column.notNull())
      .addColumn('workload', 'text', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull().check(oneOf('status', STATUSES)))
      .addColumn('reported_by', 'integer', (column) => column.notNull().references('accounts.id'))
      .addColumn('reported_at', 'timestamptz', (column) => column.notNull())
      .addColumn('acknowledged_at', 'timestamptz')
      .addColumn('acknowledged_by', 'integer', (column) => column.references('accounts.id'))
      .addColumn('response', 'text')
      .addColumn('responded_at', 'timestamptz')
      .addColumn('responded_by', 'integer', (column) => column.references('accounts.id'))
      .addColumn('action_taken', 'text')
      .addColumn('action_recorded_at', 'timestamptz')
      .addColumn('action_recorded_by', 'integer', (column) => column.references('accounts.id'))
      .addColumn('closed_at', 'timestamptz')
      .addColumn('closed_by', 'integer', (column) => column.references('accounts.id'))
      .addCheckConstraint('issues_closed_has_outcome', sql`status <> 'closed' or (response is not null and action_taken is not null and closed_at is not null)`)
      .execute();
    await db.schema.createIndex('issues_by_trust').on('issues').columns(['trust_code', 'reported_at']).execute();
    await db.schema.createIndex('issues_by_practice').on('issues').columns(['practice_code', 'reported_at']).execute();

    await db.schema
      .createTable('audit_log')
      .addColumn('id', 'integer', (column) => column.primaryKey().generatedAlwaysAsIdentity())
      .addColumn('at', 'timestamptz', (column) => column.notNull())
      .addColumn('account_id', 'integer', (column) => column.references('accounts.id'))
      .addColumn('actor', 'text', (column) => column.notNull())
      .addColumn('action', 'text', (column) => column.notNull())
      .addColumn('entity', 'text', (column) => column.notNull())
      .addColumn('entity_id', 'text', (column) => column.notNull())
      .addColumn('before', 'jsonb')
      .addColumn('after', 'jsonb')
      .execute();
    await db.schema.createIndex('audit_log_by_entity').on('audit_log').columns(['entity', 'entity_id']).execute();
  },
};
