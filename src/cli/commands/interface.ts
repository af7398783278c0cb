import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { PlanwatchError } from '../../errors.js';
// From their own modules, not interface/index.js, which also loads the database drivers
// (PGlite's WebAssembly, pg): those load only when an interface command runs (issue 10 item 5).
import { createAccount, disableAccount, enableAccount, endSessions, findAccount, listSessions, setPassword } from '../../interface/accounts.js';
import type { InterfaceContext } from '../../interface/context.js';
import { scryptCost } from '../../interface/passwords.js';
import { redactIssueField, REDACTABLE_FIELDS } from '../../interface/redaction.js';
import { ROLES, type Role } from '../../interface/schema.js';
import { Store } from '../../store/store.js';
import { configFrom, print, printJson } from '../context.js';
import type { Config } from '../../config.js';

async function openInterfaceForCommand(...args: [Config, Store | undefined]) {
  const { openInterfaceForCommand: open } = await import('../interface-store.js');
  return open(...args);
}

/**
 * `planwatch interface add-user`: opens an account in the interface log from the command line,
 * which is how the first administrator gets in; administrators open the rest on the web page.
 * The password comes on standard input, never as an argument (arguments show in `ps` and in
 * shell history). The account lifecycle (disable, enable, reset a password, list and end
 * sessions) and redaction are here too, for the operator; each is audited as "command line".
 */
