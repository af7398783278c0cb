import type { FastifyReply, FastifyRequest } from 'fastify';
import { PlanwatchError } from '../../../errors.js';
import { getRegister, listTrusts, removeContact, requireRegisterEditor, saveContact, type Caller, type Contact, type ContactInput, type Register } from '../../../interface/index.js';
import { displayName } from '../../format.js';
import { callerOf, idParam, type AddRoutes } from './context.js';
import { field, formState, refusalStatus, refusedForm, type FormState } from './forms.js';

/**
 * The register of each trust's designated interface lead and points of contact: public at
 * /interface/:trust ("clear points of contact" made visible), kept by the trust's own lead (or
 * an administrator) at /interface/:trust/contacts.
 */
const TRUST_CODE = /^[A-Za-z0-9]{3,5}$/;

function trustParam(value: string): string {
  if (!TRUST_CODE.test(value)) throw new PlanwatchError('E_NOT_FOUND', `No NHS trust has the ODS code ${value}.`);
  return value.toUpperCase();
}

function contactValues(body: unknown): ContactInput & Record<string, unknown> {
  return {
    name: field(body, 'name'),
    role: field(body, 'role'),
    teamMailbox: field(body, 'teamMailbox'),
    phone: field(body, 'phone'),
    hours: field(body, 'hours'),
    isDesignatedLead: field(body, 'isDesignatedLead') === 'yes',
  };
}

function canEdit(caller: Caller | undefined, trustCode: string): boolean {
  return caller?.role === 'administrator' || (caller?.role === 'trust_lead' && caller.trustCode === trustCode);
}

function registerTitle(register: Register): string {
  return displayName(register.trust.trustName);
}

export const registerRoutes: AddRoutes = (fastify, routes) => {
  const { ctx, show, signedIn } = routes;

  fastify.get<{ Querystring: { 'signed-out'?: string } }>('/interface', async (request, reply) => {
    const byIcb = new Map<string, { icbCode: string; icbName: string; trusts: { code: string; name: string }[] }>();
    for (const trust of await listTrusts(ctx)) {
      const icb = byIcb.get(trust.icbCode) ?? { icbCode: trust.icbCode, icbName: displayName(trust.icbName), trusts: [] };
      icb.trusts.push({ code: trust.trustCode, name: displayName(trust.trustName) });
      byIcb.set(trust.icbCode, icb);
    }
    return show(request, reply, 'interface/index.njk', { title: 'Primary and secondary care interface', icbs: [...byIcb.values()], signedOut: request.query['signed-out'] === '1' });
  });

  fastify.get<{ Params: { trust: string } }>('/interface/:trust', async (request, reply) => {
    const register = await getRegister(ctx, trustParam(request.params.trust));
    return show(request, reply, 'interface/register.njk', {
      title: `${registerTitle(register)}: interface lead and contacts`,
      register,
      trustName: registerTitle(register),
      others: register.contacts.filter((contact) => !contact.isDesignatedLead),
      canEdit: canEdit(request.caller, register.trust.trustCode),
    });
  });

  const showEditor = async (request: FastifyRequest, reply: FastifyReply, trustCode: string, done?: string) => {
    requireRegisterEditor(callerOf(request), trustCode);
    const register = await getRegister(ctx, trustCode);
    return show(request, reply, 'interface/register-edit.njk', { title: `Keep the register of ${registerTitle(register)}`, register, trustName: registerTitle(register), done });
  };

  const showContactForm = async (request: FastifyRequest, reply: FastifyReply, trustCode: string, contact: Contact | undefined, form: FormState, status = 200) => {
    const register = await getRegister(ctx, trustCode);
    const title = contact ? `Change ${contact.name}'s details` : 'Add a point of contact';
    return show(request, reply, 'interface/contact-form.njk', { title, register, trustName: registerTitle(register), contact, ...form }, status);
  };

  const findContact = async (trustCode: string, id: string) => {
    const contactId = idParam(id, 'contact');
    const contact = (await getRegister(ctx, trustCode)).contacts.find((candidate) => candidate.id === contactId);
    if (!contact) throw new PlanwatchError('E_NOT_FOUND', `Trust ${trustCode} has no contact ${id}.`);
    return contact;
  };

  fastify.get<{ Params: { trust: string }; Querystring: { done?: string } }>('/interface/:trust/contacts', { preHandler: signedIn }, async (request, reply) =>
    showEditor(request, reply, trustParam(request.params.trust), request.query.done));

  fastify.get<{ Params: { trust: string } }>('/interface/:trust/contacts/new', { preHandler: signedIn }, async (request, reply) => {
    const trustCode = trustParam(request.params.trust);
    requireRegisterEditor(callerOf(request), trustCode);
    return showContactForm(request, reply, trustCode, undefined, formState());
  });

  fastify.get<{ Params: { trust: string; id: string } }>('/interface/:trust/contacts/:id', { preHandler: signedIn }, async (request, reply) => {
    const trustCode = trustParam(request.params.trust);
    requireRegisterEditor(callerOf(request), trustCode);
    const contact = await findContact(trustCode, request.params.id);
    return showContactForm(request, reply, trustCode, contact, formState({ ...contact }));
  });

  const save = async (request: FastifyRequest<{ Params: { trust: string; id?: string } }>, reply: FastifyReply) => {
    const trustCode = trustParam(request.params.trust);
    const caller = callerOf(request);
    const contact = request.params.id === undefined ? undefined : await findContact(trustCode, request.params.id);
    const values = contactValues(request.body);
    try {
      await saveContact(ctx, caller, trustCode, values, contact?.id);
    } catch (error) {
      const form = refusedForm(error, values);
      if (!form) throw error;
      return showContactForm(request, reply, trustCode, contact, form, refusalStatus(error));
    }
    return reply.redirect(`/interface/${trustCode}/contacts?done=saved`, 303);
  };
  fastify.post<{ Params: { trust: string } }>('/interface/:trust/contacts', { preHandler: signedIn }, save);
  fastify.post<{ Params: { trust: string; id: string } }>('/interface/:trust/contacts/:id', { preHandler: signedIn }, save);

  fastify.post<{ Params: { trust: string; id: string } }>('/interface/:trust/contacts/:id/remove', { preHandler: signedIn }, async (request, reply) => {
    const trustCode = trustParam(request.params.trust);
    await removeContact(ctx, callerOf(request), trustCode, idParam(request.params.id, 'contact'));
    return reply.redirect(`/interface/${trustCode}/contacts?done=removed`, 303);
  });
};
