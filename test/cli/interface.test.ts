import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { signInWithPassword } from '../../src/interface/accounts.js';
import { sql } from 'kysely';
import { openInterfaceStore } from '../../src/interface/database.js';
import { reportIssue } from '../../src/interface/issues.js';
import { REDACTED } from '../../src/interface/redaction.js';
import { runCli, tempDb } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';
import { OPEN_TIMEOUT_MS, PASSWORD_COST, placeMigratedFolder } from '../interface/helpers/stores.js';
import { seedWorld, syntheticReport } from '../interface/helpers/world.js';

/**
 * `planwatch interface add-user`: how the first administrator (and anyone else) gets an account
 * from the command line, with the password on standard input.
 */
const MAIN = path.resolve(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');

function addUser(db: string, args: string[], stdin?: string) {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.PLANWATCH_INTERFACE_DIR;
  return spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'interface', 'add-user', '--db', db, ...args], { env, input: stdin ?? '', encoding: 'utf8' });
}

const interfaceDir = (db: string) => db.replace(/\.duckdb$/, '.interface');

/**
 * A store whose interface log already exists, as on any day after the first: the first test
 * has the command make the folder; the others start from a copy of a migrated one.
 */
async function dbWithInterfaceLog(): Promise<string> {
  const db = tempDb();
  await placeMigratedFolder(interfaceDir(db));
  return db;
}

describe('planwatch interface add-user', () => {
  it('opens the first administrator with a password read from standard input', async () => {
    const db = tempDb();
    const run = addUser(db, ['--email', 'Admin@Example.nhs.uk', '--name', 'Synthetic Administrator', '--role', 'administrator', '--password-stdin'], 'synthetic admin password\n');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('Opened administrator account 1 for admin@example.nhs.uk; they sign in with this password.\n');
    const store = await openInterfaceStore({ kind: 'pglite', dataDir: interfaceDir(db) });
    try {
      const ctx = { db: store.db, clock: () => new Date(), passwordCost: PASSWORD_COST };
      expect(await signInWithPassword(ctx, 'admin@example.nhs.uk', 'synthetic admin password')).toMatchObject({ role: 'administrator' });
      const audit = await store.db.selectFrom('audit_log').select(['actor', 'action']).execute();
      expect(audit).toEqual([{ actor: 'start-up', action: 'account.create' }]);
    } finally {
      await store.close();
    }
  }, OPEN_TIMEOUT_MS);

  it("opens a trust lead for a trust the store's ODS facts place in an ICB, and refuses a closed or unknown one", async () => {
    const db = await dbWithInterfaceLog();
    expect((await runCli('ingest', '--db', db, fixturePath('ods', 'synthetic-ods-etr.csv'))).code).toBe(0);
    const lead = await runCli('interface', 'add-user', '--db', db, '--email', 'lead@example.nhs.uk', '--name', 'Synthetic Lead', '--role', 'trust_lead', '--org', 'rza');
    expect(lead.code, lead.stderr).toBe(0);
    expect(lead.stdout).toContain('Opened trust lead account 1 for lead@example.nhs.uk for RZA; they sign in through the OpenID Connect provider.');
    // RZC closed in September 2024 (synthetic-ods-etr.csv): not offered to new accounts.
    const closed = await runCli('interface', 'add-user', '--db', db, '--email', 'other@example.nhs.uk', '--name', 'Synthetic Other', '--role', 'trust_lead', '--org', 'RZC');
    expect(closed.code).toBe(3);
    expect(closed.stderr).toContain('Organisation code: enter the ODS code of a known NHS trust, like RXX (RZC is not one).');
    const again = await runCli('interface', 'add-user', '--db', db, '--email', 'lead@example.nhs.uk', '--name', 'Synthetic Lead', '--role', 'trust_lead', '--org', 'RZA');
    expect(again.code).toBe(3);
    expect(again.stderr).toContain('there is already an account for lead@example.nhs.uk');
  }, OPEN_TIMEOUT_MS * 2);

  it('says which folder cannot be made and what to change, exit 2, when the interface log has nowhere to go', async () => {
    const db = tempDb();
    // A folder inside a file: no machine can make it, root or not.
    const blocked = path.join(path.dirname(db), 'a-file');
    writeFileSync(blocked, 'synthetic: not a folder\n');
    const saved = process.env.PLANWATCH_INTERFACE_DIR;
    process.env.PLANWATCH_INTERFACE_DIR = path.join(blocked, 'planwatch.interface');
    try {
      const run = await runCli('interface', 'add-user', '--db', db, '--email', 'lead@example.nhs.uk', '--name', 'Synthetic Lead', '--role', 'administrator');
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(`The interface log's folder ${path.join(blocked, 'planwatch.interface')} cannot be made (`);
      expect(run.stderr).toContain('set PLANWATCH_INTERFACE_DIR to another folder');
      expect(run.stderr).not.toContain('Unexpected error');
    } finally {
      if (saved === undefined) delete process.env.PLANWATCH_INTERFACE_DIR;
      else process.env.PLANWATCH_INTERFACE_DIR = saved;
    }
  });

  it('refuses while another process (planwatch serve) has the interface log open', async () => {
    const db = await dbWithInterfaceLog();
    const held = await openInterfaceStore({ kind: 'pglite', dataDir: interfaceDir(db) });
    try {
      const run = addUser(db, ['--email', 'admin@example.nhs.uk', '--name', 'Synthetic Administrator', '--role', 'administrator']);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(`is open in another Planwatch process (process ${process.pid})`);
    } finally {
      await held.close();
    }
  }, OPEN_TIMEOUT_MS);
});

