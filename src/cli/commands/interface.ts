import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { PlanwatchError } from '../../errors.js';
import { createAccount, ROLES, type Role } from '../../interface/index.js';
import { Store } from '../../store/store.js';
import { configFrom, print } from '../context.js';
import { openInterfaceForCommand } from '../interface-store.js';

/**
 * `planwatch interface add-user`: opens an account in the interface log from the command line,
 * which is how the first administrator gets in; administrators open the rest on the web page.
 * The password comes on standard input, never as an argument (arguments show in `ps` and in
 * shell history).
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
          const account = await createAccount({ db: interfaceStore.db, clock: () => new Date() }, 'start-up', {
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
}

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) {
    throw new PlanwatchError('E_USAGE', '--password-stdin reads the password from a pipe, not the terminal: read -rs PW && printf %s "$PW" | planwatch interface add-user …');
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}
