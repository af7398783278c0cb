import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/**
 * Counts failed sign-ins, in memory, three ways at once, each within its own fixed window:
 *
 * - per account from one client address: someone guessing one person's password is stopped
 *   after a few tries, while the person themselves, elsewhere, can still sign in;
 * - per account from anywhere: guessing spread over many addresses is stopped too (this one can
 *   lock an account for a window, so its limit is higher);
 * - per client address: one address trying many accounts is stopped, and only that address.
 *
 * Keys are bounded whatever is sent: the account is the SHA-256 of the lower-cased address
 * (itself cut to 320 characters, the longest an e-mail address can be), the client address is
 * cut to 64 characters. The table holds at most `maxKeys` counters, dropping the least recent, so a
 * flood of made-up addresses costs a fixed amount of memory. Successful sign-ins are not counted
 * and clear the counters of that account from that address.
 *
 * The client address is what Fastify reports as `request.ip`: the connection's, or the one a
 * configured proxy forwarded (PLANWATCH_TRUST_PROXY). Behind an unconfigured proxy every client
 * shares the proxy's address, and the per-address limit applies to them all: configure it.
 */
export interface SignInLimits {
  /** Failures allowed per account from one client address in a window. */
  perAccount: number;
  /** Failures allowed per account from all addresses together in a window. */
  perAccountAnywhere?: number;
  /** Failures allowed per client address, whatever the accounts, in a window. */
  perAddress: number;
  windowMs: number;
}

export interface SignInKeys {
  account: string;
  address: string;
}

interface Counter {
  failures: number;
  windowEnds: number;
}

export const MAX_EMAIL_LENGTH = 320;
const MAX_ADDRESS_LENGTH = 64;

/** The limiter's keys for an attempt: bounded and normalised, whatever was sent. */
export function signInKeys(email: string, clientAddress: string): SignInKeys {
  const account = createHash('sha256').update(email.slice(0, MAX_EMAIL_LENGTH).trim().toLowerCase()).digest('base64url');
  return { account, address: clientAddress.slice(0, MAX_ADDRESS_LENGTH) };
}

export class SignInLimiter {
  private readonly counters: LRUCache<string, Counter>;

  constructor(
    private readonly limits: SignInLimits,
    private readonly now: () => number = Date.now,
    maxKeys = 100_000,
  ) {
    // Windows are checked against the injected clock below, not lru-cache's TTL timers, so
    // tests can move time; the cache only bounds the table, dropping the least recently failed.
    this.counters = new LRUCache<string, Counter>({ max: maxKeys });
  }

  /** How many counters are held: what the limiter costs in memory. */
  get size(): number {
    return this.counters.size;
  }

  /** Seconds until the attempt may be made, or 0 when it may be made now. */
  waitSeconds(keys: SignInKeys): number {
    const now = this.now();
    let wait = 0;
    for (const [key, max] of this.limited(keys)) {
      const counter = this.current(key, now);
      if (counter && counter.failures >= max) wait = Math.max(wait, Math.ceil((counter.windowEnds - now) / 1000));
    }
    return wait;
  }

  fail(keys: SignInKeys): void {
    const now = this.now();
    for (const [key] of this.limited(keys)) {
      const counter = this.current(key, now) ?? { failures: 0, windowEnds: now + this.limits.windowMs };
      counter.failures += 1;
      this.counters.set(key, counter);
    }
  }

  succeed(keys: SignInKeys): void {
    this.counters.delete(`from|${keys.address}|${keys.account}`);
  }

  private limited(keys: SignInKeys): [string, number][] {
    return [
      [`from|${keys.address}|${keys.account}`, this.limits.perAccount],
      [`account|${keys.account}`, this.limits.perAccountAnywhere ?? this.limits.perAccount * 5],
      [`address|${keys.address}`, this.limits.perAddress],
    ];
  }

  private current(key: string, now: number): Counter | undefined {
    const counter = this.counters.get(key);
    if (counter && counter.windowEnds <= now) {
      this.counters.delete(key);
      return undefined;
    }
    return counter;
  }
}