describe('planwatch interface disable-user, enable-user, reset-password, sessions, end-sessions', () => {
  it('walks an account through its lifecycle, auditing each step as the command line', async () => {
    const db = await dbWithInterfaceLog();
    const opened = addUser(db, ['--email', 'admin@example.nhs.uk', '--name', 'Synthetic Administrator', '--role', 'administrator', '--password-stdin'], 'synthetic admin password\n');
    expect(opened.status, opened.stderr).toBe(0);
    const store = await openInterfaceStore({ kind: 'pglite', dataDir: interfaceDir(db) });
    try {
      // A signed-in session, as the server would have written it.
      const { writeSession } = await import('../../src/interface/sessions.js');
      await writeSession({ db: store.db, clock: () => new Date() }, 'synthetic-session', { data: { accountId: 1 }, accountId: 1, expiresAt: new Date(Date.now() + 3_600_000) });
    } finally {
      await store.close();
    }
    const listed = await runCli('interface', 'sessions', '--db', db, '--email', 'Admin@example.nhs.uk', '--json');
    expect(listed.code, listed.stderr).toBe(0);
    const { sessions } = JSON.parse(listed.stdout) as { sessions: { id: string }[] };
    expect(sessions).toHaveLength(1);
    const ended = await runCli('interface', 'end-sessions', '--db', db, '--email', 'admin@example.nhs.uk', '--session', sessions[0]!.id);
    expect(ended.stdout).toBe('Ended 1 session of admin@example.nhs.uk.\n');
    expect((await runCli('interface', 'disable-user', '--db', db, '--email', 'admin@example.nhs.uk')).code).toBe(0);
    const reset = spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'interface', 'reset-password', '--db', db, '--email', 'admin@example.nhs.uk', '--password-stdin'], {
      env: Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'DATABASE_URL' && name !== 'PLANWATCH_INTERFACE_DIR')),
      input: 'a new synthetic password\n',
      encoding: 'utf8',
    });
    expect(reset.status, reset.stderr).toBe(0);
    expect((await runCli('interface', 'enable-user', '--db', db, '--email', 'admin@example.nhs.uk')).code).toBe(0);
    const unknown = await runCli('interface', 'disable-user', '--db', db, '--email', 'nobody@example.nhs.uk', '--json');
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stderr)).toMatchObject({ error: { code: 'E_NOT_FOUND' } });
    const check = await openInterfaceStore({ kind: 'pglite', dataDir: interfaceDir(db) });
    try {
      const audit = await check.db.selectFrom('audit_log').select(['actor', 'action']).orderBy('id').execute();
      expect(audit).toEqual([
        { actor: 'start-up', action: 'account.create' },
        { actor: 'command line', action: 'account.end_sessions' },
        { actor: 'command line', action: 'account.disable' },
        { actor: 'command line', action: 'account.reset_password' },
        { actor: 'command line', action: 'account.enable' },
      ]);
      expect(await signInWithPassword({ db: check.db, clock: () => new Date() }, 'admin@example.nhs.uk', 'a new synthetic password')).toBeDefined();
    } finally {
      await check.close();
    }
  }, OPEN_TIMEOUT_MS * 4);
});


