import { writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { checkPeriod, describeOrg } from '../../assessment/index.js';
import { PlanwatchError } from '../../errors.js';
import type { Store } from '../../store/store.js';
import { print, withCommonOptions, withStore } from '../context.js';

/**
 * The board report (issue 13) written to a file: the same page as /org/:code/report, as HTML
 * with its styles inlined, or as an A4 PDF printed by headless Chromium (Debian's chromium,
 * driven by playwright-core) when both are installed.
 */
export function register(program: Command): void {
  withCommonOptions(program.command('report'))
    .description('a printable board report for an organisation: the MDC summary matrix, then each measure\'s SPC chart, figures and narrative')
    .argument('<org>', 'ODS code (RHU), ICB (QRL), region (Y59) or ENG')
    .option('--period <YYYY-MM>', 'month to report as of (default: the latest)')
    .requiredOption('--format <html|pdf>', 'html, or pdf (needs Chromium: apt-get install chromium)')
    .requiredOption('--out <file>', 'where to write the report')
    .action(async (org: string, options: { db?: string; json?: boolean; period?: string; format: string; out: string }) => {
      if (options.format !== 'html' && options.format !== 'pdf') {
        throw new PlanwatchError('E_USAGE', `--format must be html or pdf, not "${options.format}".`);
      }
      checkPeriod(options.period, '--period');
      await withStore(options, async (store) => {
        const code = (await describeOrg(store, org)).code;
        const url = `/org/${code}/report${options.period ? `?period=${options.period}` : ''}`;
        if (options.format === 'html') await writeFile(options.out, await reportHtml(store, url));
        else await writeFile(options.out, await reportPdf(store, url));
      });
      print(`Wrote ${options.out}`);
    });
}

async function reportHtml(store: Store, url: string): Promise<string> {
  const app = await (await import('../../server/app.js')).buildApp({ store });
  try {
    const page = await app.inject({ method: 'GET', url });
    if (page.statusCode !== 200) throw new PlanwatchError('E_NOT_FOUND', `No report: ${page.statusCode} for ${url}.`);
    // A file opened on its own has no server behind it: the stylesheets go inside it.
    const styles = [];
    for (const href of [...page.body.matchAll(/<link rel="stylesheet" href="([^"]+)">/g)].map((m) => m[1]!)) {
      styles.push((await app.inject({ method: 'GET', url: href })).body);
    }
    const wordmark = (await app.inject({ method: 'GET', url: '/static/planwatch-wordmark.svg' })).rawPayload.toString('base64');
    return page.body
      .replace('src="/static/planwatch-wordmark.svg"', `src="data:image/svg+xml;base64,${wordmark}"`)
      .replace(/<link rel="stylesheet" href="[^"]+">/g, '')
      .replace(/<script[^>]*src="[^"]*"[^>]*><\/script>/g, '')
      .replace('</head>', `<style>${styles.join('\n')}</style></head>`);
  } finally {
    await app.close();
  }
}

export const CHROMIUM = process.env.PLANWATCH_CHROMIUM ?? '/usr/bin/chromium';

/** Why a PDF cannot be printed here, or undefined when it can. */
export async function pdfUnavailable(): Promise<string | undefined> {
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set PLANWATCH_CHROMIUM, or use --format html and print from a browser`;
  try {
    await import('playwright-core');
  } catch {
    return 'playwright-core is not installed (npm install playwright-core), or use --format html and print from a browser';
  }
  return undefined;
}

async function reportPdf(store: Store, url: string): Promise<Buffer> {
  const why = await pdfUnavailable();
  if (why) throw new PlanwatchError('E_USAGE', `Cannot write a PDF: ${why}.`);
  const { chromium } = await import('playwright-core');
  const app = await (await import('../../server/app.js')).buildApp({ store });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  try {
    const page = await browser.newPage();
    const response = await page.goto(`${base}${url}`);
    if (response?.status() !== 200) throw new PlanwatchError('E_NOT_FOUND', `No report: ${response?.status()} for ${url}.`);
    return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
  } finally {
    await browser.close();
    await app.close();
  }
}
