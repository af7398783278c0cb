import type { Kysely } from 'kysely';
import type { ScryptCost } from './passwords.js';
import type { InterfaceDatabase, Role } from './schema.js';

/**
 * What every service function receives: the database and a clock. Timestamps come from the clock
 * rather than the database's now(), so tests can walk a report through a quarter.
 */
export interface InterfaceContext {
  readonly db: Kysely<InterfaceDatabase>;
  readonly clock: () => Date;
  /** The cost of new password hashes; OWASP's (SCRYPT_COST) when absent. Tests lower it. */
  readonly passwordCost?: ScryptCost;
}

/**
 * Who is asking, as loaded from their account (never from a form or a URL). Each role carries
 * the organisation that scopes it; every query of the service is filtered by it.
 */
export type Caller = { readonly accountId: number; readonly label: string } & (
  | { readonly role: 'practice'; readonly practiceCode: string }
  | { readonly role: 'trust_lead'; readonly trustCode: string }
  | { readonly role: 'icb_reviewer'; readonly icbCode: string }
  | { readonly role: 'administrator' }
);

export type RoleOf<R extends Role> = Extract<Caller, { role: R }>;

/** How the audit log names a caller: their address, role and organisation at the time. */
export function describeCaller(caller: Caller): string {
  switch (caller.role) {
    case 'practice':
      return `${caller.label} (practice ${caller.practiceCode})`;
    case 'trust_lead':
      return `${caller.label} (trust lead ${caller.trustCode})`;
    case 'icb_reviewer':
      return `${caller.label} (ICB reviewer ${caller.icbCode})`;
    case 'administrator':
      return `${caller.label} (administrator)`;
  }
}
