import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setPassword } from '../../src/interface/accounts.js';
import { buildApp } from '../../src/server/app.js';
import { Store } from '../../src/store/store.js';
import { axeViolations, focusedId, focusedText, launchChromium, noChromium, openPage, screenshot } from '../helpers/browser.js';
import { PASSWORD } from '../helpers/interface-web.js';
import { backends, OPEN_TIMEOUT_MS, type TestStore } from '../interface/helpers/stores.js';
import { openSeeded, type World } from '../interface/helpers/world.js';

/**
 * The interface log in Debian's Chromium (issue 7): a GP practice signs in by keyboard and
 * reports a problem (first with an NHS number, which is refused), the trust's lead keeps its
 * register and walks the report to closed, and the ICB reviewer reads the quarter's review and
 * its printable report. axe-core checks every page against WCAG 2.2 AA; screenshots go to
 * test-output/interface-*.png. The data is the synthetic world of test/interface/helpers.
 */
if (noChromium) process.stderr.write(`SKIPPING interface browser tests: ${noChromium}.\n`);

let test: TestStore;
let world: World;
let duck: Store;
let server: FastifyInstance;
let base: string;
let browser: Browser;
let page: Page;
let reportId: number;
const pageErrors: string[] = [];

const shot = (name: string) => screenshot(page, `interface-${name}`);

/** Tabs forward until `id` has focus, and returns the ids passed on the way. */
async function tabTo(id: string, limit = 40): Promise<(string | undefined)[]> {
  const passed: (string | undefined)[] = [];
  for (let presses = 0; presses < limit; presses += 1) {
    const current = await focusedId(page);
    if (current === id) return passed;
    passed.push(current);
    await page.keyboard.press('Tab');
  }
  throw new Error(`${id} never got focus; passed ${passed.join(', ')}`);
}

async function signInByKeyboard(email: string): Promise<void> {
  await page.goto(`${base}/interface/sign-in`);
  await page.keyboard.press('Tab');
  expect(await focusedText(page)).toBe('Skip to main content');
  await page.keyboard.press('Enter');
  await expect.poll(() => focusedId(page)).toBe('maincontent');
  await tabTo('email');
  await page.keyboard.type(email);
  await page.keyboard.press('Tab');
  expect(await focusedId(page)).toBe('password');
  await page.keyboard.type(PASSWORD);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/interface/sign-in')), page.keyboard.press('Enter')]);
}

async function signOut(): Promise<void> {
  await Promise.all([page.waitForURL(`${base}/interface/sign-out`), page.getByRole('link', { name: 'Sign out' }).click()]);
  expect(await axeViolations(page)).toEqual([]);
  await Promise.all([page.waitForURL(`${base}/interface?signed-out=1`), page.getByRole('button', { name: 'Sign out' }).click()]);
  expect(await page.locator('.nhsuk-notification-banner').innerText()).toContain('You have signed out');
}

