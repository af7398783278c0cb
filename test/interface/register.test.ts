import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRegister, removeContact, saveContact, type ContactInput } from '../../src/interface/register.js';
import type { ErrorCode } from '../../src/errors.js';
import { expectPlanwatchError } from '../helpers/errors.js';
import { backends, OPEN_TIMEOUT_MS, type TestStore } from './helpers/stores.js';
import { openSeeded, type World } from './helpers/world.js';

const contact = (overrides: Partial<ContactInput> = {}): ContactInput => ({
  name: 'Synthetic Lead',
  role: 'Associate Medical Director, primary care interface',
  teamMailbox: 'Synthetic.Interface@example.nhs.uk',
  phone: '0113 496 0000',
  hours: 'Monday to Friday, 9am to 5pm',
  ...overrides,
});

describe.each(backends)('the register of leads and contacts on $name', (backend) => {
  let test: TestStore;
  let world: World;
  beforeAll(async () => ({ test, world } = await openSeeded(backend)), OPEN_TIMEOUT_MS);
  afterAll(() => test.close());

  it('shows a trust with no contacts yet, and refuses an unknown trust', async () => {
    expect(await getRegister(test.ctx, 'RA2')).toMatchObject({ trust: { trustCode: 'RA2', icbCode: 'QAA' }, lead: undefined, contacts: [] });
    await expectPlanwatchError(() => getRegister(test.ctx, 'RZZ'), 'E_NOT_FOUND');
  });

  it('lets the trust’s lead name the designated lead and add contacts, the lead listed first', async () => {
    await saveContact(test.ctx, world.leadRA1, 'RA1', contact({ name: 'Synthetic Outpatients', role: 'Outpatients manager', position: 1 }));
    const lead = await saveContact(test.ctx, world.leadRA1, 'RA1', contact({ isDesignatedLead: true }));
    const register = await getRegister(test.ctx, 'ra1');
    expect(register.lead).toEqual(lead);
    expect(register.lead?.teamMailbox).toBe('synthetic.interface@example.nhs.uk');
    expect(register.contacts.map((entry) => entry.name)).toEqual(['Synthetic Lead', 'Synthetic Outpatients']);
  });

  it('keeps one designated lead per trust: naming a new one steps the old one down, audited', async () => {
    const before = await getRegister(test.ctx, 'RA1');
    const newLead = await saveContact(test.ctx, world.admin, 'RA1', contact({ name: 'Synthetic New Lead', isDesignatedLead: true }));
    const after = await getRegister(test.ctx, 'RA1');
    expect(after.lead?.id).toBe(newLead.id);
    expect(after.contacts.filter((entry) => entry.isDesignatedLead)).toHaveLength(1);
    const stepDown = await test.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity', '=', 'contact')
      .where('entity_id', '=', String(before.lead?.id))
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(stepDown).toMatchObject({ action: 'contact.update', before: { isDesignatedLead: true }, after: { isDesignatedLead: false } });
  });

  it('updates and removes a contact', async () => {
    const added = await saveContact(test.ctx, world.leadRA1, 'RA1', contact({ name: 'Synthetic Temporary' }));
    const changed = await saveContact(test.ctx, world.leadRA1, 'RA1', contact({ name: 'Synthetic Temporary', hours: 'Tuesdays only' }), added.id);
    expect(changed).toMatchObject({ id: added.id, hours: 'Tuesdays only' });
    await removeContact(test.ctx, world.leadRA1, 'RA1', added.id);
    expect((await getRegister(test.ctx, 'RA1')).contacts.map((entry) => entry.id)).not.toContain(added.id);
  });

  it('does not let another trust’s lead, a practice or a reviewer change a register', async () => {
    const { contacts } = await getRegister(test.ctx, 'RA1');
    const someone = contacts[0];
    if (!someone) throw new Error('expected a contact');
    for (const caller of [world.leadRB1, world.practiceA, world.reviewerQAA]) {
      await expectPlanwatchError(() => saveContact(test.ctx, caller, 'RA1', contact()), 'E_FORBIDDEN');
      await expectPlanwatchError(() => removeContact(test.ctx, caller, 'RA1', someone.id), 'E_FORBIDDEN');
    }
    // Nor reach RA1's contact through the lead's own trust.
    await expectPlanwatchError(() => removeContact(test.ctx, world.leadRB1, 'RB1', someone.id), 'E_NOT_FOUND');
    await expectPlanwatchError(() => saveContact(test.ctx, world.leadRB1, 'RB1', contact(), someone.id), 'E_NOT_FOUND');
    expect((await getRegister(test.ctx, 'RA1')).contacts).toEqual(contacts);
  });

  it.each<[string, Partial<ContactInput>, ErrorCode, string]>([
    ['a mailbox that is not an address', { teamMailbox: 'the interface team' }, 'E_INVALID', 'teamMailbox'],
    ['a phone number with letters', { phone: 'ask switchboard' }, 'E_INVALID', 'phone'],
    ['empty hours', { hours: ' ' }, 'E_INVALID', 'hours'],
    ['an NHS number in the name', { name: 'Lead 943 476 5919' }, 'E_PATIENT_DATA', 'name'],
    // The register is public: these fields are shown to anyone without signing in.
    ['an NHS number as the phone', { phone: '943 476 5919' }, 'E_PATIENT_DATA', 'phone'],
    ['an NHS number with brackets as the phone', { phone: '(943) 476-5919' }, 'E_PATIENT_DATA', 'phone'],
    ['an NHS number in the mailbox', { teamMailbox: 'team.943.476.5919@example.nhs.uk' }, 'E_PATIENT_DATA', 'teamMailbox'],
    ['an NHS number in the role, dotted', { role: 'Lead for 943.476.5919' }, 'E_PATIENT_DATA', 'role'],
    ['an NHS number in the hours, in full-width digits', { hours: 'Mon \uff19\uff14\uff13 \uff14\uff17\uff16 \uff15\uff19\uff11\uff19' }, 'E_PATIENT_DATA', 'hours'],
  ])('refuses %s', async (_, overrides, code, column) => {
    await expectPlanwatchError(() => saveContact(test.ctx, world.leadRA2, 'RA2', contact(overrides)), code, { file: 'point of contact', column });
    expect((await getRegister(test.ctx, 'RA2')).contacts).toEqual([]);
  });
});
