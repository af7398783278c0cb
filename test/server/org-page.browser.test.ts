import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getStatus } from '../../src/assessment/index.js';
import { buildApp } from '../../src/server/app.js';
import type { Store } from '../../src/store/store.js';
import { axeViolations, launchChromium, noChromium, openPage, screenshot } from '../helpers/browser.js';
import { realDataDir } from '../helpers/real-data.js';
import { SHARED_STORE_TIMEOUT_MS, sharedStore } from '../helpers/shared-stores.js';

/**
 * An organisation's page with every collection ingested (issue 13): it opens with the scorecard
 * and stays short, over the shared store of the latest file of every folder
 * (test/helpers/shared-stores.ts).
 */
const TRUST = 'RHU';
const missing = !realDataDir ? 'PLANWATCH_REAL_DATA is not set' : noChromium;
if (missing) process.stderr.write(`SKIPPING the organisation page's length test: ${missing}.\n`);

describe.skipIf(missing !== undefined)('an organisation page with every collection ingested, in Chromium', () => {
  let store: Store;
  let server: FastifyInstance;
  let base: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    store = await sharedStore('latest-of-every-folder');
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

  it('opens with the scorecard on the first screen and is at most 15,000 pixels long at 1280 wide', async () => {
    const status = await getStatus(store, TRUST);
    // More than one collection's targets, or the test would not show what it claims.
    expect(new Set(status.lines.map((line) => line.metric.split('_')[0])).size).toBeGreaterThan(2);
    await page.goto(`${base}/org/${TRUST}`);
    const box = (await page.locator('table.pw-scorecard tbody tr').first().boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(900);
    expect(await page.locator('details.pw-group').count()).toBeGreaterThan(2);
    const height = await page.evaluate<number>('document.documentElement.scrollHeight');
    process.stdout.write(`/org/${TRUST} with every collection: ${height} px tall at 1280 wide\n`);
    expect(height).toBeLessThanOrEqual(15_000);
    await screenshot(page, 'org-every-collection', false);
    expect(await axeViolations(page)).toEqual([]);
  });
});
