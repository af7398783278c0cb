#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { errorJson, EXIT, isPlanwatchError, type ErrorJson } from '../errors.js';
import { commandsFor, type RegisterCommand } from './commands/index.js';
import { printError, setCommandRunner } from './context.js';
import { forwardToServer } from './control.js';

/**
 * The CLI entry only parses arguments and dispatches; the work lives in the layers below.
 * One top-level catch turns known errors into their message and exit code (STYLE.md §5).
 */
export function buildProgram(commands: readonly RegisterCommand[], { json = false }: { json?: boolean } = {}): Command {
  const program = new Command('planwatch')
    .description("NHS England organisations against the operational planning guidance targets, from NHS England's own statistics.")
    .option('--debug', 'print stack traces for unexpected errors')
    .addHelpText(
      'after',
      `
Exit codes: 0 done · 1 unexpected error (a bug: please report) · 2 usage or unknown organisation/measure ·
3 input rejected, nothing stored changed, or the store is held by another process · 4 could not fetch a publication.
With --json, errors are one JSON object on stderr: {"error": {"code", "message", "file", "line", "column"}}.`,
    )
    .exitOverride()
    // With --json the top-level catch prints commander's refusal as JSON instead.
    .configureOutput({ outputError: (text, write) => (json ? undefined : write(text)) });
  for (const register of commands) register(program);
  return program;
}

/** Whether the command line asks for JSON: `--json` among the options (not after `--`). */
export function wantsJson(argv: readonly string[]): boolean {
  const options = argv.slice(2);
  const end = options.indexOf('--');
  return (end === -1 ? options : options.slice(0, end)).includes('--json');
}

export async function main(argv: string[]): Promise<number> {
  const json = wantsJson(argv);
  const program = buildProgram(await commandsFor(argv), { json });
  const fail = (text: string, body: ErrorJson, code: number) => {
    printError(json ? `${JSON.stringify(body)}\n` : text);
    return code;
  };
  try {
    // A store held by a running Planwatch server: the server runs the command (control.ts). Inside
    // the catch, since finding the server reads the configuration, which a user can get wrong.
    const served = await forwardToServer(argv);
    if (served !== undefined) return served;
    await program.parseAsync(argv);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return EXIT.ok;
      // Without --json commander has already printed its message.
      return fail('', errorJson('E_USAGE', error.message.replace(/^error: /, '')), EXIT.usage);
    }
    if (isPlanwatchError(error)) {
      return fail(`planwatch: ${error.message}\n`, errorJson(error.code, error.message, error.at), error.exitCode);
    }
    const debug = argv.includes('--debug');
    const message = (error as Error)?.message ?? String(error);
    const hint = debug ? `${(error as Error)?.stack}\n` : 'Run again with --debug for details, and please report it.\n';
    return fail(`Unexpected error: ${message}\n${hint}`, errorJson('E_UNEXPECTED', `Unexpected error: ${message}`), EXIT.unexpected);
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
