import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWebWorld, pageText, reportForm, reportIdOf, type Visitor, type WebWorld } from '../../../helpers/interface-web.js';
import { backends, OPEN_TIMEOUT_MS } from '../../../interface/helpers/stores.js';

/**
 * What the report form refuses, and how it says so: an NHS number anywhere in the free text
 * (issue 7: "refused and nothing is stored"), shown as the NHS error summary linking to the
 * highlighted field, with what was typed kept; and forms without their CSRF token.
 */
describe.each(backends)('the report form on $name', (backend) => {
  let web: WebWorld;
  let practice: Visitor;
  beforeAll(async () => {
    web = await openWebWorld(backend);
    practice = await web.visitor().signIn('practice.a@example.nhs.uk');
  }, OPEN_TIMEOUT_MS);
  afterAll(() => web?.close());

  const count = async (table: 'issues' | 'audit_log') =>
    Number((await web.test.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  it.each([
    ['whatHappened', 'Patient 943 476 5919 was discharged without a letter.', 'nhsuk-textarea--error'],
    ['whatHappened', 'NHS no. 9434765919, letter missing.', 'nhsuk-textarea--error'],
    ['workload', 'Two calls about 943-476-5919.', 'nhsuk-textarea--error'],
    ['specialty', 'Cardiology 943 476 5919', 'nhsuk-input--error'],
  ])('refuses an NHS number in %s ("%s"), stores nothing and highlights the field', async (fieldName, text, errorClass) => {
    const [issues, audit] = [await count('issues'), await count('audit_log')];
    await practice.get('/interface/reports/new');
    const response = await practice.post('/interface/reports', reportForm({ [fieldName]: text }));
    expect(response.statusCode).toBe(400);
    const body = response.body;
    expect(body).toContain('<title>Error: Report an interface problem – Planwatch</title>');
    expect(body).toMatch(/class="nhsuk-error-summary"/);
    expect(body).toContain(`href="#${fieldName}"`);
    expect(pageText(body)).toContain('contains what looks like an NHS number');
    expect(pageText(body)).toContain('Nothing has been saved.');
    expect(body).toMatch(new RegExp(`class="[^"]*${errorClass}[^"]*"[^>]*id="${fieldName}"|id="${fieldName}"[^>]*class="[^"]*${errorClass}`));
    expect(body).toContain(`${fieldName}-error`);
    // What was typed comes back to the person who typed it, so they can take the number out.
    expect(body).toContain(text.replace(/'/g, '&#39;'));
    expect(body).toMatch(/<option value="RA1" selected/);
    expect([await count('issues'), await count('audit_log')]).toEqual([issues, audit]);
  });

  it('accepts the same report without the NHS number, and stores it with its audit row', async () => {
    const [issues, audit] = [await count('issues'), await count('audit_log')];
    await practice.get('/interface/reports/new');
    const response = await practice.post('/interface/reports', reportForm({ whatHappened: 'Patient was discharged without a letter; ward phoned twice.' }));
    expect(response.statusCode).toBe(303);
    const id = reportIdOf(response);
    expect([await count('issues'), await count('audit_log')]).toEqual([issues + 1, audit + 1]);
    const page = pageText((await practice.get(`/interface/reports/${id}?done=reported`)).body);
    expect(page).toContain('Your report has been sent to the trust’s interface lead.');
    expect(page).toContain('Patient was discharged without a letter; ward phoned twice.');
  });

  it('names its fields as the server reads them (the date boxes as nhsuk-frontend names them)', async () => {
    const form = (await practice.get('/interface/reports/new')).body;
    const names = new Set([...form.matchAll(/<(?:input|select|textarea)[^>]*\sname="([^"]+)"/g)].map((match) => match[1]));
    expect(names).toEqual(new Set(['_csrf', ...Object.keys(reportForm())]));
  });

  it('links each problem to its field: the day box of a missing date, the first radio of a missing area', async () => {
    await practice.get('/interface/reports/new');
    const noDate = await practice.post('/interface/reports', reportForm({ 'occurredOn[day]': '', 'occurredOn[month]': '', 'occurredOn[year]': '' }));
    expect(noDate.statusCode).toBe(400);
    expect(noDate.body).toContain('href="#occurredOn-day"');
    expect(pageText(noDate.body)).toContain('Enter a real date, like 2025-03-27.');
    const noArea = await practice.post('/interface/reports', reportForm({ area: '' }));
    expect(noArea.body).toContain('href="#area"');
    expect(pageText(noArea.body)).toContain('Choose one of the five areas.');
  });

  it('refuses a form without its CSRF token, or with another session\'s, and stores nothing', async () => {
    const issues = await count('issues');
    const other = await web.visitor().signIn('practice.b@example.nhs.uk');
    for (const token of ['', other.csrf!, 'forged-token']) {
      const response = await practice.post('/interface/reports', reportForm(), { token });
      expect(response.statusCode).toBe(403);
      expect(pageText(response.body)).toContain('This form has expired or did not come from Planwatch, so nothing was changed.');
    }
    expect(await count('issues')).toBe(issues);
  });
});