export function register(program: Command): void {
  const group = program.command('interface').description('the primary–secondary care interface log (issue 7)');
  group
    .command('add-user')
    .description('open an account: an administrator, a GP practice, a trust interface lead or an ICB reviewer')
    .requiredOption('--email <address>', 'the address the person signs in with')
    .requiredOption('--name <name>', 'their name, as pages and the audit log show it')
    .addOption(new Option('--role <role>', 'what the account may see and do').choices([...ROLES]).makeOptionMandatory())
    .option('--org <code>', "ODS code of the practice (A81001), trust (RXX) or ICB (QWE); not for an administrator")
    .option('--password-stdin', 'read a password for a local account from standard input (otherwise the person signs in through OpenID Connect)')
    .option('--db <path>', 'DuckDB store file whose ODS facts list the trusts and ICBs (default ./planwatch.duckdb or PLANWATCH_DB)')
    .action(async (options: { email: string; name: string; role: Role; org?: string; passwordStdin?: boolean; db?: string }) => {
      const config = configFrom(options);
      const password = options.passwordStdin ? await readPassword() : undefined;
      // The trust → ICB table is filled from the DuckDB store's ODS facts, so a trust lead or an
      // ICB reviewer can be opened before the server has ever run.
      const store = existsSync(config.dbPath) ? await Store.open(config.dbPath, { readOnly: true }) : undefined;
      try {
        const interfaceStore = await openInterfaceForCommand(config, store);
        try {
          const account = await createAccount({ db: interfaceStore.db, clock: () => new Date(), passwordCost: scryptCost(config.scryptN) }, 'start-up', {
            email: options.email,
            displayName: options.name,
            role: options.role,
            ...(options.org ? { organisationCode: options.org } : {}),
            ...(password !== undefined ? { password } : {}),
          });
          const scope = account.organisationCode ? ` for ${account.organisationCode}` : '';
          const signIn = account.hasPassword ? 'with this password' : 'through the OpenID Connect provider';
          print(`Opened ${account.role.replace('_', ' ')} account ${account.id} for ${account.email}${scope}; they sign in ${signIn}.`);
        } finally {
          await interfaceStore.close();
        }
      } finally {
        store?.close();
      }
    });

  const byEmail = (name: string, description: string) =>
    group
      .command(name)
      .description(description)
      .requiredOption('--email <address>', 'the account’s address')
      .option('--db <path>', 'DuckDB store file beside which the interface log lives (default ./planwatch.duckdb or PLANWATCH_DB)')
      .option('--json', 'print JSON (and errors as JSON on stderr)');

  byEmail('disable-user', 'disable an account: its sessions end at once and it cannot sign in').action(async (options: LogOptions) =>
    withInterfaceLog(options, async (ctx) => {
      const account = await findAccount(ctx, options.email);
      await disableAccount(ctx, 'command line', account.id);
      print(`Disabled account ${account.id} (${account.email}); its sessions have ended.`);
    }));

  byEmail('enable-user', 're-enable a disabled account').action(async (options: LogOptions) =>
    withInterfaceLog(options, async (ctx) => {
      const account = await findAccount(ctx, options.email);
      await enableAccount(ctx, 'command line', account.id);
      print(`Re-enabled account ${account.id} (${account.email}).`);
    }));

  byEmail('reset-password', "set a new password for an account (read from standard input); its sessions end")
    .requiredOption('--password-stdin', 'read the new password from standard input')
    .action(async (options: LogOptions) => {
      const password = await readPassword();
      await withInterfaceLog(options, async (ctx) => {
        const account = await findAccount(ctx, options.email);
        await setPassword(ctx, 'command line', account.id, password);
        print(`Set a new password for account ${account.id} (${account.email}); its sessions have ended.`);
      });
    });

  byEmail('sessions', "list an account's signed-in sessions")
    .action(async (options: LogOptions & { json?: boolean }) =>
      withInterfaceLog(options, async (ctx) => {
        const account = await findAccount(ctx, options.email);
        const sessions = await listSessions(ctx, 'command line', account.id);
        if (options.json) return printJson({ account: account.email, sessions });
        if (sessions.length === 0) return print(`${account.email} has no signed-in sessions.`);
        print(sessions.map((session) => `${session.id}  until ${session.expiresAt.toISOString()}`).join('\n'));
      }));

  byEmail('end-sessions', "end an account's sessions: all of them, or the one named")
    .option('--session <id>', 'the session to end, as `planwatch interface sessions` lists it')
    .action(async (options: LogOptions & { session?: string }) =>
      withInterfaceLog(options, async (ctx) => {
        const account = await findAccount(ctx, options.email);
        const ended = await endSessions(ctx, 'command line', account.id, options.session);
        print(`Ended ${ended} session${ended === 1 ? '' : 's'} of ${account.email}.`);
      }));

  group
    .command('redact')
    .description("overwrite one field of a report, in the report and in every audit-log copy (the redaction is audited without the text)")
    .requiredOption('--report <id>', 'the report’s number, as its page shows it')
    .requiredOption('--field <field>', `the field to redact: ${Object.keys(REDACTABLE_FIELDS).join(', ')}`)
    .option('--reason <text>', 'why, for the audit log (do not repeat the text being removed)')
    .option('--db <path>', 'DuckDB store file beside which the interface log lives (default ./planwatch.duckdb or PLANWATCH_DB)')
    .option('--json', 'print JSON (and errors as JSON on stderr)')
    .action(async (options: { report: string; field: string; reason?: string; db?: string; json?: boolean }) => {
      // Checked before the log is opened: a mistyped report or field is a usage error (exit 2).
      if (!/^[1-9][0-9]{0,9}$/.test(options.report)) throw new PlanwatchError('E_USAGE', `--report: "${options.report}" is not a report number.`);
      if (!Object.hasOwn(REDACTABLE_FIELDS, options.field)) {
        throw new PlanwatchError('E_USAGE', `--field: "${options.field}" is not a field that can be redacted; choose one of ${Object.keys(REDACTABLE_FIELDS).join(', ')}.`);
      }
      const id = Number(options.report);
      await withInterfaceLog(options, async (ctx) => {
        await redactIssueField(ctx, 'command line', id, options.field, options.reason);
        if (options.json) return printJson({ report: id, field: options.field, redacted: true });
        print(`Redacted ${options.field} of report ${id}, in the report and in every audit-log copy.`);
      });
    });
}

interface LogOptions {
  email: string;
  db?: string;
}

/** Opens the interface log for one command and always closes it. */
async function withInterfaceLog(options: { db?: string }, work: (ctx: InterfaceContext) => Promise<void>): Promise<void> {
  const config = configFrom(options);
  const interfaceStore = await openInterfaceForCommand(config, undefined);
  try {
    await work({ db: interfaceStore.db, clock: () => new Date(), passwordCost: scryptCost(config.scryptN) });
  } finally {
    await interfaceStore.close();
  }
}

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) {
    throw new PlanwatchError('E_USAGE', '--password-stdin reads the password from a pipe, not the terminal: read -rs PW && printf %s "$PW" | planwatch interface add-user …');
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}
