import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { pdfUnavailable } from '../../src/cli/commands/report.js';
import { formatValue } from '../../src/cli/format.js';
import { periodLabel } from '../../src/measures/periods.js';
import { runCli, tempDb } from '../helpers/cli.js';
import { realDataDir, realPath } from '../helpers/real-data.js';

/**
 * planwatch report on NHS England's real files (issue 13): the HTML report and, when Chromium
 * and playwright-core are here, the PDF. The figures asserted are read from the store by
 * planwatch series, never typed in.
 */
const latest = (folder: string[], count: number) =>
  readdirSync(realPath(...folder)).filter((name) => /^\d{4}-\d{2}_/.test(name)).sort().slice(-count).map((name) => realPath(...folder, name));

const noPdf = await pdfUnavailable();
if (noPdf) process.stderr.write(`SKIPPING the PDF report test: ${noPdf}.\n`);

describe.skipIf(!realDataDir)('planwatch report RHU on the real A&E and cancer files', () => {
  let db: string;
  beforeAll(async () => {
    db = tempDb();
    const run = await runCli('ingest', '--db', db, ...latest(['ae_monthly'], 14), ...latest(['cancer_cwt', 'provider'], 2), realPath('ods', 'etr.csv'));
    expect(run.code, run.stderr).toBe(0);
  }, 600_000);

  it('writes an HTML report: the MDC matrix, then each measure with its chart, figures and narrative', async () => {
    const out = path.join(tmpdir(), `planwatch-report-${process.pid}.html`);
    const run = await runCli('report', 'RHU', '--db', db, '--format', 'html', '--out', out);
    expect(run.code, run.stderr).toBe(0);
    const html = readFileSync(out, 'utf8');
    const points = JSON.parse((await runCli('series', 'RHU', 'ae_4hr', '--db', db, '--json')).stdout) as { period: string; value: number | null }[];
    const last = points.filter((point) => point.value !== null).at(-1)!;
    expect(html).toContain('Board report: Portsmouth Hospitals University NHS Trust');
    expect(html).toContain('Measures by variation and assurance');
    expect(html).toContain(`4-hour performance: ${formatValue(last.value, 'percent')} in ${periodLabel(last.period)}`);
    expect(html).toMatch(/Special cause (improvement|concern)|common cause variation/);
    expect(html).toContain('id="report-ae-4hr"');
    expect(html).toContain('id="report-cwt-fds"');
    // Each chart has its table, and the styles are inside the file (it opens without a server).
    expect((html.match(/class="pw-plot"/g) ?? []).length).toBe((html.match(/<table[^>]*pw-report__table/g) ?? []).length);
    expect(html).toContain('@page');
    expect(html).not.toContain('<link rel="stylesheet"');
  });

  it.skipIf(noPdf !== undefined)('writes an A4 PDF through headless Chromium', async () => {
    const out = path.join(tmpdir(), `planwatch-report-${process.pid}.pdf`);
    const run = await runCli('report', 'RHU', '--db', db, '--format', 'pdf', '--out', out);
    expect(run.code, run.stderr).toBe(0);
    const pdf = readFileSync(out);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // A4 is 595 × 842 points; one page for the summary and one per measure.
    expect(pdf.toString('latin1')).toMatch(/\/MediaBox \[0 0 59[45]\.\d+ 841\.\d+\]/);
    expect((pdf.toString('latin1').match(/\/Type \/Page[^s]/g) ?? []).length).toBeGreaterThan(3);
  });

  it('refuses an unknown format with exit code 2', async () => {
    const run = await runCli('report', 'RHU', '--db', db, '--format', 'docx', '--out', path.join(tmpdir(), 'x.docx'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--format must be html or pdf');
  });
});
