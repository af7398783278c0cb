/**
 * The KH03 overnight beds web file (data README §6), as data. Columns are found by name within
 * their block (Available / Occupied), because the same sector names repeat in every block and
 * carry trailing spaces ("Total ").
 */

export const KH03_SHEET = 'NHS Trust by Sector';

/** Identity columns of the header row (row 15 in every file seen); the header is found by these. */
export const IDENTITY_COLUMNS = ['Year', 'Period End', 'Region Code', 'Org Code', 'Org Name'] as const;

/** Sector columns, as published after trimming, and the suffix of their raw field names. */
export const SECTORS: Readonly<Record<string, string>> = {
  'Total': 'total',
  'General & Acute': 'ga',
  'Learning Disabilities': 'ld',
  'Maternity': 'maternity',
  'Mental Illness': 'mental_illness',
};

/** Blocks whose figures are stored; "% Occupied" is left out because it is occupied ÷ available. */
export const BLOCKS: Readonly<Record<string, string>> = {
  Available: 'available',
  Occupied: 'occupied',
};

export interface BedsLayout {
  id: string;
  description: string;
  firstSeen: string;
  lastSeen?: string;
}

export const KH03_OVERNIGHT: BedsLayout = {
  id: 'kh03-overnight-2024',
  description: 'sheet "NHS Trust by Sector": Available, Occupied and % Occupied blocks by sector, England row first',
  firstSeen: '2024-09',
};

/** Raw field for a block and sector, e.g. ('Occupied', 'General & Acute') → 'occupied_ga'. */
export function bedsField(block: string, sector: string): string | undefined {
  const prefix = BLOCKS[block];
  const suffix = SECTORS[sector];
  return prefix && suffix ? `${prefix}_${suffix}` : undefined;
}

/** The published label of a field's column, used in messages and provenance: "Occupied: General & Acute". */
export function columnLabel(block: string, sector: string): string {
  return `${block}: ${sector}`;
}
