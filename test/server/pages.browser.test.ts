import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSeries, getStatus } from '../../src/assessment/index.js';
import { guidanceYearOf, leadingMonth, splitByGuidanceYear } from '../../src/assessment/guidance-years.js';
import { getPeerLeague } from '../../src/assessment/peer-league.js';
import { formatValue } from '../../src/cli/format.js';
import { measureById } from '../../src/measures/index.js';
import { periodLabel } from '../../src/dimensions.js';
import { buildApp } from '../../src/server/app.js';
import { displayName } from '../../src/server/format.js';
import { createViews } from '../../src/server/views.js';
import type { Store } from '../../src/store/store.js';
import { axeViolations, focusedId as activeId, focusedText as activeText, launchChromium, noChromium, openPage, OUTPUT, screenshot } from '../helpers/browser.js';
import { loadComponents, renderFixturePage } from '../helpers/components.js';
import { realDataDir } from '../helpers/real-data.js';
import { SHARED_STORE_TIMEOUT_MS, sharedStore } from '../helpers/shared-stores.js';

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
    store = await sharedStore('ae');
    server = await buildApp({ store });
    base = await server.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchChromium();
    page = await openPage(browser);
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, SHARED_STORE_TIMEOUT_MS);

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
    // Today's guidance year's targets and the standing standards first, earlier years' folded after.
    const { shown, earlier } = splitByGuidanceYear(status.lines, (line) => guidanceYearOf(line.targetId), leadingMonth(status.period, new Date()));
    const cards = page.locator('.pw-target');
    expect(await cards.count()).toBe(status.lines.length);
    expect(await page.locator('details .pw-target').count()).toBe(earlier.length);
    if (earlier.length > 0) await page.locator('details summary', { hasText: `Targets of earlier guidance years (${earlier.length})` }).click();
    for (const [i, line] of [...shown, ...earlier].entries()) {
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
    // Generous: the suggestions wait for the API, which a loaded machine answers slowly.
    await expect.poll(() => page.locator('#q-suggestions option').count(), { timeout: 15_000 }).toBeGreaterThan(0);
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
    // The detail is folded by collection under the scorecard.
    await page.locator('details#ae > summary').click();
    const section = page.locator('section#ae-4hr');
    const facts = await section.locator('.pw-measure__facts').innerText();
    expect(facts).toContain(`${formatValue(latest.value, 'percent')} in ${periodLabel(latest.period)}`);
    expect(facts).toMatch(/Rank among trusts\s+\d+ of \d+/);
    // Each chart is an image of its own, fetched once its collection is open; it must draw.
    const chart = section.locator('figure img.pw-plot');
    expect(await chart.count()).toBe(1);
    const caption = await section.locator('figcaption').innerText();
    expect(caption).toContain(`Latest: ${formatValue(latest.value, 'percent')} in ${periodLabel(latest.period)}.`);
    expect(await chart.getAttribute('aria-labelledby')).toBe(await section.locator('figcaption').getAttribute('id'));
    expect(await chart.evaluate(async (img: { decode(): Promise<void>; naturalWidth: number }) => {
      await img.decode();
      return img.naturalWidth;
    })).toBe(720);
    await section.locator('details.nhsuk-details summary').click();
    const lastRow = section.locator('details table tbody tr').last();
    expect(await lastRow.locator('td').first().innerText()).toBe(periodLabel(latest.period));
    expect(await lastRow.locator('td').nth(1).innerText()).toBe(formatValue(latest.value, 'percent'));
    expect(await section.locator('a[download]').getAttribute('href')).toBe(`/api/v1/series/${TRUST}/ae_4hr?format=csv`);
    await shot('org');
    await section.screenshot({ path: path.join(OUTPUT, 'org-chart.png') });
    expect(await axeViolations(page)).toEqual([]);
  });

  it('opens the organisation page with its scorecard on the first screen, usable by keyboard', async () => {
    const status = await getStatus(store, TRUST);
    await page.goto(`${base}/org/${TRUST}`);
    const scorecard = page.locator('table.pw-scorecard').first();
    const firstRow = scorecard.locator('tbody tr').first();
    const box = (await firstRow.boundingBox())!;
    // 1280×900: the table and its first row are on screen before any scrolling.
    expect((await scorecard.boundingBox())!.y).toBeLessThan(900);
    expect(box.y + box.height).toBeLessThanOrEqual(900);
    const shown = await page.locator('table.pw-scorecard tbody tr').count();
    expect(shown).toBe(status.lines.length);
    // The standing 95% standard: always in the table shown, never folded away.
    const line = status.lines.find((l) => l.metric === 'ae_4hr' && l.due === null)!;
    const row = scorecard.locator('tbody tr', { hasText: line.title });
    expect(await row.locator('.pw-scorecard__value').innerText()).toBe(formatValue(line.value, 'percent'));
    expect(await row.locator('svg[role="img"]').count()).toBeGreaterThanOrEqual(1);
    await shot('org-scorecard', false);
    expect(await axeViolations(page)).toEqual([]);
    // By keyboard: Tab reaches the first row's link, and Enter opens the measure's page.
    const href = await firstRow.locator('a').getAttribute('href');
    let presses = 0;
    while ((await page.evaluate<string | undefined>('document.activeElement?.getAttribute("href") ?? undefined')) !== href && presses < 40) {
      await page.keyboard.press('Tab');
      presses++;
    }
    await Promise.all([page.waitForURL(`${base}${href}`), page.keyboard.press('Enter')]);
    expect(await page.locator('h1').innerText()).toBe(measureById(href!.split('/').at(-1)!).title);
  });

  it('ranks trusts in a league table that sorts, filters and compares two months', async () => {
    await page.goto(`${base}/`);
    await Promise.all([page.waitForURL(`${base}/league`), page.locator('.nhsuk-header__navigation-link', { hasText: 'League tables' }).click()]);
    await Promise.all([page.waitForURL(`${base}/league/ae_4hr`), page.locator('a[href="/league/ae_4hr"]').click()]);
    const league = await getPeerLeague(store, 'ae_4hr');
    expect(league.peerGroup?.group).toBe('type1');
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
    const improved = await getPeerLeague(store, 'ae_4hr', { period: '2025-03', from: '2025-01', region: 'Y59' });
    expect(await rows.count()).toBe(improved.rows.length);
    await Promise.all([page.waitForURL(/sort=improvement/), page.locator('th a', { hasText: 'Improvement rank' }).click()]);
    const best = improved.rows.find((row) => row.improvementRank === 1)!;
    expect(await rows.first().locator('td').nth(1).innerText()).toContain(displayName(best.name));
    expect(await page.locator('th[aria-sort="ascending"]').innerText()).toContain('Improvement rank');
    await shot('league-most-improved', false);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('shows the board report: the MDC matrix, then each measure with chart, table and narrative', async () => {
    await page.goto(`${base}/org/${TRUST}/report`);
    expect(await page.locator('h1').innerText()).toBe(`Board report: ${displayName((await getStatus(store, TRUST)).org.name)}`);
    expect(await page.locator('table.pw-matrix tbody tr').count()).toBe(4);
    const sections = page.locator('section.pw-report__section');
    expect(await sections.count()).toBeGreaterThan(0);
    for (let i = 0; i < await sections.count(); i++) {
      const section = sections.nth(i);
      expect(await section.locator('svg[role="img"].pw-plot, svg.pw-plot[role="img"]').count()).toBe(1);
      expect(await section.locator('table.pw-report__table tbody tr').count()).toBeGreaterThan(0);
      expect(await section.locator('.pw-report__narrative').first().innerText()).toMatch(/ in [A-Z][a-z]+ \d{4}/);
    }
    // Every measure in the matrix links to its section.
    for (const href of await page.locator('table.pw-matrix a').evaluateAll((links) => links.map((a) => a.getAttribute('href')))) {
      expect(await page.locator(href!).count()).toBe(1);
    }
    await shot('report', false);
    expect(await axeViolations(page)).toEqual([]);
  });

  it("lists what changed, and publishes it as Atom with a record of England's 12-hour waits", async () => {
    // The latest record high of England's 12-hour waits from decision to admit, read from the
    // store: the feed covers the last 12 months of A&E figures, so look for it there.
    const series = await getSeries(store, 'ENG', 'ae_dta_12hr');
    let best = -Infinity;
    let record: { period: string; value: number } | undefined;
    for (const point of series.points) if (point.value !== null && point.value > best) { best = point.value; record = { period: point.period, value: point.value }; }
    const response = await page.request.get(`${base}/signals.atom`);
    expect(response.headers()['content-type']).toContain('application/atom+xml');
    const feed = await response.text();
    // Parsed by Chromium's own XML parser (evaluated as a string: the project compiles without the DOM lib).
    const parsed = await page.evaluate<{ error?: string; root?: string; feed?: (string | null)[]; entries?: { id: string | null; title: string | null; updated: string | null; link: string | null }[] }>(`(() => {
      const doc = new DOMParser().parseFromString(${JSON.stringify(feed)}, 'application/xml');
      if (doc.getElementsByTagName('parsererror').length > 0) return { error: doc.getElementsByTagName('parsererror')[0].textContent };
      const ns = 'http://www.w3.org/2005/Atom';
      const root = doc.documentElement;
      const child = (el, name) => [...el.children].find((c) => c.namespaceURI === ns && c.localName === name);
      return {
        root: root.namespaceURI + ' ' + root.localName,
        feed: ['id', 'title', 'updated'].map((name) => child(root, name)?.textContent ?? null),
        entries: [...root.getElementsByTagNameNS(ns, 'entry')].map((entry) => ({
          id: child(entry, 'id')?.textContent ?? null,
          title: child(entry, 'title')?.textContent ?? null,
          updated: child(entry, 'updated')?.textContent ?? null,
          link: child(entry, 'link')?.getAttribute('href') ?? null,
        })),
      };
    })()`);
    expect(parsed).not.toHaveProperty('error');
    expect(parsed.root).toBe('http://www.w3.org/2005/Atom feed');
    for (const value of parsed.feed!) expect(value).toBeTruthy();
    expect(parsed.entries!.length).toBeGreaterThan(0);
    for (const entry of parsed.entries!) {
      expect(entry.id).toMatch(/^tag:planwatch,2026:signal\//);
      expect(entry.title).toBeTruthy();
      expect(entry.updated).toMatch(/^\d{4}-\d{2}-01T00:00:00Z$/);
      expect(entry.link).toMatch(new RegExp(`^${base}/org/[A-Z0-9]+/[a-z0-9_]+$`));
    }
    const latestMonths = series.points.map((point) => point.period).slice(-12);
    expect(record && latestMonths.includes(record.period), 'a record within the feed window').toBe(true);
    const entry = parsed.entries!.find((e) => e.id === `tag:planwatch,2026:signal/${record!.period}/record_high/ENG/ae_dta_12hr`);
    expect(entry?.title).toBe(`England: highest 12+ hours from decision to admit on record, ${formatValue(record!.value, 'count')} in ${periodLabel(record!.period)}`);
    // The same store gives the same feed.
    expect(await (await page.request.get(`${base}/signals.atom`)).text()).toBe(feed);
    // Each entry's link opens the chart that shows it.
    await page.goto(entry!.link!);
    expect(await page.locator('figure svg[role="img"]').count()).toBe(1);

    await page.goto(`${base}/signals?period=${record!.period}`);
    expect(await page.locator('.pw-signals a', { hasText: entry!.title! }).count()).toBe(1);
    await shot('signals', false);
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${base}/org/ENG/signals`);
    expect(await page.locator('.pw-signals li').count()).toBeGreaterThan(0);
    expect(await axeViolations(page)).toEqual([]);
    const own = await (await page.request.get(`${base}/org/ENG/signals.atom`)).text();
    expect(own).toContain(`<id>tag:planwatch,2026:signal/${record!.period}/record_high/ENG/ae_dta_12hr</id>`);
  });

  it('shows how fresh the figures are on /status and beside the scorecard, reachable from every footer', async () => {
    const latest = periodLabel((await getStatus(store, 'ENG')).period);
    await page.goto(`${base}/org/${TRUST}`);
    expect(await page.locator('.pw-freshness').innerText()).toContain(`A&E figures to ${latest}`);
    await Promise.all([page.waitForURL(`${base}/status`), page.locator('footer a', { hasText: 'Data status' }).click()]);
    expect(await page.locator('h1').innerText()).toBe('Data status');
    const ae = page.locator('h2', { hasText: 'A&E Attendances and Emergency Admissions' });
    expect(await ae.count()).toBe(1);
    expect(await page.locator('#ae + dl').innerText()).toMatch(new RegExp(`Figures to\\s+${latest}`));
    await shot('status');
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
    // setContent keeps the page's address, so the fixtures' relative asset links resolve against
    // the server after one visit to it.
    await page.goto(`${base}/status`);
    for (const component of await loadComponents()) {
      for (const example of Object.keys(component.fixtures)) {
        await page.setContent(renderFixturePage(views, component, example));
        expect(await axeViolations(page), `${component.name}: ${example}`).toEqual([]);
      }
    }
  });

  it('raised no script errors on any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
