import path from 'node:path';
import type { Command } from 'commander';
import { PlanwatchError } from '../../errors.js';
import { cliCwd, print, printJson, withCommonOptions, withStore } from '../context.js';

export function register(program: Command): void {
  withCommonOptions(program.command('export'))
    .description('write every public page, the JSON and CSV behind it and the whole store as Parquet to a folder for any static host (README, "Publishing a static copy")')
    .option('--static <dir>', 'folder to write the static site to (empty or new)')
    .option('--force', 'write into a folder that is not empty, replacing files of the same names')
    .option('--no-reports', "leave out each organisation's board report (one page per organisation)")
    .action(async (options: { db?: string; json?: boolean; static?: string; force?: boolean; reports: boolean }) => {
      if (!options.static) throw new PlanwatchError('E_USAGE', 'planwatch export needs --static DIR: the folder to write the site to.');
      const dir = path.resolve(cliCwd(), options.static);
      // The server's pages load here, not when the CLI starts (issue 10 item 5: an ingest never needs them).
      const { exportStatic } = await import('../../server/export.js');
      const summary = await withStore(options, (store) => exportStatic({ store, dir, force: options.force ?? false, reports: options.reports }));
      if (options.json) {
        printJson(summary);
        return;
      }
      const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
      print(`Exported ${summary.pages} pages, ${summary.data} data files and ${summary.assets} assets (${mb(summary.bytes)}) to ${summary.dir} in ${(summary.ms / 1000).toFixed(1)} s.`);
      print(`Whole-store Parquet: ${summary.observations.rows} observations (${mb(summary.observations.bytes)}), ${summary.measureValues.rows} measure values (${mb(summary.measureValues.bytes)}).`);
      print(`${summary.unlinked} links to what only the live service answers (sorted or filtered tables, searches, feeds) were taken out; forms became a note.`);
      if (summary.storeChanged) print('The store changed while the export ran (an ingest committed): run it again for pages from one version of the figures.');
    });
}
