import { describe, expect, it } from 'vitest';
import { SignInLimiter, signInKeys } from '../../../../src/server/routes/interface/sign-in-limiter.js';

describe('signInKeys(email, clientAddress)', () => {
  it('keys a 1 MB address by a short hash of its lower-cased, length-capped form', () => {
    const huge = signInKeys(`${'A'.repeat(1_000_000)}@example.nhs.uk`, '10.0.0.1');
    expect(huge.account.length).toBeLessThanOrEqual(64);
    expect(signInKeys(' Lead.RA1@Example.NHS.uk ', '10.0.0.1').account).toBe(signInKeys('lead.ra1@example.nhs.uk', '10.0.0.1').account);
    expect(signInKeys('x@example.nhs.uk', 'f'.repeat(10_000)).address.length).toBeLessThanOrEqual(64);
  });
});

describe('SignInLimiter', () => {
  const limits = { perAccount: 3, perAccountAnywhere: 5, perAddress: 4, windowMs: 60_000 };

  it('stops one account from one address, but not its owner elsewhere', () => {
    const limiter = new SignInLimiter(limits, () => 0);
    const attacker = signInKeys('lead@example.nhs.uk', '10.0.0.1');
    for (let i = 0; i < 3; i += 1) limiter.fail(attacker);
    expect(limiter.waitSeconds(attacker)).toBe(60);
    expect(limiter.waitSeconds(signInKeys('lead@example.nhs.uk', '10.0.0.2'))).toBe(0);
  });

  it('stops one account guessed from many addresses', () => {
    const limiter = new SignInLimiter(limits, () => 0);
    for (let i = 0; i < 5; i += 1) limiter.fail(signInKeys('lead@example.nhs.uk', `10.0.1.${i}`));
    expect(limiter.waitSeconds(signInKeys('lead@example.nhs.uk', '10.0.2.1'))).toBe(60);
  });

  it('stops an address trying many accounts, and only that address', () => {
    const limiter = new SignInLimiter(limits, () => 0);
    for (const name of ['a', 'b', 'c', 'd']) limiter.fail(signInKeys(`${name}@example.nhs.uk`, '10.0.0.9'));
    expect(limiter.waitSeconds(signInKeys('e@example.nhs.uk', '10.0.0.9'))).toBe(60);
    expect(limiter.waitSeconds(signInKeys('e@example.nhs.uk', '10.0.0.8'))).toBe(0);
  });

  it('forgets failures when the window ends', () => {
    let now = 0;
    const limiter = new SignInLimiter(limits, () => now);
    const keys = signInKeys('lead@example.nhs.uk', '10.0.0.1');
    for (let i = 0; i < 3; i += 1) limiter.fail(keys);
    now = 60_000;
    expect(limiter.waitSeconds(keys)).toBe(0);
  });

  it('holds a bounded number of counters however many addresses are tried', () => {
    const limiter = new SignInLimiter(limits, () => 0, 1000);
    for (let i = 0; i < 5000; i += 1) limiter.fail(signInKeys(`${i}.${'x'.repeat(10_000)}@example.nhs.uk`, `10.${i >> 8}.${i & 255}.1`));
    expect(limiter.size).toBeLessThanOrEqual(1000);
  });
});
