import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteSession, readSession, serverSecret, writeSession } from '../../src/interface/sessions.js';
import { listTrusts } from '../../src/interface/trusts.js';
import { backends, OPEN_TIMEOUT_MS, type TestStore } from './helpers/stores.js';
import { openSeeded, type World } from './helpers/world.js';

describe.each(backends)('sessions and server secrets on $name', (backend) => {
  let test: TestStore;
  let world: World;
  beforeAll(async () => ({ test, world } = await openSeeded(backend)), OPEN_TIMEOUT_MS);
  afterAll(() => test.close());

  const hour = 3_600_000;
  const later = (hours: number) => new Date(test.clock().getTime() + hours * hour);

  it('reads back what was written, until it expires or is deleted', async () => {
    await writeSession(test.ctx, 'session-one', { data: { accountId: world.practiceA.accountId, _csrf: 'x' }, accountId: world.practiceA.accountId, expiresAt: later(8) });
    expect(await readSession(test.ctx, 'session-one')).toEqual({ accountId: world.practiceA.accountId, _csrf: 'x' });
    await writeSession(test.ctx, 'session-one', { data: { accountId: world.practiceA.accountId, _csrf: 'y' }, accountId: world.practiceA.accountId, expiresAt: later(8) });
    expect(await readSession(test.ctx, 'session-one')).toMatchObject({ _csrf: 'y' });
    await deleteSession(test.ctx, 'session-one');
    expect(await readSession(test.ctx, 'session-one')).toBeUndefined();

    await writeSession(test.ctx, 'session-two', { data: {}, accountId: null, expiresAt: later(1) });
    test.clock.advanceDays(1);
    expect(await readSession(test.ctx, 'session-two')).toBeUndefined();
  });

  it('stores only a hash of the session id, and sweeps expired sessions away', async () => {
    await writeSession(test.ctx, 'session-three', { data: {}, accountId: null, expiresAt: later(1) });
    const rows = await test.ctx.db.selectFrom('sessions').select('id_hash').execute();
    expect(rows.map((row) => row.id_hash)).toEqual([createHash('sha256').update('session-three').digest('hex')]);
  });

  it('makes a secret once and gives every later caller the same one', async () => {
    const first = await serverSecret(test.ctx, 'session');
    expect(first.length).toBeGreaterThanOrEqual(64);
    expect(await serverSecret(test.ctx, 'session')).toBe(first);
    expect(await serverSecret(test.ctx, 'other')).not.toBe(first);
  });

  it('lists every trust by ICB, then name', async () => {
    expect((await listTrusts(test.ctx)).map((trust) => trust.trustCode)).toEqual(['RA2', 'RA1', 'RB1']);
  });
});