describe.skipIf(noChromium !== undefined)('the interface log in Chromium', () => {
  beforeAll(async () => {
    ({ test, world } = await openSeeded(backends[0]!));
    test.clock.set('2025-02-10T09:00:00Z');
    for (const caller of Object.values(world)) await setPassword(test.ctx, world.admin, caller.accountId, PASSWORD);
    duck = await Store.open(':memory:');
    server = await buildApp({ store: duck, interface: { store: test.store, clock: test.clock, passwordCost: test.ctx.passwordCost } });
    base = await server.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchChromium();
    page = await openPage(browser);
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, OPEN_TIMEOUT_MS * 2);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    duck?.close();
    await test?.close();
  });

  it('shows the public list of registers and the sign-in page', async () => {
    await page.goto(`${base}/interface`);
    expect(await page.locator('h1').innerText()).toBe('Primary and secondary care interface');
    expect(await page.locator('main a[href="/interface/RA1"]').innerText()).toBe('Alpha General Hospital NHS Trust');
    await shot('index');
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${base}/interface/sign-in`);
    await shot('sign-in');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('lets a practice sign in and fill the report form by keyboard, in reading order', async () => {
    await signInByKeyboard('practice.a@example.nhs.uk');
    expect(new URL(page.url()).pathname).toBe('/interface/reports');
    expect(await page.locator('h1').innerText()).toBe('Reports from practice A81001');
    expect(await axeViolations(page)).toEqual([]);

    await Promise.all([page.waitForURL(`${base}/interface/reports/new`), page.getByRole('button', { name: 'Report an interface problem' }).click()]);
    await page.locator('#trustCode').focus();
    await page.keyboard.type('Alpha General');
    await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('area');
    // Arrow keys move through a radio group and choose as they go: the third area.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const order = ['specialty', 'occurredOn-day', 'occurredOn-month', 'occurredOn-year', 'whatHappened', 'workload'];
    const typed = ['Cardiology', '3', '2', '2025', 'Patient 943 476 5919 left without the discharge letter.', 'Synthetic: two calls to the ward.'];
    for (const [index, id] of order.entries()) {
      await page.keyboard.press('Tab');
      expect(await focusedId(page), `Tab ${index + 1} after the areas`).toBe(id);
      await page.keyboard.type(typed[index]!);
    }
    expect(await page.locator('#trustCode').inputValue()).toBe('RA1');
    expect(await page.locator('input[name="area"]:checked').inputValue()).toBe('discharge_letter');
    await page.keyboard.press('Tab');
    expect(await focusedText(page)).toBe('Send report');
    await Promise.all([page.waitForURL(`${base}/interface/reports`), page.keyboard.press('Enter')]);
  });

  it('refuses the NHS number with the error summary, which takes focus and leads to the field', async () => {
    expect(await page.title()).toBe('Error: Report an interface problem – Planwatch');
    await expect.poll(() => page.evaluate<string | undefined>("document.activeElement?.closest('.nhsuk-error-summary') ? 'summary' : undefined")).toBe('summary');
    const summary = page.locator('.nhsuk-error-summary');
    expect(await summary.innerText()).toContain('"What happened" contains what looks like an NHS number');
    expect(await page.locator('#whatHappened').getAttribute('class')).toContain('nhsuk-textarea--error');
    expect(await page.locator('#whatHappened-error').innerText()).toContain('Nothing has been saved.');
    await shot('report-refused');
    expect(await axeViolations(page)).toEqual([]);
    expect(await test.ctx.db.selectFrom('issues').select('id').execute()).toEqual([]);

    await page.keyboard.press('Tab');
    expect(await focusedText(page)).toContain('contains what looks like an NHS number');
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedId(page)).toBe('whatHappened');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('The patient left without the discharge letter; the ward had no copy.');
    await tabTo('workload');
    await page.keyboard.press('Tab');
    await Promise.all([page.waitForURL(/\/interface\/reports\/\d+\?done=reported$/), page.keyboard.press('Enter')]);
    reportId = Number(/reports\/(\d+)/.exec(page.url())![1]);
    expect(await page.locator('.nhsuk-notification-banner').innerText()).toContain('Your report has been sent');
    expect(await page.locator('.nhsuk-tag').first().innerText()).toBe('Open');
    await shot('report-sent');
    expect(await axeViolations(page)).toEqual([]);
    await signOut();
  });

  it("lets the trust's lead name the designated lead on the register", async () => {
    await signInByKeyboard('lead.ra1@example.nhs.uk');
    await Promise.all([page.waitForURL(`${base}/interface/RA1/contacts`), page.getByRole('link', { name: 'Your register' }).click()]);
    expect(await axeViolations(page)).toEqual([]);
    await Promise.all([page.waitForURL(`${base}/interface/RA1/contacts/new`), page.getByRole('button', { name: 'Add a point of contact' }).click()]);
    await page.locator('#name').fill('Dr Synthetic Lead');
    await page.locator('#role').fill('Associate Director, Primary Care Interface');
    await page.locator('#teamMailbox').fill('interface.alpha@example.nhs.uk');
    await page.locator('#phone').fill('0113 000 0000');
    await page.locator('#hours').fill('Monday to Friday, 9am to 5pm');
    await page.locator('#isDesignatedLead').check();
    await shot('contact-form');
    expect(await axeViolations(page)).toEqual([]);
    await Promise.all([page.waitForURL(`${base}/interface/RA1/contacts?done=saved`), page.getByRole('button', { name: 'Save' }).click()]);
    await page.goto(`${base}/interface/RA1`);
    expect(await page.locator('main').innerText()).toMatch(/Designated interface lead\s+Dr Synthetic Lead/);
    await shot('register');
    expect(await axeViolations(page)).toEqual([]);
  });

  it("walks the report to closed from the lead's inbox, the response typed and sent by keyboard", async () => {
    await page.goto(`${base}/interface/reports`);
    expect(await page.locator('h1').innerText()).toBe('Reports about Alpha General Hospital NHS Trust');
    await shot('inbox');
    expect(await axeViolations(page)).toEqual([]);
    await Promise.all([page.waitForURL(`${base}/interface/reports/${reportId}`), page.getByRole('link', { name: `Report ${reportId}` }).click()]);
    expect(await axeViolations(page)).toEqual([]);

    test.clock.advanceDays(1);
    await Promise.all([page.waitForURL(/done=acknowledged/), page.getByRole('button', { name: 'Acknowledge' }).click()]);
    test.clock.advanceDays(1);
    await page.locator('#response').focus();
    await page.keyboard.type('Sorry: the ward will send the letter today and check its discharge list.');
    await page.keyboard.press('Tab');
    expect(await focusedText(page)).toBe('Save response');
    await Promise.all([page.waitForURL(/done=responded/), page.keyboard.press('Enter')]);
    test.clock.advanceDays(2);
    await page.locator('#actionTaken').fill('Discharge letters now go to the practice before the patient leaves.');
    await Promise.all([page.waitForURL(/done=action/), page.getByRole('button', { name: 'Record action' }).click()]);
    expect(await axeViolations(page)).toEqual([]);
    await Promise.all([page.waitForURL(/done=closed/), page.getByRole('button', { name: 'Close this report' }).click()]);
    expect(await page.locator('.nhsuk-tag').first().innerText()).toBe('Closed');
    await shot('report-closed');
    expect(await axeViolations(page)).toEqual([]);
    await signOut();
  });

  it("shows the ICB reviewer the quarter's review: the report opened and closed, days to acknowledge and close", async () => {
    test.clock.advanceDays(1);
    await signInByKeyboard('reviewer.qaa@example.nhs.uk');
    expect(new URL(page.url()).pathname).toBe('/icb/QAA/interface');
    expect(await page.locator('h1').innerText()).toBe('Interface review: NHS Alpha Integrated Care Board');
    const trustTable = page.locator('table').filter({ hasText: 'Interface reports about Alpha General Hospital NHS Trust' });
    const row = trustTable.locator('tbody tr').filter({ hasText: 'Complete care — discharge letter or clinic letter' });
    // Reported 10 February, acknowledged a day later, closed four days after the report.
    expect(await row.locator('td').allInnerTexts()).toEqual(['1 (was 0)', '1 (was 0)', '1 (was none)', '4 (was none)', '0 (was 0)']);
    expect(await page.locator('main').innerText()).not.toContain('Beta Teaching Hospitals');
    await shot('review');
    expect(await axeViolations(page)).toEqual([]);

    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download the figures as CSV' }).click();
    expect((await download).suggestedFilename()).toBe('interface-review-QAA-2025-03.csv');

    await Promise.all([page.waitForURL(/\/icb\/QAA\/interface\/report\?quarter=2025-03$/), page.getByRole('link', { name: 'Printable review report' }).click()]);
    expect(await page.locator('h1').innerText()).toBe('NHS Alpha Integrated Care Board, Q4 2024-25');
    expect(await axeViolations(page)).toEqual([]);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.nhsuk-header').isVisible()).toBe(false);
    expect(await page.locator('main table').first().isVisible()).toBe(true);
    await shot('review-print');
    await page.emulateMedia({ media: 'screen' });
    await signOut();
  });

  it('lets the administrator see accounts and the form to open one', async () => {
    await signInByKeyboard('admin@example.nhs.uk');
    expect(new URL(page.url()).pathname).toBe('/interface/accounts');
    expect(await page.locator('main table').innerText()).toContain('practice.a@example.nhs.uk');
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${base}/interface/accounts/new`);
    await shot('account-form');
    expect(await axeViolations(page)).toEqual([]);
  });

  it("shows an account's page with disable, new password and sessions, and one's own account page", async () => {
    await page.goto(`${base}/interface/accounts/${world.practiceB.accountId}`);
    expect(await page.locator('h1').innerText()).toBe('Synthetic B82002');
    await shot('account');
    expect(await axeViolations(page)).toEqual([]);
    await Promise.all([page.waitForURL(/done=disabled/), page.getByRole('button', { name: 'Disable the account' }).click()]);
    expect(await page.locator('.nhsuk-notification-banner').innerText()).toContain('The account is disabled');
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${base}/interface/account`);
    expect(await page.locator('main').innerText()).toContain('(this browser)');
    await shot('my-account');
    expect(await axeViolations(page)).toEqual([]);
    await page.fill('#current', 'not the current password');
    await page.fill('#password', 'a new synthetic password');
    await page.getByRole('button', { name: 'Change your password' }).click();
    await expect.poll(() => page.locator('.nhsuk-error-summary').count()).toBe(1);
    await shot('my-account-refused');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('raised no script errors on any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
