import type { Transaction } from 'kysely';
import { describeCaller, type Caller } from './context.js';
import type { InterfaceDatabase } from './schema.js';

export interface AuditEntry {
  /** The signed-in caller, or a named system actor such as 'ods source' or 'start-up'. */
  actor: Caller | string;
  at: Date;
  action: string;
  entity: string;
  entityId: string | number;
  before: unknown;
  after: unknown;
}

/**
 * Writes one audit row inside the caller's transaction: the change and its record commit or
 * roll back together, so the log never shows a change that did not happen or misses one that did.
 */
export async function recordAudit(trx: Transaction<InterfaceDatabase>, entry: AuditEntry): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      at: entry.at,
      account_id: typeof entry.actor === 'string' ? null : entry.actor.accountId,
      actor: typeof entry.actor === 'string' ? entry.actor : describeCaller(entry.actor),
      action: entry.action,
      entity: entry.entity,
      entity_id: String(entry.entityId),
      before: entry.before === null || entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === null || entry.after === undefined ? null : JSON.stringify(entry.after),
    })
    .execute();
}
