import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getLeague, getSeries, getStatus } from '../../src/assessment/index.js';
import { ingestPaths } from '../../src/cli/commands/ingest.js';
import { formatValue } from '../../src/cli/format.js';
import { periodLabel } from '../../src/dimensions.js';
import { buildApp } from '../../src/server/app.js';
import { displayName } from '../../src/server/format.js';
import { createViews } from '../../src/server/views.js';
import { Store } from '../../src/store/store.js';
import { axeViolations, focusedId as activeId, focusedText as activeText, launchChromium, noChromium, openPage, OUTPUT, screenshot } from '../helpers/browser.js';
import { loadComponents, renderFixturePage } from '../helpers/components.js';
import { realDataDir } from '../helpers/real-data.js';

/**
 * What a person sees, in Debian's Chromium driven by playwright-core: the home page, a search
 * for a trust by keyboard, its page and a league table, each read for its figures (taken from
 * the same store built from NHS England's real A&E files) and checked by axe-core for WCAG 2.2 AA.
 * Screenshots go to test-output/ (git-ignored).
 */
const TRUST = 'RHU';

const missing = !realDataDir ? 'PLANWATCH_REAL_DATA is not set' : noChromium;
if (missing) process.stderr.write(`SKIPPING browser tests: ${missing}.\n`);

let store: Store;
let server: FastifyInstance;
let base: string;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

const focusedId = () => activeId(page);
const focusedText = () => activeText(page);
const shot = (name: string, fullPage = true) => screenshot(page, name, fullPage);

