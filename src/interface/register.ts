import type { Transaction } from 'kysely';
import { z } from 'zod';
import { PlanwatchError } from '../errors.js';
import { recordAudit } from './audit.js';
import type { Caller, InterfaceContext } from './context.js';
import { refuseNhsNumbers } from './nhs-number.js';
import type { InterfaceDatabase, RegisterContactRow } from './schema.js';
import { findTrust, type TrustIcb } from './trusts.js';
import { parseForm } from './validation.js';

/** One point of contact for practices; the designated lead is the one the guidance requires. */
export interface Contact {
  id: number;
  isDesignatedLead: boolean;
  name: string;
  role: string;
  teamMailbox: string;
  phone: string;
  hours: string;
}

export interface Register {
  trust: TrustIcb;
  lead: Contact | undefined;
  /** Everyone, the lead first, then in the order the trust chose. */
  contacts: Contact[];
}

export const CONTACT_FORM = 'point of contact';
export const CONTACT_LABELS = {
  name: 'Name',
  role: 'Role',
  teamMailbox: 'Team mailbox',
  phone: 'Phone',
  hours: 'Hours',
  isDesignatedLead: 'Designated lead',
  position: 'Position in the list',
} as const;

const line = (what: string, max = 120) =>
  z.string({ error: `enter the ${what}` }).trim().min(1, `enter the ${what}`).max(max, `use ${max} characters or fewer`);

const contactSchema = z.object({
  name: line('name'),
  role: line('role'),
  teamMailbox: z.string({ error: 'enter the team mailbox' }).trim().toLowerCase().pipe(z.email({ error: 'enter an e-mail address, like team.name@nhs.net' })),
  phone: z
    .string({ error: 'enter the phone number' })
    .trim()
    .regex(/^\+?[0-9][0-9 ()-]{8,20}$/, 'enter a phone number, like 0113 243 2799'),
  hours: line('hours', 200),
  isDesignatedLead: z.boolean().default(false),
  position: z.number().int().min(0).max(1000).default(0),
});

export type ContactInput = z.input<typeof contactSchema>;

/** The public register of one trust: who practices contact, how and when. Needs no sign-in. */
export async function getRegister(ctx: InterfaceContext, trustCode: string): Promise<Register> {
  const trust = await findTrust(ctx, trustCode.toUpperCase());
  if (!trust) throw new PlanwatchError('E_NOT_FOUND', `No NHS trust has the ODS code ${trustCode}.`);
  const rows = await ctx.db
    .selectFrom('register_contacts')
    .selectAll()
    .where('trust_code', '=', trust.trustCode)
    .orderBy('is_designated_lead', 'desc')
    .orderBy('position')
    .orderBy('id')
    .execute();
  const contacts = rows.map(toContact);
  return { trust, lead: contacts.find((contact) => contact.isDesignatedLead), contacts };
}

/**
 * Adds a contact to a trust's register, or changes one (`contactId`). Naming a new designated
 * lead steps the previous one down in the same transaction, so a trust always has at most one.
 */
export async function saveContact(ctx: InterfaceContext, caller: Caller, trustCode: string, input: ContactInput, contactId?: number): Promise<Contact> {
  requireRegisterEditor(caller, trustCode);
  // Checked as typed, before any other check: the register is public, and a phone field that
  // holds "943 476 5919" looks like a phone number to the format check.
  refuseNhsNumbers(CONTACT_FORM, { name: input.name, role: input.role, teamMailbox: input.teamMailbox, phone: input.phone, hours: input.hours }, CONTACT_LABELS);
  const contact = parseForm(CONTACT_FORM, contactSchema, input, CONTACT_LABELS);
  if (!(await findTrust(ctx, trustCode))) throw new PlanwatchError('E_NOT_FOUND', `No NHS trust has the ODS code ${trustCode}.`);
  const now = ctx.clock();
  const values = {
    is_designated_lead: contact.isDesignatedLead,
    name: contact.name,
    role: contact.role,
    team_mailbox: contact.teamMailbox,
    phone: contact.phone,
    hours: contact.hours,
    position: contact.position,
    updated_at: now,
  };
  return ctx.db.transaction().execute(async (trx) => {
    if (contact.isDesignatedLead) {
      const previous = await trx
        .selectFrom('register_contacts')
        .selectAll()
        .where('trust_code', '=', trustCode)
        .where('is_designated_lead', '=', true)
        .$if(contactId !== undefined, (query) => query.where('id', '<>', contactId ?? -1))
        .forUpdate()
        .executeTakeFirst();
      if (previous) {
        const demoted = await trx
          .updateTable('register_contacts')
          .set({ is_designated_lead: false, updated_at: now })
          .where('id', '=', previous.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        await recordAudit(trx, { actor: caller, at: now, action: 'contact.update', entity: 'contact', entityId: previous.id, before: toContact(previous), after: toContact(demoted) });
      }
    }
    if (contactId === undefined) {
      const row = await trx.insertInto('register_contacts').values({ trust_code: trustCode, ...values }).returningAll().executeTakeFirstOrThrow();
      await recordAudit(trx, { actor: caller, at: now, action: 'contact.add', entity: 'contact', entityId: row.id, before: null, after: toContact(row) });
      return toContact(row);
    }
    const before = await lockContact(trx, trustCode, contactId);
    const row = await trx.updateTable('register_contacts').set(values).where('id', '=', contactId).returningAll().executeTakeFirstOrThrow();
    await recordAudit(trx, { actor: caller, at: now, action: 'contact.update', entity: 'contact', entityId: row.id, before: toContact(before), after: toContact(row) });
    return toContact(row);
  });
}

export async function removeContact(ctx: InterfaceContext, caller: Caller, trustCode: string, contactId: number): Promise<void> {
  requireRegisterEditor(caller, trustCode);
  const now = ctx.clock();
  await ctx.db.transaction().execute(async (trx) => {
    const before = await lockContact(trx, trustCode, contactId);
    await trx.deleteFrom('register_contacts').where('id', '=', contactId).execute();
    await recordAudit(trx, { actor: caller, at: now, action: 'contact.remove', entity: 'contact', entityId: contactId, before: toContact(before), after: null });
  });
}

/** One contact of one trust, locked for change; another trust's contact is not found. */
async function lockContact(trx: Transaction<InterfaceDatabase>, trustCode: string, contactId: number): Promise<RegisterContactRow> {
  const row = await trx
    .selectFrom('register_contacts')
    .selectAll()
    .where('id', '=', contactId)
    .where('trust_code', '=', trustCode)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new PlanwatchError('E_NOT_FOUND', `Trust ${trustCode} has no contact ${contactId}.`);
  return row;
}

/** A trust's own lead keeps its register; an administrator may keep any. Pages check it before showing a form. */
export function requireRegisterEditor(caller: Caller, trustCode: string): void {
  const isOwnTrust = caller.role === 'trust_lead' && caller.trustCode === trustCode;
  if (!isOwnTrust && caller.role !== 'administrator') {
    throw new PlanwatchError('E_FORBIDDEN', `Only trust ${trustCode}'s interface lead or an administrator can change its register.`);
  }
}

function toContact(row: RegisterContactRow): Contact {
  return {
    id: row.id,
    isDesignatedLead: row.is_designated_lead,
    name: row.name,
    role: row.role,
    teamMailbox: row.team_mailbox,
    phone: row.phone,
    hours: row.hours,
  };
}
