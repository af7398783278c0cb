import { describe, expect, it } from 'vitest';
import { decoyHash, hashPassword, scryptCost, verifyPassword } from '../../src/interface/passwords.js';
import { scryptTimeout } from './helpers/stores.js';

// The one file that hashes at OWASP's cost, as accounts are hashed outside tests; at most four
// scrypt derivations a test, and the limit grows with them (helpers/stores.ts).
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

  it('hashes at a lower configured cost, and checks every hash at the cost it records', async () => {
    const cheap = await hashPassword('synthetic passphrase', scryptCost(1024));
    expect(cheap).toMatch(/^scrypt\$1024\$8\$3\$/);
    expect(await verifyPassword('synthetic passphrase', cheap)).toBe(true);
    expect(await verifyPassword('synthetic passphrasf', cheap)).toBe(false);
    expect(scryptCost(undefined)).toEqual({ N: 32768, r: 8, p: 3 });
  });

  it('makes the decoy for unknown addresses at the cost accounts are hashed with', async () => {
    expect(await decoyHash(scryptCost(1024))).toMatch(/^scrypt\$1024\$8\$3\$/);
    expect(await decoyHash()).toMatch(/^scrypt\$32768\$8\$3\$/);
  });

  it.each(['', 'plain-text', 'bcrypt$2b$10$abc', 'scrypt$32768$8$3$onlysalt'])('rejects a stored value that is not one of its hashes: %j', async (stored) => {
    expect(await verifyPassword('anything', stored)).toBe(false);
  });
});
