#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { EXIT, isPlanwatchError } from '../errors.js';
import { commands } from './commands/index.js';
import { printError, setCommandRunner } from './context.js';
import { forwardToServer } from './control.js';

/**
 * The CLI entry only parses arguments and dispatches; the work lives in the layers below.
 * One top-level catch turns known errors into their message and exit code (STYLE.md §5).
 */
export function buildProgram(): Command {
  const program = new Command('planwatch')
    .description("NHS England organisations against the operational planning guidance targets, from NHS England's own statistics.")
    .option('--debug', 'print stack traces for unexpected errors')
    .addHelpText(
      'after',
      `
Exit codes: 0 done · 1 unexpected error (a bug: please report) · 2 usage or unknown organisation/measure ·
3 input rejected, nothing stored changed, or the store is held by another process · 4 could not fetch a publication.`,
    )
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text) });
  for (const register of commands) register(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  // A store held by a running Planwatch server: the server runs the command (control.ts).
  const served = await forwardToServer(argv);
  if (served !== undefined) return served;
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (isPlanwatchError(error)) {
      printError(`planwatch: ${error.message}\n`);
      return error.exitCode;
    }
    const debug = argv.includes('--debug');
    printError(`Unexpected error: ${(error as Error)?.message ?? String(error)}\n`);
    printError(debug ? `${(error as Error)?.stack}\n` : 'Run again with --debug for details, and please report it.\n');
    return EXIT.unexpected;
  }
}

setCommandRunner(main);

// Run only when executed, not when imported by tests.
const invokedAs = process.argv[1] ?? '';
if (invokedAs.endsWith('main.js') || invokedAs.endsWith('main.ts') || invokedAs.endsWith('planwatch')) {
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
