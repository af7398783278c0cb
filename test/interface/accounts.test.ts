import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callerForAccount,
  createAccount,
  disableAccount,
  ensureAdministrator,
  listAccounts,
  setPassword,
  signInWithOidc,
  signInWithPassword,
} from '../../src/interface/accounts.js';
import { expectPlanwatchError } from '../helpers/errors.js';
import { backends, OPEN_TIMEOUT_MS, scryptTimeout, type TestStore } from './helpers/stores.js';
import { ADMIN_PASSWORD, openSeeded, type World } from './helpers/world.js';

describe.each(backends)('accounts on $name', (backend) => {
  let test: TestStore;
  let world: World;
  beforeAll(async () => ({ test, world } = await openSeeded(backend)), OPEN_TIMEOUT_MS);
  afterAll(() => test.close());

  // At most seven scrypt derivations a test: hashes of new passwords, checks, the decoy hash.
  describe('signInWithPassword(ctx, email, password)', { timeout: scryptTimeout(7) }, () => {
    it('signs the administrator in whatever the case of the address, and nobody with a wrong password', async () => {
      const caller = await signInWithPassword(test.ctx, ' Admin@Example.NHS.uk ', ADMIN_PASSWORD);
      expect(caller).toMatchObject({ role: 'administrator', accountId: world.admin.accountId });
      expect(await signInWithPassword(test.ctx, 'admin@example.nhs.uk', `${ADMIN_PASSWORD}!`)).toBeUndefined();
      expect(await signInWithPassword(test.ctx, 'nobody@example.nhs.uk', ADMIN_PASSWORD)).toBeUndefined();
    });

    it('does not sign in an account that has no password (one for OpenID Connect only)', async () => {
      expect(await signInWithPassword(test.ctx, 'practice.a@example.nhs.uk', '')).toBeUndefined();
    });

    it('signs in with a password set later, and stops a disabled account at once', async () => {
      const account = await createAccount(test.ctx, world.admin, {
        email: 'temp.lead@example.nhs.uk',
        displayName: 'Synthetic temporary lead',
        role: 'trust_lead',
        organisationCode: 'ra2',
        password: 'first synthetic password',
      });
      const signedIn = await signInWithPassword(test.ctx, 'temp.lead@example.nhs.uk', 'first synthetic password');
      expect(signedIn).toMatchObject({ role: 'trust_lead', trustCode: 'RA2' });
      if (!signedIn) return;
      await setPassword(test.ctx, signedIn, account.id, 'second synthetic password');
      expect(await signInWithPassword(test.ctx, 'temp.lead@example.nhs.uk', 'first synthetic password')).toBeUndefined();
      expect(await signInWithPassword(test.ctx, 'temp.lead@example.nhs.uk', 'second synthetic password')).toBeDefined();
      await disableAccount(test.ctx, world.admin, account.id);
      expect(await signInWithPassword(test.ctx, 'temp.lead@example.nhs.uk', 'second synthetic password')).toBeUndefined();
      expect(await callerForAccount(test.ctx, account.id)).toBeUndefined();
    });
  });

  describe('createAccount(ctx, caller, input)', { timeout: scryptTimeout(2) }, () => {
    it('lets only an administrator open accounts', async () => {
      for (const caller of [world.practiceA, world.leadRA1, world.reviewerQAA]) {
        await expectPlanwatchError(
          () => createAccount(test.ctx, caller, { email: 'x@example.nhs.uk', displayName: 'X', role: 'administrator' }),
          'E_FORBIDDEN',
        );
      }
    });

    it.each([
      ['a practice without a practice code', { role: 'practice', organisationCode: 'RA1' }, 'organisationCode'],
      ['a trust lead for an unknown trust', { role: 'trust_lead', organisationCode: 'RZZ' }, 'organisationCode'],
      ['an ICB reviewer for an ICB with no trusts', { role: 'icb_reviewer', organisationCode: 'QZZ' }, 'organisationCode'],
      ['a short password', { role: 'administrator', password: 'short' }, 'password'],
      ['an address that is not one', { role: 'administrator', email: 'not an address' }, 'email'],
    ] as const)('refuses %s', async (_, overrides, column) => {
      await expectPlanwatchError(
        () => createAccount(test.ctx, world.admin, { email: 'new@example.nhs.uk', displayName: 'Synthetic', ...overrides }),
        'E_INVALID',
        { file: 'account', column },
      );
    });

    it.each([
      ['an NHS number in the name', { displayName: 'Synthetic 943\u2013476\u20135919' }, 'displayName'],
      ['an NHS number in the address', { email: '9434765919@example.nhs.uk' }, 'email'],
      ['an NHS number in the address, dotted', { email: 'x.943.476.5919@example.nhs.uk' }, 'email'],
    ] as const)('refuses %s, opening nothing', async (_, overrides, column) => {
      const before = await test.ctx.db.selectFrom('accounts').select('id').execute();
      await expectPlanwatchError(
        () => createAccount(test.ctx, world.admin, { email: 'new@example.nhs.uk', displayName: 'Synthetic', role: 'administrator', ...overrides }),
        'E_PATIENT_DATA',
        { file: 'account', column },
      );
      expect(await test.ctx.db.selectFrom('accounts').select('id').execute()).toEqual(before);
    });

    it('refuses a second account for one address', async () => {
      await expectPlanwatchError(
        () => createAccount(test.ctx, world.admin, { email: 'PRACTICE.A@example.nhs.uk', displayName: 'Again', role: 'practice', organisationCode: 'A81001' }),
        'E_CONFLICT',
        { column: 'email' },
      );
    });

    it('audits the new account without its password hash', async () => {
      const account = await createAccount(test.ctx, world.admin, {
        email: 'audited@example.nhs.uk',
        displayName: 'Synthetic audited',
        role: 'icb_reviewer',
        organisationCode: 'QBB',
        password: 'synthetic audited password',
      });
      const audit = await test.ctx.db.selectFrom('audit_log').selectAll().where('entity', '=', 'account').where('entity_id', '=', String(account.id)).execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ action: 'account.create', account_id: world.admin.accountId, after: { hasPassword: true, organisationCode: 'QBB' } });
      expect(JSON.stringify(audit[0]?.after)).not.toContain('scrypt');
    });
  });

  describe('ensureAdministrator(ctx, input)', { timeout: scryptTimeout(2) }, () => {
    it('does nothing when the administrator already exists', async () => {
      const before = await listAccounts(test.ctx, world.admin);
      await ensureAdministrator(test.ctx, { email: 'admin@example.nhs.uk', displayName: 'Changed', password: 'another synthetic password' });
      expect(await listAccounts(test.ctx, world.admin)).toEqual(before);
      expect(await signInWithPassword(test.ctx, 'admin@example.nhs.uk', ADMIN_PASSWORD)).toBeDefined();
    });
  });

  describe('signInWithOidc(ctx, identity)', () => {
    const issuer = 'https://login.example.test/tenant/v2.0';

    it('links a first sign-in to the account with that address, then recognises the subject alone', async () => {
      const first = await signInWithOidc(test.ctx, { issuer, subject: 'subject-ra1', email: 'Lead.RA1@example.nhs.uk' });
      expect(first).toMatchObject({ accountId: world.leadRA1.accountId, role: 'trust_lead', trustCode: 'RA1' });
      const later = await signInWithOidc(test.ctx, { issuer, subject: 'subject-ra1', email: 'renamed@example.nhs.uk' });
      expect(later?.accountId).toBe(world.leadRA1.accountId);
    });

    it('gives nobody an account by signing in, and does not relink a linked account to another subject', async () => {
      expect(await signInWithOidc(test.ctx, { issuer, subject: 'stranger', email: 'stranger@example.nhs.uk' })).toBeUndefined();
      expect(await signInWithOidc(test.ctx, { issuer, subject: 'impostor', email: 'lead.ra1@example.nhs.uk' })).toBeUndefined();
      expect(await signInWithOidc(test.ctx, { issuer, subject: 'no-address', email: undefined })).toBeUndefined();
    });
  });

  describe('setPassword(ctx, caller, accountId, password)', { timeout: scryptTimeout(7) }, () => {
    it('lets people change only their own password, unless they administer', async () => {
      await expectPlanwatchError(() => setPassword(test.ctx, world.practiceA, world.practiceB.accountId, 'synthetic long password'), 'E_FORBIDDEN');
      await setPassword(test.ctx, world.admin, world.practiceB.accountId, 'synthetic long password');
      expect(await signInWithPassword(test.ctx, 'practice.b@example.nhs.uk', 'synthetic long password')).toMatchObject({ practiceCode: 'B82002' });
    });
  });
});
