import type { Kysely, Migration } from 'kysely';

/**
 * Sign-in sessions kept in the database, so signing out ends a session on every server instance
 * and a restart signs nobody out; and the secret that signs session cookies when configuration
 * gives none, made once and shared by every instance on the same database.
 */
export const sessions: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('sessions')
      // A SHA-256 of the session id, never the id itself: a copy of this table cannot be
      // replayed as cookies.
      .addColumn('id_hash', 'text', (column) => column.primaryKey())
      .addColumn('account_id', 'integer', (column) => column.references('accounts.id').onDelete('cascade'))
      .addColumn('data', 'jsonb', (column) => column.notNull())
      .addColumn('expires_at', 'timestamptz', (column) => column.notNull())
      .execute();
    await db.schema.createIndex('sessions_by_expiry').on('sessions').column('expires_at').execute();
    await db.schema.createIndex('sessions_by_account').on('sessions').column('account_id').execute();

    await db.schema
      .createTable('server_secrets')
      .addColumn('name', 'text', (column) => column.primaryKey())
      .addColumn('value', 'text', (column) => column.notNull())
      .addColumn('created_at', 'timestamptz', (column) => column.notNull())
      .execute();
  },
};
