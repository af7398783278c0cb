import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWebWorld, PASSWORD, pageText, type WebWorld } from '../../../helpers/interface-web.js';
import { backends, OPEN_TIMEOUT_MS } from '../../../interface/helpers/stores.js';

/**
 * The account lifecycle on the pages: an administrator disables and re-enables an account, sets
 * a new password, lists and ends someone's sessions; anyone changes their own password and ends
 * their own sessions. Every change is audited; sessions end at once, not at the next request.
 */
const NEW_PASSWORD = 'another synthetic password';

describe.each(backends)('the account lifecycle on $name', (backend) => {
  let web: WebWorld;
  beforeAll(async () => {
    web = await openWebWorld(backend);
  }, OPEN_TIMEOUT_MS);
  afterAll(() => web?.close());

  const sessionsOf = async (accountId: number) =>
    (await web.test.ctx.db.selectFrom('sessions').select('id_hash').where('account_id', '=', accountId).execute()).length;
  const auditOf = async (accountId: number) =>
    (await web.test.ctx.db.selectFrom('audit_log').select('action').where('entity', '=', 'account').where('entity_id', '=', String(accountId)).orderBy('id').execute()).map((row) => row.action);

  it('disables an account: its sessions end at once, its next request is refused, it cannot sign in; re-enabling lets it back', async () => {
    const practice = await web.visitor('10.5.0.1').signIn('practice.b@example.nhs.uk');
    const id = web.world.practiceB.accountId;
    expect(await sessionsOf(id)).toBe(1);
    const admin = await web.visitor('10.5.0.2').signIn('admin@example.nhs.uk');
    const page = await admin.get(`/interface/accounts/${id}`);
    expect(page.statusCode).toBe(200);
    expect(pageText(page.body)).toContain('Disable the account');
    const disabled = await admin.post(`/interface/accounts/${id}/disable`, {});
    expect(disabled.statusCode).toBe(303);
    expect(await sessionsOf(id)).toBe(0);
    const refused = await practice.get('/interface/reports');
    expect(refused.statusCode).toBe(303);
    expect(refused.headers.location).toBe('/interface/sign-in?next=%2Finterface%2Freports');
    await expect(web.visitor('10.5.0.1').signIn('practice.b@example.nhs.uk')).rejects.toThrow(/answered 401/);
    expect((await admin.post(`/interface/accounts/${id}/enable`, {})).statusCode).toBe(303);
    await web.visitor('10.5.0.3').signIn('practice.b@example.nhs.uk');
    expect(await auditOf(id)).toEqual(expect.arrayContaining(['account.disable', 'account.enable']));
  }, 120_000);

  it('lets an administrator set a new password, ending the account’s sessions', async () => {
    const lead = await web.visitor('10.6.0.1').signIn('lead.rb1@example.nhs.uk');
    const admin = await web.visitor('10.6.0.2').signIn('admin@example.nhs.uk');
    const id = web.world.leadRB1.accountId;
    const short = await admin.post(`/interface/accounts/${id}/password`, { password: 'short' });
    expect(short.statusCode).toBe(400);
    expect(pageText(short.body)).toContain('Use at least 12 characters');
    expect((await admin.post(`/interface/accounts/${id}/password`, { password: NEW_PASSWORD })).statusCode).toBe(303);
    expect((await lead.get('/interface/reports')).statusCode).toBe(303);
    await expect(web.visitor('10.6.0.3').signIn('lead.rb1@example.nhs.uk')).rejects.toThrow(/answered 401/);
    await web.visitor('10.6.0.4').signIn('lead.rb1@example.nhs.uk', NEW_PASSWORD);
    expect(await auditOf(id)).toContain('account.reset_password');
  }, 120_000);

  it('lets people change their own password given the current one, ending their other sessions but not this one', async () => {
    const here = await web.visitor('10.7.0.1').signIn('reviewer.qbb@example.nhs.uk');
    const elsewhere = await web.visitor('10.7.0.2').signIn('reviewer.qbb@example.nhs.uk');
    await here.get('/interface/account');
    const wrong = await here.post('/interface/account/password', { current: 'not my password at all', password: NEW_PASSWORD });
    expect(wrong.statusCode).toBe(400);
    expect(pageText(wrong.body)).toContain('Enter your current password');
    expect(wrong.body).not.toContain('not my password at all');
    const changed = await here.post('/interface/account/password', { current: PASSWORD, password: NEW_PASSWORD });
    expect(changed.statusCode).toBe(303);
    expect((await here.get('/interface/account')).statusCode).toBe(200);
    expect((await elsewhere.get('/interface/reports')).statusCode).toBe(303);
    expect(await auditOf(web.world.reviewerQBB.accountId)).toContain('account.change_password');
  }, 120_000);

  it('lists one’s sessions and ends the one chosen', async () => {
    const first = await web.visitor('10.8.0.1').signIn('lead.ra2@example.nhs.uk');
    const second = await web.visitor('10.8.0.2').signIn('lead.ra2@example.nhs.uk');
    const page = await first.get('/interface/account');
    const ids = [...page.body.matchAll(/name="session" value="([0-9a-f]{16})"/g)].map((match) => match[1]!);
    expect(ids).toHaveLength(2);
    expect(pageText(page.body)).toContain('(this browser)');
    const other = ids.find((id) => !new RegExp(`${id} \\(this browser\\)`).test(pageText(page.body)))!;
    expect((await first.post('/interface/account/sessions/end', { session: other })).statusCode).toBe(303);
    expect((await second.get('/interface/reports')).statusCode).toBe(303);
    expect((await first.get('/interface/reports')).statusCode).toBe(200);
    expect(await auditOf(web.world.leadRA2.accountId)).toContain('account.end_sessions');
  }, 120_000);

  it('lets an administrator end all of someone’s sessions', async () => {
    const practice = await web.visitor('10.9.0.1').signIn('practice.a@example.nhs.uk');
    const admin = await web.visitor('10.9.0.2').signIn('admin@example.nhs.uk');
    const id = web.world.practiceA.accountId;
    expect(pageText((await admin.get(`/interface/accounts/${id}`)).body)).toContain('End every session');
    expect((await admin.post(`/interface/accounts/${id}/sessions/end`, {})).statusCode).toBe(303);
    expect(await sessionsOf(id)).toBe(0);
    expect((await practice.get('/interface/reports')).statusCode).toBe(303);
  }, 120_000);

  it('refuses all of it to anyone but an administrator', async () => {
    const lead = await web.visitor('10.10.0.1').signIn('lead.ra1@example.nhs.uk');
    const target = web.world.practiceA.accountId;
    expect((await lead.get(`/interface/accounts/${target}`)).statusCode).toBe(403);
    for (const path of ['disable', 'enable', 'password', 'sessions/end']) {
      expect((await lead.post(`/interface/accounts/${target}/${path}`, { password: NEW_PASSWORD })).statusCode, path).toBe(403);
    }
    expect(await auditOf(target)).not.toContain('account.disable');
  }, 120_000);
});
