import { isIcbCode } from '../sources/icbs.js';
import { REGIONS } from '../sources/regions.js';

/**
 * Levels of the organisation hierarchy: providers (trusts and other A&E providers) roll up to
 * ICBs and regions, and everything to England. Ambulance trusts are NHS trusts (R-codes) too; the
 * level 'ambulance_trust' is what their sources call them, and what ambulance targets apply to. A month maps to the hierarchy in force then:
 * regions come from each publication's own parent column, ICBs from dated ODS links.
 */
export type Level = 'england' | 'region' | 'icb' | 'trust' | 'provider' | 'ambulance_trust';

export const ENGLAND = 'ENG';

export function levelOfCode(code: string): Level {
  if (code === ENGLAND) return 'england';
  if (REGIONS[code]) return 'region';
  // ICB codes are Q plus two characters (QHM, QE1), or a merged board's five (Z9B2Z, April
  // 2026), which only the list of mergers tells from a new trust code; trusts are R or T plus two.
  if (isIcbCode(code)) return 'icb';
  if (/^[RT][A-Z0-9]{2}$/.test(code)) return 'trust';
  return 'provider';
}

export function regionName(code: string): string | undefined {
  return REGIONS[code];
}

export const REGION_CODES: readonly string[] = Object.keys(REGIONS);

export function isLevel(text: string): text is Level {
  return ['england', 'region', 'icb', 'trust', 'provider', 'ambulance_trust'].includes(text);
}
