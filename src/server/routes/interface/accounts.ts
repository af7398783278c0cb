import type { FastifyReply, FastifyRequest } from 'fastify';
import { PlanwatchError } from '../../../errors.js';
import { createAccount, listAccounts, type Account, type Caller, type Role } from '../../../interface/index.js';
import { callerOf, type AddRoutes } from './context.js';
import { field, formState, refusalStatus, refusedForm, type FormState } from './forms.js';
import { ROLE_LABELS } from './present.js';

/**
 * Administrators open accounts: a role and the organisation that scopes it (a practice's ODS
 * code, a trust's, an ICB's). A password makes a local account; without one, the person signs
 * in through the organisation's OpenID Connect provider with the same e-mail address.
 */
const ACCOUNT_FIELDS = ['email', 'displayName', 'role', 'organisationCode'] as const;

function requireAdministrator(caller: Caller): void {
  if (caller.role !== 'administrator') throw new PlanwatchError('E_FORBIDDEN', 'Only an administrator can see and open accounts.');
}

function signsInWith(account: Account): string {
  const ways = [account.hasPassword ? 'Password' : '', account.oidcLinked ? 'Organisation account' : ''].filter(Boolean);
  return ways.length ? ways.join(' and ') : 'Organisation account (not signed in yet)';
}

export const accountRoutes: AddRoutes = (fastify, routes) => {
  const { ctx, show, signedIn } = routes;
  const roles = (Object.entries(ROLE_LABELS) as [Role, string][]).map(([value, text]) => ({ value, text }));

  fastify.get<{ Querystring: { done?: string } }>('/interface/accounts', { preHandler: signedIn }, async (request, reply) => {
    const accounts = await listAccounts(ctx, callerOf(request));
    return show(request, reply, 'interface/accounts.njk', {
      title: 'Accounts',
      rows: accounts.map((account) => [
        { text: account.displayName },
        { text: account.email },
        { text: ROLE_LABELS[account.role] },
        { text: account.organisationCode ?? '' },
        { text: signsInWith(account) },
        { text: account.disabled ? 'Disabled' : 'Active' },
      ]),
      done: request.query.done === 'created',
    });
  });

  const showForm = (request: FastifyRequest, reply: FastifyReply, form: FormState, status = 200) =>
    show(request, reply, 'interface/account-form.njk', {
      title: 'Open an account',
      roleItems: roles.map((role) => ({ ...role, checked: role.value === form.values.role })),
      ...form,
    }, status);

  fastify.get('/interface/accounts/new', { preHandler: signedIn }, async (request, reply) => {
    requireAdministrator(callerOf(request));
    return showForm(request, reply, formState());
  });

  fastify.post('/interface/accounts', { preHandler: signedIn }, async (request, reply) => {
    const values: Record<string, string> = Object.fromEntries(ACCOUNT_FIELDS.map((name) => [name, field(request.body, name)]));
    const password = field(request.body, 'password');
    try {
      await createAccount(ctx, callerOf(request), {
        email: values.email!,
        displayName: values.displayName!,
        role: values.role as Role,
        ...(values.organisationCode ? { organisationCode: values.organisationCode } : {}),
        ...(password ? { password } : {}),
      });
    } catch (error) {
      // The password never goes back into the page.
      const form = refusedForm(error, values);
      if (!form) throw error;
      return showForm(request, reply, form, refusalStatus(error));
    }
    return reply.redirect('/interface/accounts?done=created', 303);
  });
};
