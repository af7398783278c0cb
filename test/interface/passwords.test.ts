import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../src/interface/passwords.js';
import { scryptTimeout } from './helpers/stores.js';

// At most four scrypt derivations a test: the limit grows with them (helpers/stores.ts).
describe('hashPassword(password) and verifyPassword(password, stored)', { timeout: scryptTimeout(4) }, () => {
  it('accepts the password it hashed and nothing else', async () => {
    const stored = await hashPassword('synthetic passphrase');
    expect(await verifyPassword('synthetic passphrase', stored)).toBe(true);
    expect(await verifyPassword('synthetic passphrasf', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('salts every hash and records its scrypt parameters', async () => {
    const [first, second] = await Promise.all([hashPassword('same'), hashPassword('same')]);
    expect(first).not.toBe(second);
    expect(first).toMatch(/^scrypt\$32768\$8\$3\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
  });

  it('treats composed and decomposed accents as the same password', async () => {
    const stored = await hashPassword('caf\u00e9 au lait 1');
    expect(await verifyPassword('cafe\u0301 au lait 1', stored)).toBe(true);
  });

  it.each(['', 'plain-text', 'bcrypt$2b$10$abc', 'scrypt$32768$8$3$onlysalt'])('rejects a stored value that is not one of its hashes: %j', async (stored) => {
    expect(await verifyPassword('anything', stored)).toBe(false);
  });
});
