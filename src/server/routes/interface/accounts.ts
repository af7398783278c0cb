import type { FastifyReply, FastifyRequest } from 'fastify';
import { PlanwatchError } from '../../../errors.js';
import {
  changeOwnPassword,
  createAccount,
  disableAccount,
  enableAccount,
  endSessions,
  getAccount,
  listAccounts,
  listSessions,
  sessionIdHash,
  setPassword,
  type Account,
  type Caller,
  type Role,
} from '../../../interface/index.js';
import { callerOf, idParam, type AddRoutes } from './context.js';
import { field, formState, refusalStatus, refusedForm, type FormState } from './forms.js';
import { dateTimeText, ROLE_LABELS } from './present.js';

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
        { html: `<a href="/interface/accounts/${account.id}">${escapeHtml(account.displayName)}</a>` },
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

  const DONE: Record<string, string> = {
    disabled: 'The account is disabled and its sessions have ended.',
    enabled: 'The account is enabled again.',
    password: 'The new password is set and the account’s sessions have ended.',
    sessions: 'The sessions have ended.',
    changed: 'Your password is changed. Your other sessions have ended.',
  };

  /** This browser's session as the sessions table names it, so lists can mark it. */
  const thisSession = (request: FastifyRequest) => sessionIdHash(request.session.sessionId);

  const sessionRows = async (request: FastifyRequest, accountId: number) => {
    const mine = thisSession(request);
    return (await listSessions(ctx, callerOf(request), accountId)).map((session) => ({
      id: session.id,
      expires: dateTimeText(session.expiresAt),
      isThis: mine.startsWith(session.id),
    }));
  };

  const showAccount = async (request: FastifyRequest, reply: FastifyReply, accountId: number, form: FormState = formState(), status = 200, done?: string) => {
    const caller = callerOf(request);
    const account = await getAccount(ctx, caller, accountId);
    return show(request, reply, 'interface/account.njk', {
      title: `Account: ${account.displayName}`,
      account,
      summary: [
        { key: { text: 'E-mail address' }, value: { text: account.email } },
        { key: { text: 'Role' }, value: { text: ROLE_LABELS[account.role] } },
        { key: { text: 'Organisation' }, value: { text: account.organisationCode ?? 'None' } },
        { key: { text: 'Signs in with' }, value: { text: signsInWith(account) } },
        { key: { text: 'Status' }, value: { text: account.disabled ? 'Disabled' : 'Active' } },
      ],
      sessions: await sessionRows(request, accountId),
      sessionsAction: `/interface/accounts/${accountId}/sessions/end`,
      done,
      ...form,
    }, status);
  };

  type AccountParams = { Params: { id: string }; Querystring: { done?: string } };

  fastify.get<AccountParams>('/interface/accounts/:id', { preHandler: signedIn }, async (request, reply) => {
    const done = request.query.done ? DONE[request.query.done] : undefined;
    return showAccount(request, reply, idParam(request.params.id, 'account'), formState(), 200, done);
  });

  const accountStep = (path: string, done: string, apply: (caller: Caller, id: number, body: unknown) => Promise<unknown>) =>
    fastify.post<AccountParams>(`/interface/accounts/:id/${path}`, { preHandler: signedIn }, async (request, reply) => {
      const id = idParam(request.params.id, 'account');
      try {
        await apply(callerOf(request), id, request.body);
      } catch (error) {
        const form = refusedForm(error, {});
        if (!form) throw error;
        return showAccount(request, reply, id, form, refusalStatus(error));
      }
      return reply.redirect(`/interface/accounts/${id}?done=${done}`, 303);
    });

  accountStep('disable', 'disabled', (caller, id) => disableAccount(ctx, caller, id));
  accountStep('enable', 'enabled', (caller, id) => enableAccount(ctx, caller, id));
  accountStep('password', 'password', (caller, id, body) => setPassword(ctx, caller, id, field(body, 'password')));
  accountStep('sessions/end', 'sessions', (caller, id, body) => endSessions(ctx, caller, id, field(body, 'session') || undefined));

  const showMine = async (request: FastifyRequest, reply: FastifyReply, form: FormState = formState(), status = 200, done?: string) => {
    const caller = callerOf(request);
    const hasPassword = (await ctx.db.selectFrom('accounts').select('password_hash').where('id', '=', caller.accountId).executeTakeFirst())?.password_hash != null;
    return show(request, reply, 'interface/my-account.njk', {
      title: 'Your account',
      hasPassword,
      sessions: await sessionRows(request, caller.accountId),
      sessionsAction: '/interface/account/sessions/end',
      done,
      ...form,
    }, status);
  };

  fastify.get<{ Querystring: { done?: string } }>('/interface/account', { preHandler: signedIn }, async (request, reply) =>
    showMine(request, reply, formState(), 200, request.query.done ? DONE[request.query.done] : undefined));

  fastify.post('/interface/account/password', { preHandler: signedIn }, async (request, reply) => {
    try {
      await changeOwnPassword(ctx, callerOf(request), field(request.body, 'current'), field(request.body, 'password'), thisSession(request));
    } catch (error) {
      // Neither password goes back into the page.
      const form = refusedForm(error, {});
      if (!form) throw error;
      return showMine(request, reply, form, refusalStatus(error));
    }
    return reply.redirect('/interface/account?done=changed', 303);
  });

  fastify.post('/interface/account/sessions/end', { preHandler: signedIn }, async (request, reply) => {
    const caller = callerOf(request);
    await endSessions(ctx, caller, caller.accountId, field(request.body, 'session') || undefined);
    return reply.redirect('/interface/account?done=sessions', 303);
  });
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