describe('planwatch interface redact', () => {
  it('overwrites a field in the report and its audit copies, audited as the command line with the reason; refuses unknown reports and fields', async () => {
    const db = await dbWithInterfaceLog();
    const slipped = 'Synthetic: the patient Ada Example waited nine hours.';
    const seed = await openInterfaceStore({ kind: 'pglite', dataDir: interfaceDir(db) });
    let id: number;
    try {
      const ctx = { db: seed.db, clock: () => new Date(), passwordCost: PASSWORD_COST };
      const world = await seedWorld(ctx);
      id = (await reportIssue(ctx, world.practiceA, syntheticReport({ whatHappened: slipped }))).id;
    } finally {
      await seed.close();
    }
    const unknownField = await runCli('interface', 'redact', '--db', db, '--report', String(id), '--field', 'status');
    expect(unknownField.code).toBe(2);
    expect(unknownField.stderr).toContain('"status" is not a field that can be redacted; choose one of specialty, whatHappened, workload, response, actionTaken');
    const unknownReport = await runCli('interface', 'redact', '--db', db, '--report', '999999', '--field', 'workload', '--json');
    expect(unknownReport.code).toBe(2);
    expect(JSON.parse(unknownReport.stderr)).toMatchObject({ error: { code: 'E_NOT_FOUND', message: 'There is no report 999999.' } });
    const empty = await runCli('interface', 'redact', '--db', db, '--report', String(id), '--field', 'response');
    expect(empty.code).toBe(3);
    expect(empty.stderr).toContain('has nothing in that field to redact');

    const redacted = await runCli('interface', 'redact', '--db', db, '--report', String(id), '--field', 'whatHappened', '--reason', 'patient named in the text');
    expect(redacted.code, redacted.stderr).toBe(0);
    expect(redacted.stdout).toBe(`Redacted whatHappened of report ${id}, in the report and in every audit-log copy.\n`);
    const check = await openInterfaceStore({ kind: 'pglite', dataDir: interfaceDir(db) });
    try {
      const issue = await check.db.selectFrom('issues').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      expect(issue.what_happened).toBe(REDACTED);
      const audit = await sql<{ text: string }>`select coalesce(before::text, '') || coalesce(after::text, '') as text from audit_log where entity = 'issue'`.execute(check.db);
      expect(audit.rows.map((row) => row.text).join('')).not.toContain('Ada Example');
      const redaction = await check.db.selectFrom('audit_log').selectAll().where('action', '=', 'issue.redact').execute();
      expect(redaction).toHaveLength(1);
      expect(redaction[0]).toMatchObject({ actor: 'command line', entity_id: String(id), after: { field: 'whatHappened', text: REDACTED, reason: 'patient named in the text' } });
    } finally {
      await check.close();
    }
  }, OPEN_TIMEOUT_MS * 4);
});
