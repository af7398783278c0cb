/**
 * Integrated care boards. The 42 ICBs of July 2022 kept their STP codes (Q plus two characters,
 * `QMJ`); the boards formed by the April 2026 mergers carry ODS's newer five-character codes
 * (`Z9B2Z`), a shape NHS trusts now get too (`G6V2S` North London NHS FT, in the mid-2026
 * etr.csv), so an ICB cannot be told from a trust by its code alone: the new boards are listed.
 */

export interface IcbMerger {
  /** The ICB formed (or, for `QRL`, the one that took part of a predecessor). */
  icb: string;
  /** First month the board is in force ('YYYY-MM'). */
  formed: string;
  predecessors: readonly string[];
}

/**
 * The ICB changes of 1 April 2026, as the ODS successor file records them
 * (`2026-04_succ.csv`, rows with effective date 20260401: QMJ → Z9B2Z, QRV → Z9B2Z, …; data
 * README §14), and as the mid-2026 etr.csv shows them (each trust's field 4 moves from the old
 * code to the new one). QNQ (Frimley) was split three ways, part of it joining QRL (Hampshire and
 * Isle of Wight), which kept its code. The boards' names are not in either ODS file: the RTT full
 * extract for April 2026 names them (`Provider Parent Name`), and is where Planwatch reads them.
 * Used when only etr.csv is ingested, so that a trust's move to a merged board is dated to the
 * merger and not to July 2022; the successor file, when ingested, records the same links.
 */
export const ICB_MERGERS_2026: readonly IcbMerger[] = [
  { icb: 'Z9B2Z', formed: '2026-04', predecessors: ['QMJ', 'QRV'] },
  { icb: 'S9B9J', formed: '2026-04', predecessors: ['QNQ', 'QNX', 'QXU'] },
  { icb: 'S1Y5D', formed: '2026-04', predecessors: ['QHG', 'QM7', 'QUE'] },
  { icb: 'S0E4D', formed: '2026-04', predecessors: ['QNQ', 'QU9'] },
  { icb: 'D7T5G', formed: '2026-04', predecessors: ['QH8', 'QJG', 'QM7'] },
  { icb: 'T6Y0W', formed: '2026-04', predecessors: ['QJG', 'QMM'] },
  { icb: 'QRL', formed: '2026-04', predecessors: ['QNQ'] },
];

const MERGED = new Map(ICB_MERGERS_2026.map((merger) => [merger.icb, merger]));

/** The 2022 ICB code shape (Q plus two characters). */
export const ICB_2022_CODE = /^Q[A-Z0-9]{2}$/;
/** ODS's newer code shape (letter, digit, letter, digit, letter), used for new ICBs and trusts. */
export const NEW_ODS_CODE = /^[A-Z]\d[A-Z]\d[A-Z]$/;

/** Whether a code is an ICB: a 2022 code, or a board formed by a merger Planwatch knows. */
export function isIcbCode(code: string): boolean {
  return ICB_2022_CODE.test(code) || MERGED.has(code);
}

/** The first month a board formed by a merger is in force; undefined for boards of July 2022. */
export function icbFormed(code: string): string | undefined {
  // QRL kept its 2022 code when it took part of QNQ: it was not formed then.
  return ICB_2022_CODE.test(code) ? undefined : MERGED.get(code)?.formed;
}

/** Codes of every board formed by a merger, for SQL that must tell ICB rows from providers. */
export const MERGED_ICB_CODES: readonly string[] = ICB_MERGERS_2026.filter((m) => !ICB_2022_CODE.test(m.icb)).map((m) => m.icb);
