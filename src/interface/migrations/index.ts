import type { Migration, MigrationProvider } from 'kysely';
import { interfaceLog } from './0001-interface-log.js';

/**
 * Every migration, by version. Listed rather than read from a folder so the same list runs from
 * src/ under tsx and from dist/. Kysely's Migrator applies them in name order, records each in
 * kysely_migration and takes an advisory lock, so several server instances starting together
 * against one PostgreSQL run each migration once. A new migration is a new file and one line
 * here; a released one is never edited.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-interface-log': interfaceLog,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => ({ ...MIGRATIONS }),
};
