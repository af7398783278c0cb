import type { Command } from 'commander';

/** Each module adds one command to the program. */
export type RegisterCommand = (program: Command) => void;

/**
 * The explicit list of CLI commands, in help order, each loaded only when asked for: a command
 * line naming one loads that module alone, so `planwatch ingest` does not load the assessment
 * layer, the interface log's query builder or the server (issue 10 item 5). Help and unknown
 * commands load them all.
 */
export const COMMANDS: Record<string, () => Promise<{ register: RegisterCommand }>> = {
  start: () => import('./start.js'),
  ingest: () => import('./ingest.js'),
  fetch: () => import('./fetch.js'),
  orgs: () => import('./orgs.js'),
  series: () => import('./series.js'),
  history: () => import('./history.js'),
  league: () => import('./league.js'),
  status: () => import('./status.js'),
  targets: () => import('./targets.js'),
  backtest: () => import('./backtest.js'),
  incentive: () => import('./incentive.js'),
  report: () => import('./report.js'),
  export: () => import('./export.js'),
  spc: () => import('./spc.js'),
  serve: () => import('./serve.js'),
  interface: () => import('./interface.js'),
};

/** The commands a command line needs registered: the one it names, or every one. */
export async function commandsFor(argv: readonly string[]): Promise<RegisterCommand[]> {
  // The first word that is not an option (the program's own options take no value).
  const named = argv.slice(2).find((arg) => !arg.startsWith('-'));
  const names = named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
  return Promise.all(names.map(async (name) => (await COMMANDS[name]!()).register));
}
