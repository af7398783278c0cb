import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDACTED } from '../../../../src/interface/redaction.js';
import { openWebWorld, pageText, reportForm, reportIdOf, type WebWorld } from '../../../helpers/interface-web.js';
import { backends, OPEN_TIMEOUT_MS } from '../../../interface/helpers/stores.js';

/**
 * Redaction on the report's page: an administrator overwrites one field, in the report and in
 * every audit-log copy; nobody else can, and a form without its CSRF token changes nothing.
 */
const SLIPPED = 'Synthetic: the patient Ada Example waited nine hours.';

describe.each(backends)('redacting a report field on the page on $name', (backend) => {
  let web: WebWorld;
  beforeAll(async () => {
    web = await openWebWorld(backend);
  }, OPEN_TIMEOUT_MS);
  afterAll(() => web?.close());

  /** The report's row and every audit copy of it, as one string. */
  const everything = async (id: number) => {
    const issue = await web.test.ctx.db.selectFrom('issues').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const audit = await sql<{ text: string }>`select coalesce(before::text, '') || coalesce(after::text, '') as text from audit_log where entity = 'issue' and entity_id = ${String(id)}`.execute(web.test.ctx.db);
    return JSON.stringify(issue) + audit.rows.map((row) => row.text).join('');
  };

  const report = async () => {
    const practice = await web.visitor('10.9.0.1').signIn('practice.a@example.nhs.uk');
    return reportIdOf(await practice.post('/interface/reports', reportForm({ whatHappened: SLIPPED })));
  };

  it('lets an administrator redact a field: the text is gone from the report and its audit rows', async () => {
    const id = await report();
    expect(await everything(id)).toContain('Ada Example');
    const admin = await web.visitor('10.9.0.2').signIn('admin@example.nhs.uk');
    const page = await admin.get(`/interface/reports/${id}`);
    expect(pageText(page.body)).toContain('Redact this field: What happened');
    // Nothing in the response or action fields yet, so nothing there to redact.
    expect(pageText(page.body)).not.toContain('Redact this field: Response to the practice');
    const redacted = await admin.post(`/interface/reports/${id}/redact`, { field: 'whatHappened' });
    expect(redacted.statusCode).toBe(303);
    expect(redacted.headers.location).toBe(`/interface/reports/${id}?done=redacted`);
    const after = await admin.get(String(redacted.headers.location));
    expect(pageText(after.body)).toContain('The field has been redacted');
    expect(pageText(after.body)).toContain(REDACTED);
    expect(after.body).not.toContain('Ada Example');
    const everythingAfter = await everything(id);
    expect(everythingAfter).not.toContain('Ada Example');
    expect(everythingAfter).toContain('Synthetic: two calls to the ward');
    const audit = await web.test.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'issue.redact').where('entity_id', '=', String(id)).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ account_id: web.world.admin.accountId, after: { field: 'whatHappened', text: REDACTED } });
  }, 120_000);

  it('refuses a trust lead with 403, shows them no redaction form, and changes nothing', async () => {
    const id = await report();
    const lead = await web.visitor('10.9.0.3').signIn('lead.ra1@example.nhs.uk');
    const page = await lead.get(`/interface/reports/${id}`);
    expect(page.statusCode).toBe(200);
    expect(pageText(page.body)).not.toContain('Redact this field');
    const refused = await lead.post(`/interface/reports/${id}/redact`, { field: 'whatHappened' });
    expect(refused.statusCode).toBe(403);
    expect(await everything(id)).toContain('Ada Example');
  }, 120_000);

  it('refuses a redaction without its CSRF token, and an unknown field, changing nothing', async () => {
    const id = await report();
    const admin = await web.visitor('10.9.0.4').signIn('admin@example.nhs.uk');
    await admin.get(`/interface/reports/${id}`);
    const forged = await admin.post(`/interface/reports/${id}/redact`, { field: 'whatHappened' }, { token: '' });
    expect(forged.statusCode).toBe(403);
    expect(pageText(forged.body)).toContain('This form has expired or did not come from Planwatch, so nothing was changed.');
    const unknown = await admin.post(`/interface/reports/${id}/redact`, { field: 'status' });
    expect(unknown.statusCode).toBe(400);
    expect(pageText(unknown.body)).toContain('Choose one of specialty, whatHappened');
    expect(await everything(id)).toContain('Ada Example');
  }, 120_000);
});
