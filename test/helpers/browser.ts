import { mkdirSync } from 'node:fs';
import path from 'node:path';
import axe from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM } from './chromium.js';

export { CHROMIUM, noChromium } from './chromium.js';

/**
 * Debian's Chromium driven by playwright-core (playwright cannot download its own browser here),
 * axe-core against WCAG 2.2 AA, and screenshots in test-output/ (git-ignored): what every
 * *.browser.test.ts shares.
 */
export const OUTPUT = path.resolve(import.meta.dirname, '..', '..', 'test-output');
export const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export async function launchChromium(): Promise<Browser> {
  mkdirSync(OUTPUT, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

/** A page at a desktop size; bypassCSP lets the test inject axe-core, the pages keep their policy. */
export async function openPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  return context.newPage();
}

interface AxeViolation {
  id: string;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's WCAG 2.2 AA violations on the page as it is now, one line each. */
export async function axeViolations(target: Page): Promise<string[]> {
  await target.addScriptTag({ content: axe.source });
  const violations = await target.evaluate(async (tags) => {
    const browserAxe = (globalThis as unknown as { axe: { run(options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await browserAxe.run({ runOnly: { type: 'tag', values: tags } });
    return result.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  }, WCAG);
  return violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

// Evaluated in the page as strings: the project compiles without the DOM lib.
export const focusedId = (page: Page) => page.evaluate<string | undefined>('document.activeElement?.id || undefined');
export const focusedText = (page: Page) => page.evaluate<string | undefined>('document.activeElement?.textContent?.trim()');

export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.screenshot({ path: path.join(OUTPUT, `${name}.png`), fullPage });
}
