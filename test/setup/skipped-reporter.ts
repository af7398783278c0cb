import type { Reporter, TestModule, Vitest } from 'vitest/node';
import { CHROMIUM, noChromium } from '../helpers/chromium.js';

/**
 * Says at the very end of a run, in one line, that the browser tests did not run because
 * Chromium is missing: each browser test file also says so when it loads, but that line scrolls
 * away among a thousand others and a newcomer reads "passed" (issue 10 item 6).
 */
export function browserSkippedLine(modules: readonly Pick<TestModule, 'project' | 'children'>[], chromiumMissing: boolean, chromium = CHROMIUM): string | undefined {
  if (!chromiumMissing) return undefined;
  const browser = modules.filter((module) => module.project.name === 'browser');
  if (browser.length === 0) return undefined;
  const skipped = browser.flatMap((module) => [...module.children.allTests()]).filter((test) => test.result().state === 'skipped').length;
  return `Browser tests skipped: Chromium not found at ${chromium} (apt-get install chromium, or set PLANWATCH_CHROMIUM); ${skipped} ${skipped === 1 ? 'test' : 'tests'} in ${browser.length} ${browser.length === 1 ? 'file' : 'files'} did not run.`;
}

export default class SkippedReporter implements Reporter {
  private vitest: Vitest | undefined;
  private line: string | undefined;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestRunEnd(modules: readonly TestModule[]): void {
    this.line = browserSkippedLine(modules, noChromium !== undefined);
  }

  // Vitest 3's default reporter prints its summary in onFinished, which runs after every
  // reporter's onTestRunEnd; printing here, after it in the reporters list, makes ours the last line.
  onFinished(): void {
    if (this.line) this.vitest?.logger.log(`${this.line}\n`);
    this.line = undefined;
  }
}
