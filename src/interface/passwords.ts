import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Local-account passwords as scrypt hashes (node:crypto, no native add-on). The stored string
 * carries its own parameters — `scrypt$N$r$p$salt$hash`, base64 — so the cost can rise later
 * without invalidating old hashes, and a hash is always checked at the cost it was made with.
 */
export interface ScryptCost {
  /** CPU and memory cost: a power of two. */
  readonly N: number;
  /** Block size. */
  readonly r: number;
  /** Parallelism. */
  readonly p: number;
}

/**
 * N = 2^15, r = 8, p = 3 is one of the equivalent settings in OWASP's Password Storage Cheat
 * Sheet; it needs 32 MiB per hash where N = 2^17, p = 1 needs 128. New hashes use it unless the
 * configuration lowers N (PLANWATCH_SCRYPT_N), which only a test run should do.
 */
export const SCRYPT_COST: ScryptCost = { N: 2 ** 15, r: 8, p: 3 };
const KEY_LENGTH = 32;

/** The cost with N as configured (PLANWATCH_SCRYPT_N), or OWASP's when not. */
export function scryptCost(N: number | undefined): ScryptCost {
  return N === undefined ? SCRYPT_COST : { ...SCRYPT_COST, N };
}
const SALT_LENGTH = 16;
// scrypt needs 128 · N · r bytes; Node's default limit (32 MiB) is exactly that, so give headroom.
const MAX_MEMORY = 64 * 1024 * 1024;

function derive(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(password: string, cost: ScryptCost = SCRYPT_COST): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, KEY_LENGTH, { ...cost, maxmem: MAX_MEMORY });
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** False for a wrong password and for a stored value that is not one of our hashes. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, cost, blockSize, parallelism, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !cost || !blockSize || !parallelism || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(cost),
    r: Number(blockSize),
    p: Number(parallelism),
    maxmem: MAX_MEMORY,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * A hash of a password nobody knows, checked when the e-mail address is unknown, so that a
 * failed sign-in takes as long for an unknown address as for a wrong password (at the cost
 * accounts are hashed with).
 */
const decoys = new Map<string, Promise<string>>();
export function decoyHash(cost: ScryptCost = SCRYPT_COST): Promise<string> {
  const key = `${cost.N}$${cost.r}$${cost.p}`;
  let decoy = decoys.get(key);
  if (!decoy) decoys.set(key, (decoy = hashPassword(randomBytes(24).toString('base64'), cost)));
  return decoy;
}
