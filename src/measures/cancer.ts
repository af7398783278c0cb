import { CWT_FIELDS, D62_AFTER_104_FIELD, type StandardId } from '../sources/cancer/layouts.js';
import type { MeasureDefinition } from './definition.js';

const SHARED =
  'Patients shared between two providers count half to each, so counts can end in .5; figures are kept as published, never rounded.';

interface Standard {
  id: StandardId;
  suffix: string;
  title: string;
  short: string;
  description: string;
}

const STANDARDS: readonly Standard[] = [
  {
    id: 'fds',
    suffix: 'fds',
    title: 'Patients told they have cancer, or that cancer is ruled out, within 28 days of urgent referral (Faster Diagnosis Standard)',
    short: '28-day Faster Diagnosis Standard',
    description: 'People told their diagnosis outcome within 28 days of an urgent suspected cancer, breast symptomatic or screening referral, as a share of all told that month (all routes).',
  },
  {
    id: 'd31',
    suffix: '31d',
    title: 'Cancer treatments within 31 days of the decision to treat (first and subsequent)',
    short: '31-day decision to treatment',
    description: 'First and subsequent cancer treatments given within 31 days of the decision to treat (or earliest clinically appropriate date), as a share of all treatments that month (all stages, all cancers).',
  },
  {
    id: 'd62',
    suffix: '62d',
    title: 'Cancer treatments within 62 days of urgent referral, screening referral or consultant upgrade',
    short: '62-day referral to treatment',
    description: 'First definitive treatments for cancer given within 62 days of an urgent suspected cancer or breast symptomatic referral, urgent screening referral or consultant upgrade, as a share of all such treatments that month (all routes, all cancers).',
  },
];

/** What both bases share: the share of patients within the standard, from counts that may end in .5. */
const withinStandard = (id: StandardId): Pick<MeasureDefinition, 'unit' | 'direction' | 'numerator' | 'denominator' | 'frequency' | 'caveat'> => ({
  unit: 'percent',
  direction: 'increase',
  numerator: [{ field: CWT_FIELDS[id].within }],
  denominator: [{ field: CWT_FIELDS[id].total }],
  frequency: 'month',
  caveat: SHARED,
});

/**
 * Provider basis: the figures of each trust and independent provider that treated the patients,
 * summed to ICBs (through ODS), regions and England. The publication's own England row is
 * stored too (org 'ENG') and equals the sum in every workbook seen.
 */
const providerBased = ({ id, suffix, title, short, description }: Standard): MeasureDefinition => ({
  id: `cwt_${suffix}`,
  title,
  short,
  collection: 'cwt',
  ...withinStandard(id),
  rollUp: 'sum',
  description: `${description} Provider basis: by the trust or independent provider accountable for the patient.`,
  ...(id === 'd62' ? { companions: ['cwt_62d_over_104d'] } : {}),
});

/**
 * Commissioner basis: NHS England's own figures for each ICB and commissioning hub, by who
 * commissions the patient's care wherever they were treated. They answer a different question
 * from the sum of an ICB's providers (patients cross ICB borders), so they get their own ids
 * and are never mixed into a provider-based series; only the published rows are used.
 */
const commissionerBased = ({ id, suffix, title, short, description }: Standard): MeasureDefinition => ({
  id: `cwt_${suffix}_commissioner`,
  title: `${title} — commissioner basis`,
  short: `${short} (commissioner basis)`,
  collection: 'cwt_commissioner',
  ...withinStandard(id),
  rollUp: 'published',
  description: `${description} Commissioner basis: by the ICB or NHS England commissioning hub responsible for the patient's care, as published.`,
});

export const CANCER_MEASURES: MeasureDefinition[] = [
  ...STANDARDS.map(providerBased),
  {
    id: 'cwt_62d_over_104d',
    title: 'Cancer patients treated more than 104 days after urgent referral',
    short: 'Treated after 104 days',
    collection: 'cwt',
    unit: 'count',
    direction: 'decrease',
    numerator: [{ field: D62_AFTER_104_FIELD }],
    rollUp: 'sum',
    frequency: 'month',
    description: 'Patients on the 62-day pathways (all routes, all cancers) whose first definitive treatment came more than 104 days after referral: the longest waits behind the 62-day percentage. From the monthly provider workbooks only (the extract has no day bands).',
    caveat: SHARED,
  },
  ...STANDARDS.map(commissionerBased),
];
