import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getStatus } from '../../src/assessment/index.js';
import { buildApp } from '../../src/server/app.js';
import type { Store } from '../../src/store/store.js';
import { axeViolations, launchChromium, noChromium, openPage } from '../helpers/browser.js';
import { realDataDir } from '../helpers/real-data.js';
import { SHARED_STORE_TIMEOUT_MS, sharedStore } from '../helpers/shared-stores.js';

/**
 * The road to each deadline on an organisation's page (issue 12), in Chromium over the real A&E
 * files: the projection with its interval and verdict in words, what it would take, and how
 * Planwatch reads ambiguous guidance, all passing axe (WCAG 2.2 AA).
 */
const TRUST = 'RHU';
const missing = !realDataDir ? 'PLANWATCH_REAL_DATA is not set' : noChromium;
if (missing) process.stderr.write(`SKIPPING browser tests: ${missing}.\n`);

let store: Store;
let server: FastifyInstance;
let base: string;
let browser: Browser;
let page: Page;

describe.skipIf(missing !== undefined)('projections on an organisation page, over the real A&E files', () => {
  beforeAll(async () => {
    store = await sharedStore('ae');
    server = await buildApp({ store });
    base = await server.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchChromium();
    page = await openPage(browser);
  }, SHARED_STORE_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    store?.close();
  });

  it('shows the March 2027 projection with its interval, verdict and what it would take, and passes axe', async () => {
    const line = (await getStatus(store, TRUST)).lines.find((l) => l.targetId === 'mtpf-ae-4hr-2627')!;
    expect(line.projection).not.toBeNull();
    // The organisation page's scorecard says on track, at risk or off track; the measure's own
    // page, which the row links to, carries the card with the road to the deadline.
    await page.goto(`${base}/org/${TRUST}`);
    const row = page.locator('table.pw-scorecard tbody tr', { hasText: line.title });
    expect(await row.locator('.nhsuk-tag').innerText()).toBe({ on_track: 'On track', at_risk: 'At risk', off_track: 'Off track' }[line.projection!.verdict]);
    await page.goto(`${base}/org/${TRUST}/${line.metric}`);
    const card = page.locator('.pw-target', { hasText: line.title });
    const text = await card.innerText();
    expect(text).toContain('Projected in March 2027');
    expect(text).toContain(`likely between ${line.projection!.low.toFixed(1)}% and ${line.projection!.high.toFixed(1)}% (80% interval)`);
    expect(text).toContain({ on_track: 'On track', at_risk: 'At risk', off_track: 'Off track' }[line.projection!.verdict]);
    if (line.needed) expect(text).toContain('What it would take');
    expect(await axeViolations(page)).toEqual([]);
    // The 12-hour target is judged on a stated proxy: the reading opens by keyboard.
    const twelve = (await getStatus(store, TRUST)).lines.find((l) => l.title.startsWith('A smaller share of 12-hour waits across 2026/27'))!;
    await page.goto(`${base}/org/${TRUST}/${twelve.metric}`);
    const reading = page.locator('.pw-target', { hasText: 'A smaller share of 12-hour waits across 2026/27' }).locator('details summary');
    await reading.focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('.pw-target details[open]').first().innerText()).toContain('decision to admit');
    expect(await axeViolations(page)).toEqual([]);
  });
});
