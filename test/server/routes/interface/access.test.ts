import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWebWorld, pageText, reportForm, reportIdOf, type Visitor, type WebWorld } from '../../../helpers/interface-web.js';
import { backends, OPEN_TIMEOUT_MS } from '../../../interface/helpers/stores.js';

/**
 * Who sees and changes what, through the pages (issue 7's first "done when"), on PGlite and on a
 * real PostgreSQL when PLANWATCH_TEST_DATABASE_URL is set: each role signs in with its own
 * account and tries what it should not, by changing ids and codes in addresses and forms.
 */
describe.each(backends)('the interface log pages on $name: access by role', (backend) => {
  let web: WebWorld;
  let practiceA: Visitor;
  let practiceB: Visitor;
  let leadRA1: Visitor;
  let leadRB1: Visitor;
  let reviewerQAA: Visitor;
  let reviewerQBB: Visitor;
  let admin: Visitor;
  let reportOfA: number;

  beforeAll(async () => {
    web = await openWebWorld(backend);
    practiceA = await web.visitor().signIn('practice.a@example.nhs.uk');
    practiceB = await web.visitor().signIn('practice.b@example.nhs.uk');
    leadRA1 = await web.visitor().signIn('lead.ra1@example.nhs.uk');
    leadRB1 = await web.visitor().signIn('lead.rb1@example.nhs.uk');
    reviewerQAA = await web.visitor().signIn('reviewer.qaa@example.nhs.uk');
    reviewerQBB = await web.visitor().signIn('reviewer.qbb@example.nhs.uk');
    admin = await web.visitor().signIn('admin@example.nhs.uk');
    await practiceA.get('/interface/reports/new');
    reportOfA = reportIdOf(await practiceA.post('/interface/reports', reportForm({ whatHappened: 'Synthetic: letter for practice A only.' })));
  }, OPEN_TIMEOUT_MS * 2);
  afterAll(() => web?.close());

  const statusOf = async (id: number) =>
    (await web.test.ctx.db.selectFrom('issues').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

  describe('a GP practice', () => {
    it('reads its own report, and sees it in its list', async () => {
      const page = await practiceA.get(`/interface/reports/${reportOfA}`);
      expect(page.statusCode).toBe(200);
      expect(pageText(page.body)).toContain('Synthetic: letter for practice A only.');
      expect((await practiceA.get('/interface/reports')).body).toContain(`href="/interface/reports/${reportOfA}"`);
    });

    it("cannot read another practice's report by changing the id in the URL: not found, as if it did not exist", async () => {
      const page = await practiceB.get(`/interface/reports/${reportOfA}`);
      expect(page.statusCode).toBe(404);
      expect(page.body).not.toContain('practice A only');
      const missing = await practiceB.get('/interface/reports/999999');
      expect(missing.statusCode).toBe(404);
      expect(pageText(page.body).replace(String(reportOfA), 'N')).toBe(pageText(missing.body).replace('999999', 'N'));
      expect((await practiceB.get('/interface/reports')).body).not.toContain(`/interface/reports/${reportOfA}"`);
    });

    it('cannot acknowledge or close a report, even its own', async () => {
      await practiceA.refreshToken();
      for (const step of ['acknowledge', 'close']) {
        const response = await practiceA.post(`/interface/reports/${reportOfA}/${step}`, {});
        expect(response.statusCode, step).toBe(403);
        expect(pageText(response.body)).toContain("Only the trust's interface lead can change a report.");
      }
      expect(await statusOf(reportOfA)).toBe('open');
    });

    it("cannot open the review, the accounts or a trust's register editor", async () => {
      expect((await practiceA.get('/icb/QAA/interface')).statusCode).toBe(403);
      expect((await practiceA.get('/interface/accounts')).statusCode).toBe(403);
      expect((await practiceA.get('/interface/RA1/contacts')).statusCode).toBe(403);
    });
  });

  describe('a trust lead', () => {
    it("cannot acknowledge, answer or close another trust's report: not found, and nothing changes", async () => {
      await leadRB1.refreshToken();
      for (const [step, form] of [['acknowledge', {}], ['respond', { response: 'Synthetic: not ours.' }], ['action', { actionTaken: 'Synthetic: none.' }], ['close', {}]] as const) {
        const response = await leadRB1.post(`/interface/reports/${reportOfA}/${step}`, form);
        expect(response.statusCode, step).toBe(404);
        expect(pageText(response.body)).toContain(`There is no report ${reportOfA} that you can see.`);
      }
      expect(await statusOf(reportOfA)).toBe('open');
      expect((await leadRB1.get(`/interface/reports/${reportOfA}`)).statusCode).toBe(404);
    });

    it("walks its own trust's report to closed: acknowledge, respond, record the action, close", async () => {
      await practiceA.get('/interface/reports/new');
      const id = reportIdOf(await practiceA.post('/interface/reports', reportForm()));
      const page = await leadRA1.get(`/interface/reports/${id}`);
      expect(pageText(page.body)).toContain('Acknowledge');
      const steps = [
        ['acknowledge', {}, 'acknowledged'],
        ['respond', { response: 'Synthetic: the ward will send a corrected letter.' }, 'responded'],
        ['action', { actionTaken: 'Synthetic: discharge template now lists medication changes.' }, 'responded'],
        ['close', {}, 'closed'],
      ] as const;
      for (const [step, form, status] of steps) {
        const response = await leadRA1.post(`/interface/reports/${id}/${step}`, form);
        expect(response.statusCode, step).toBe(303);
        expect(response.headers.location).toMatch(new RegExp(`^/interface/reports/${id}\\?done=`));
        expect(await statusOf(id)).toBe(status);
      }
      const seen = pageText((await practiceA.get(`/interface/reports/${id}`)).body);
      expect(seen).toContain('Status: Closed');
      expect(seen).toContain('Synthetic: the ward will send a corrected letter.');
    });

    it('cannot close a report before responding and recording the action: the page says why', async () => {
      await practiceA.get('/interface/reports/new');
      const id = reportIdOf(await practiceA.post('/interface/reports', reportForm()));
      await leadRA1.get(`/interface/reports/${id}`);
      const response = await leadRA1.post(`/interface/reports/${id}/close`, {});
      expect(response.statusCode).toBe(409);
      expect(pageText(response.body)).toContain(`Report ${id} needs a response to the practice before it can be closed.`);
      expect(await statusOf(id)).toBe('open');
    });

    it("keeps its own trust's register, not another's", async () => {
      const contact = { name: 'Synthetic Lead', role: 'Interface lead', teamMailbox: 'interface.ra1@example.nhs.uk', phone: '0113 000 0000', hours: 'Monday to Friday, 9am to 5pm', isDesignatedLead: 'yes' };
      expect((await leadRB1.get('/interface/RA1/contacts/new')).statusCode).toBe(403);
      await leadRB1.refreshToken();
      const refused = await leadRB1.post('/interface/RA1/contacts', contact);
      expect(refused.statusCode).toBe(403);
      expect(pageText(refused.body)).toContain("Only trust RA1's interface lead or an administrator can change its register.");
      await leadRA1.get('/interface/RA1/contacts/new');
      const saved = await leadRA1.post('/interface/RA1/contacts', contact);
      expect(saved.statusCode).toBe(303);
      expect(saved.headers.location).toBe('/interface/RA1/contacts?done=saved');
      const register = pageText((await web.visitor().get('/interface/RA1')).body);
      expect(register).toMatch(/Designated interface lead Synthetic Lead Role Interface lead Team mailbox interface\.ra1@example\.nhs\.uk/);
    });
  });

  describe('an ICB reviewer', () => {
    it("sees its own ICB's review, with its trusts and their reports, and no other ICB's trusts", async () => {
      const page = await reviewerQAA.get('/icb/QAA/interface');
      expect(page.statusCode).toBe(200);
      const text = pageText(page.body);
      expect(text).toContain('Alpha General Hospital NHS Trust');
      expect(text).not.toContain('Beta Teaching Hospitals');
      expect((await reviewerQAA.get(`/interface/reports/${reportOfA}`)).statusCode).toBe(200);
    });

    it("cannot open another ICB's review, or read a report about a trust outside its ICB", async () => {
      expect((await reviewerQBB.get('/icb/QAA/interface')).statusCode).toBe(403);
      expect((await reviewerQBB.get('/icb/QAA/interface?format=csv')).statusCode).toBe(403);
      expect((await reviewerQBB.get('/icb/QAA/interface/report')).statusCode).toBe(403);
      expect((await reviewerQBB.get(`/interface/reports/${reportOfA}`)).statusCode).toBe(404);
      expect((await reviewerQBB.get('/interface/reports')).body).not.toContain(`/interface/reports/${reportOfA}"`);
    });

    it('cannot change a report', async () => {
      await reviewerQAA.refreshToken();
      const refused = await reviewerQAA.post(`/interface/reports/${reportOfA}/acknowledge`, {});
      expect(refused.statusCode).toBe(403);
      expect(pageText(refused.body)).toContain("Only the trust's interface lead can change a report.");
      expect(await statusOf(reportOfA)).toBe('open');
    });
  });

  describe('an administrator', () => {
    it('opens accounts; nobody else can', async () => {
      await admin.get('/interface/accounts/new');
      const opened = await admin.post('/interface/accounts', { email: 'new.practice@example.nhs.uk', displayName: 'Synthetic New Practice', role: 'practice', organisationCode: 'C83003', password: '' });
      expect(opened.statusCode).toBe(303);
      expect(pageText((await admin.get('/interface/accounts')).body)).toContain('new.practice@example.nhs.uk');
      await reviewerQAA.refreshToken();
      const refused = await reviewerQAA.post('/interface/accounts', { email: 'sneaky@example.nhs.uk', displayName: 'Sneaky', role: 'administrator', organisationCode: '', password: 'synthetic password 123' });
      expect(refused.statusCode).toBe(403);
      expect(pageText(refused.body)).toContain('Only an administrator can open accounts.');
      expect(await web.test.ctx.db.selectFrom('accounts').select('id').where('email', '=', 'sneaky@example.nhs.uk').executeTakeFirst()).toBeUndefined();
    });
  });

  describe('nobody signed in', () => {
    it('reads the public register, and is sent to sign in for everything else', async () => {
      const visitor = web.visitor();
      expect((await visitor.get('/interface/RA1')).statusCode).toBe(200);
      expect((await visitor.get('/interface/ra1')).statusCode).toBe(200);
      expect((await visitor.get('/interface/RZZ9')).statusCode).toBe(404);
      for (const url of [`/interface/reports/${reportOfA}`, '/interface/reports', '/icb/QAA/interface', '/interface/accounts']) {
        const response = await visitor.get(url);
        expect(response.statusCode, url).toBe(303);
        expect(response.headers.location).toBe(`/interface/sign-in?next=${encodeURIComponent(url)}`);
      }
    });
  });
});
