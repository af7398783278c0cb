/**
 * The monthly beds situation report's long CSV (data README §13), as data: one row per
 * organisation × metric × type, `Period,Level,Region,ICB,Org Code,Org Name,Metric,Type,Value`.
 */

export const HEADER = ['Period', 'Level', 'Region', 'ICB', 'Org Code', 'Org Name', 'Metric', 'Type', 'Value'] as const;
export type Column = (typeof HEADER)[number];

/** Published `Level` → Planwatch's level of the organisation. */
export const LEVELS: Readonly<Record<string, 'england' | 'region' | 'icb' | 'provider'>> = {
  National: 'england',
  Region: 'region',
  ICB: 'icb',
  Provider: 'provider',
};

/**
 * Counts stored, by published metric name → raw field. Occupancy rates are not stored: they are
 * occupied ÷ available, which the measures compute (and the parser checks against the rate the
 * file prints). Other metrics (critical care, covid void beds, length-of-stay shares) are read
 * and left out.
 */
export const COUNTS: Readonly<Record<string, string>> = {
  'G&A beds available': 'ga_available',
  'G&A beds occupied': 'ga_occupied',
  'G&A core beds available': 'ga_core_available',
  'G&A escalation beds available': 'ga_escalation_available',
  'Adult G&A beds available': 'adult_ga_available',
  'Adult G&A beds occupied': 'adult_ga_occupied',
  'Paediatric G&A beds available': 'paed_ga_available',
  'Paediatric G&A beds occupied': 'paed_ga_occupied',
  'Number of G&A beds occupied by patients with a length of stay of - 7 or more days': 'ga_occupied_los_7plus',
  'Number of G&A beds occupied by patients with a length of stay of - 14 or more days': 'ga_occupied_los_14plus',
  'Number of G&A beds occupied by patients with a length of stay of - 21 or more days': 'ga_occupied_los_21plus',
};

/** Published rates checked against occupied ÷ available of the same row. */
export const RATES: readonly { metric: string; occupied: string; available: string }[] = [
  { metric: 'G&A occupancy rate', occupied: 'G&A beds occupied', available: 'G&A beds available' },
  { metric: 'Adult G&A occupancy rate', occupied: 'Adult G&A beds occupied', available: 'Adult G&A beds available' },
];

/**
 * `Type`: providers are `Type 1` (a type 1 A&E) or `Other`, each provider one type; the other
 * levels publish `Type 1` and `All Type`. A field is stored for all types (`ga_available`) from
 * `All Type` rows and every provider row, and for type 1 (`ga_available_type1`) from `Type 1` rows.
 */
export const ALL_TYPES = 'All Type';
export const TYPE_1 = 'Type 1';
export const OTHER = 'Other';

export const BEDS_SITREP_2024 = {
  id: 'beds-sitrep-monthly-long-2024',
  description: 'long CSV: Period, Level, Region, ICB, Org Code, Org Name, Metric, Type, Value',
  firstSeen: '2025-01',
} as const;
