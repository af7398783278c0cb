/**
 * The DM01 provider web file (data README §5), as data: the sheets, the published column names
 * and the 15 diagnostic tests. The header is on row 14 in every file seen, but it is found by
 * content and its columns by name, so a moved or reordered template still reads.
 */
export const PROVIDER_SHEET = 'Provider';
export const BY_TEST_SHEET = 'Provider by Test';
export const LAYOUT = 'dm01-provider-2024';

export const COLUMNS = {
  region: 'Regional Team Code',
  code: 'Provider Code',
  name: 'Provider Name',
  waiting: 'Total Waiting List',
  over6: 'Number waiting 6+ Weeks',
  over13: 'Number waiting 13+ Weeks',
  testId: 'Diagnostic ID',
  testName: 'Diagnostic Test Name',
} as const;

/** The national row: "Total" in the Provider Name column, no code. */
export const TOTAL_NAME = 'Total';
/** The "Period:" label of the metadata block; the month is in the next cell ("January 2025"). */
export const PERIOD_LABEL = 'Period:';

/** Raw fields: all tests, and each test with its id as a suffix ('waiting_mri'). */
export const FIELDS = { waiting: 'waiting', over6: 'waiting_6wk_plus', over13: 'waiting_13wk_plus' } as const;

export interface Dm01Test {
  /** The file's Diagnostic ID. */
  id: number;
  /** Suffix of the raw fields and measure ids. */
  key: string;
  /** Diagnostic Test Name as published. */
  name: string;
  /** Short label for tables. */
  short: string;
}

export const DM01_TESTS: readonly Dm01Test[] = [
  { id: 1, key: 'mri', name: 'Magnetic Resonance Imaging', short: 'MRI' },
  { id: 2, key: 'ct', name: 'Computed Tomography', short: 'CT' },
  { id: 3, key: 'ultrasound', name: 'Non-obstetric Ultrasound', short: 'Non-obstetric ultrasound' },
  { id: 4, key: 'barium_enema', name: 'Barium Enema', short: 'Barium enema' },
  { id: 5, key: 'dexa', name: 'DEXA Scan', short: 'DEXA scan' },
  { id: 6, key: 'audiology', name: 'Audiology - Audiology Assessments', short: 'Audiology assessments' },
  { id: 7, key: 'echocardiography', name: 'Cardiology - Echocardiography', short: 'Echocardiography' },
  { id: 8, key: 'electrophysiology', name: 'Cardiology - Electrophysiology', short: 'Cardiac electrophysiology' },
  { id: 9, key: 'neurophysiology', name: 'Neurophysiology - Peripheral Neurophysiology', short: 'Peripheral neurophysiology' },
  { id: 10, key: 'sleep_studies', name: 'Respiratory physiology - Sleep Studies', short: 'Sleep studies' },
  { id: 11, key: 'urodynamics', name: 'Urodynamics - Pressures & Flows', short: 'Urodynamics' },
  { id: 12, key: 'colonoscopy', name: 'Colonoscopy', short: 'Colonoscopy' },
  { id: 13, key: 'flexi_sigmoidoscopy', name: 'Flexi Sigmoidoscopy', short: 'Flexi sigmoidoscopy' },
  { id: 14, key: 'cystoscopy', name: 'Cystoscopy', short: 'Cystoscopy' },
  { id: 15, key: 'gastroscopy', name: 'Gastroscopy', short: 'Gastroscopy' },
];

/** Each provider's own total over its tests: the same figures as its row on the Provider sheet. */
export const TOTAL_TEST = { id: 16, name: 'Total' } as const;

export function testField(field: string, test: Pick<Dm01Test, 'key'>): string {
  return `${field}_${test.key}`;
}
