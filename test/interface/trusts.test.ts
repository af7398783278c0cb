import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTrust, trustsOfIcb, upsertTrustIcbMapping } from '../../src/interface/trusts.js';
import { expectPlanwatchError } from '../helpers/errors.js';
import { backends, OPEN_TIMEOUT_MS, type TestStore } from './helpers/stores.js';

describe.each(backends)('upsertTrustIcbMapping(ctx, rows) on $name', (backend) => {
  let test: TestStore;
  beforeAll(async () => {
    test = await backend.open();
  }, OPEN_TIMEOUT_MS);
  afterAll(() => test.close());

  const mapping = [
    { trustCode: 'RA1', trustName: 'Synthetic Alpha Trust', icbCode: 'QAA', icbName: 'Synthetic Alpha ICB' },
    { trustCode: 'RA2', trustName: 'Synthetic Second Trust', icbCode: 'QAA', icbName: 'Synthetic Alpha ICB' },
  ];

  it('writes and audits new and changed rows only, and keeps trusts the source no longer lists', async () => {
    expect(await upsertTrustIcbMapping(test.ctx, mapping)).toBe(2);
    expect(await upsertTrustIcbMapping(test.ctx, mapping)).toBe(0);
    const moved = { trustCode: 'RA2', trustName: 'Synthetic Second Trust', icbCode: 'QBB', icbName: 'Synthetic Beta ICB' };
    expect(await upsertTrustIcbMapping(test.ctx, [moved])).toBe(1);
    expect((await trustsOfIcb(test.ctx, 'QAA')).map((trust) => trust.trustCode)).toEqual(['RA1']);
    expect(await findTrust(test.ctx, 'RA2')).toEqual(moved);
    const audit = await test.ctx.db.selectFrom('audit_log').selectAll().where('entity_id', '=', 'RA2').orderBy('id').execute();
    expect(audit.map((entry) => [entry.actor, entry.action])).toEqual([
      ['ods source', 'trust_icb.upsert'],
      ['ods source', 'trust_icb.upsert'],
    ]);
    expect(audit[1]).toMatchObject({ before: { icb_code: 'QAA' }, after: { icb_code: 'QBB' } });
  });

  it('refuses codes that are not ODS codes and writes nothing', async () => {
    await expectPlanwatchError(
      () => upsertTrustIcbMapping(test.ctx, [{ trustCode: 'RA9', trustName: 'x', icbCode: 'QCC', icbName: 'y' }, { trustCode: 'r a1', trustName: 'x', icbCode: 'QAA', icbName: 'y' }]),
      'E_INVALID',
    );
    expect(await findTrust(test.ctx, 'RA9')).toBeUndefined();
  });
});
