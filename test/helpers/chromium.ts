import { existsSync } from 'node:fs';

/**
 * Where the browser tests look for Chromium, and why they cannot run when it is not there. Kept
 * apart from browser.ts (which loads playwright-core and axe-core) so the end-of-run reporter
 * (test/setup/skipped-reporter.ts) can ask cheaply.
 */
export const CHROMIUM = process.env.PLANWATCH_CHROMIUM ?? '/usr/bin/chromium';

/** Why the browser tests cannot run here, or undefined when they can. */
export const noChromium = existsSync(CHROMIUM) ? undefined : `no Chromium at ${CHROMIUM} (apt-get install chromium, or set PLANWATCH_CHROMIUM)`;