describe.skipIf(missing !== undefined)('the pages in Chromium, over the real A&E files', () => {
  beforeAll(async () => {
    store = await Store.open(':memory:');
    await ingestPaths(store, [path.join(realDataDir!, 'ae_monthly'), path.join(realDataDir!, 'ae_nhsrdatasets')]);
    server = await buildApp({ store });
    base = await server.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchChromium();
    page = await openPage(browser);
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    store?.close();
  });

  it("shows England's position against each target, with its figures and icons", async () => {
    const status = await getStatus(store, 'ENG');
    await page.goto(`${base}/`);
    expect(await page.locator('h1').innerText()).toBe('How is the NHS in England doing against its targets?');
    expect(await page.locator('h2').first().innerText()).toBe('England against each target');
    const cards = page.locator('.pw-target');
    expect(await cards.count()).toBe(status.lines.length);
    for (const [i, line] of status.lines.entries()) {
      const card = cards.nth(i);
      expect(await card.locator('h3').innerText()).toBe(line.title);
      expect(await card.locator('.pw-target__figure').innerText()).toBe(formatValue(line.value, line.unit));
    }
    const standard = cards.filter({ hasText: '95% of A&E patients' });
    expect(await standard.locator('.pw-spc-icon__label').allInnerTexts()).toHaveLength(2);
    const footer = await page.locator('footer').innerText();
    expect(footer).toContain('Contains public sector information licensed under the Open Government Licence v3.0. Source: NHS England.');
    expect(footer).toContain(`A&E Attendances and Emergency Admissions to ${periodLabel(status.period)}`);
    await shot('home');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('works by keyboard: the skip link, then search for a trust and submit with Enter', async () => {
    await page.goto(`${base}/`);
    await page.keyboard.press('Tab');
    expect(await focusedText()).toBe('Skip to main content');
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedId()).toBe('maincontent');
    let presses = 0;
    while ((await focusedId()) !== 'q' && presses < 20) {
      await page.keyboard.press('Tab');
      presses++;
    }
    expect(await focusedId()).toBe('q');
    await page.keyboard.type('portsmouth');
    // The enhancement offers names as you type; the form works the same without it.
    await expect.poll(() => page.locator('#q-suggestions option').count()).toBeGreaterThan(0);
    expect(await page.locator('#q-suggestions option').first().getAttribute('value')).toMatch(/PORTSMOUTH/);
    await Promise.all([page.waitForURL(/\/search\?q=portsmouth/), page.keyboard.press('Enter')]);
    await expect.poll(() => page.locator('#results-heading').innerText()).toMatch(/\d+ results? for “portsmouth”/);
    const result = page.locator('.pw-results a', { hasText: 'Portsmouth Hospitals University NHS Trust' });
    expect(await result.count()).toBe(1);
    await shot('search');
    expect(await axeViolations(page)).toEqual([]);
    await Promise.all([page.waitForURL(`${base}/org/${TRUST}`), result.click()]);
  });

  it("shows the trust's figures per measure, each chart with its summary and its table", async () => {
    const series = await getSeries(store, TRUST, 'ae_4hr');
    const latest = series.points.filter((point) => point.value !== null).at(-1)!;
    await page.goto(`${base}/org/${TRUST}`);
    expect(await page.locator('h1').innerText()).toBe(displayName(series.org.name));
    const section = page.locator('section#ae-4hr');
    const facts = await section.locator('.pw-measure__facts').innerText();
    expect(facts).toContain(`${formatValue(latest.value, 'percent')} in ${periodLabel(latest.period)}`);
    expect(facts).toMatch(/Rank among trusts\s+\d+ of \d+/);
    const chart = section.locator('figure svg[role="img"]');
    expect(await chart.count()).toBe(1);
    const caption = await section.locator('figcaption').innerText();
    expect(caption).toContain(`Latest: ${formatValue(latest.value, 'percent')} in ${periodLabel(latest.period)}.`);
    expect(await chart.getAttribute('aria-labelledby')).toBe(await section.locator('figcaption').getAttribute('id'));
    await section.locator('details summary').click();
    const lastRow = section.locator('details table tbody tr').last();
    expect(await lastRow.locator('td').first().innerText()).toBe(periodLabel(latest.period));
    expect(await lastRow.locator('td').nth(1).innerText()).toBe(formatValue(latest.value, 'percent'));
    expect(await section.locator('a[download]').getAttribute('href')).toBe(`/api/v1/series/${TRUST}/ae_4hr?format=csv`);
    await shot('org');
    await section.screenshot({ path: path.join(OUTPUT, 'org-chart.png') });
    expect(await axeViolations(page)).toEqual([]);
  });

  it('ranks trusts in a league table that sorts, filters and compares two months', async () => {
    await page.goto(`${base}/`);
    await Promise.all([page.waitForURL(`${base}/league`), page.locator('.nhsuk-header__navigation-link', { hasText: 'League tables' }).click()]);
    await Promise.all([page.waitForURL(`${base}/league/ae_4hr`), page.locator('a[href="/league/ae_4hr"]').click()]);
    const league = await getLeague(store, 'ae_4hr');
    const rows = page.locator('table.pw-league tbody tr');
    expect(await rows.count()).toBe(league.rows.length);
    const first = league.rows[0]!;
    expect(await rows.first().locator('td').nth(1).innerText()).toContain(displayName(first.name));
    expect(await rows.first().locator('td').nth(3).innerText()).toBe(formatValue(first.value, 'percent'));
    await shot('league', false);
    expect(await axeViolations(page)).toEqual([]);

    await page.selectOption('#period', '2025-03');
    await page.selectOption('#from', '2025-01');
    await page.selectOption('#region', 'Y59');
    await Promise.all([page.waitForURL(/from=2025-01/), page.locator('.pw-league-form button').click()]);
    const improved = await getLeague(store, 'ae_4hr', { period: '2025-03', from: '2025-01', region: 'Y59' });
    expect(await rows.count()).toBe(improved.rows.length);
    await Promise.all([page.waitForURL(/sort=improvement/), page.locator('th a', { hasText: 'Improvement rank' }).click()]);
    const best = improved.rows.find((row) => row.improvementRank === 1)!;
    expect(await rows.first().locator('td').nth(1).innerText()).toContain(displayName(best.name));
    expect(await page.locator('th[aria-sort="ascending"]').innerText()).toContain('Improvement rank');
    await shot('league-most-improved', false);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('shows a helpful 404 page', async () => {
    const response = await page.goto(`${base}/org/NOPE1`);
    expect(response?.status()).toBe(404);
    expect(await page.locator('h1').innerText()).toBe('Page not found');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('passes axe on every component fixture', async () => {
    const views = createViews();
    for (const component of await loadComponents()) {
      for (const example of Object.keys(component.fixtures)) {
        await page.goto(`${base}/league`);
        await page.setContent(renderFixturePage(views, component, example));
        expect(await axeViolations(page), `${component.name}: ${example}`).toEqual([]);
      }
    }
  });

  it('raised no script errors on any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
