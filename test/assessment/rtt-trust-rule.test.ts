import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getLeague, getStatus } from '../../src/assessment/index.js';
import { ingestFile } from '../../src/store/ingest.js';
import { Store } from '../../src/store/store.js';
import { IS_ROWS, PROVIDER_ROWS, providerRow, incompleteProviderSheets, providerSheetRows } from '../fixtures/rtt/synthetic-incomplete-provider.js';
import { writeWorkbook } from '../helpers/xlsx.js';

/**
 * The MTPF's trust RTT rule (max(65%, March 2026 + 7 points), due March 2027) on two synthetic
 * Incomplete Provider workbooks: every trust with a March 2026 figure gets its own threshold;
 * a trust without one is named as lacking its baseline.
 */
describe('the 2026/27 trust RTT rule (synthetic Incomplete Provider workbooks)', () => {
  let store: Store;
  // R3X reports only in September 2026: no baseline. Its list: 10 within 18 weeks, 10 over.
  const r3x = [
    providerRow('Y63', 'R3X', 'SYNTHETIC NEW NHS TRUST', 'C_100', 'General Surgery Service', { 0: 10, 30: 10 }),
    providerRow('Y63', 'R3X', 'SYNTHETIC NEW NHS TRUST', 'C_999', 'Total', { 0: 10, 30: 10 }),
  ];
  beforeAll(async () => {
    store = await Store.open(':memory:');
    for (const [name, period, rows] of [['Incomplete-Provider-Mar26-synthetic.xlsx', 'March 2026', PROVIDER_ROWS], ['Incomplete-Provider-Sep26-synthetic.xlsx', 'September 2026', [...PROVIDER_ROWS, ...r3x]]] as const) {
      await ingestFile(store, { name, bytes: await writeWorkbook(incompleteProviderSheets({ provider: providerSheetRows([...rows], { period }), is: providerSheetRows(IS_ROWS, { caption: 'Independent Sector Provider Level Data', period }) })) });
    }
  });
  afterAll(() => store.close());

  it('gives each trust with a baseline its own threshold, and says which have none', async () => {
    const league = await getLeague(store, 'rtt_18wk', { level: 'trust', period: '2026-09' });
    expect(league.target?.id).toBe('mtpf-rtt-18wk-trust-2627');
    const byOrg = new Map(league.rows.map((row) => [row.org, row]));
    for (const org of ['R0X', 'R2X']) {
      const status = await getStatus(store, org, { asOf: '2026-09' });
      const line = status.lines.find((l) => l.targetId === 'mtpf-rtt-18wk-trust-2627')!;
      const baseline = Number(/baseline 2026-03: ([\d.]+)/.exec(line.note ?? '')![1]);
      expect(line.threshold, org).toBeCloseTo(Math.max(65, baseline + 7), 0);
      expect(byOrg.get(org)!.threshold).toBeCloseTo(line.threshold!, 9);
    }
    const r3xLine = (await getStatus(store, 'R3X', { asOf: '2026-09' })).lines.find((l) => l.targetId === 'mtpf-rtt-18wk-trust-2627')!;
    expect(r3xLine).toMatchObject({ threshold: null, met: null });
    expect(r3xLine.note).toContain('no figure for the baseline month 2026-03');
    expect(byOrg.get('R3X')!.threshold).toBeNull();
  });
});
