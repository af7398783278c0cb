/** Named examples of a target's status card (made-up figures); component and axe tests use them. */
export const fixtures = {
  'not met': {
    title: '95% of A&E patients admitted, transferred or discharged within 4 hours',
    value: '72.3%',
    period: 'in March 2025',
    verdict: { text: 'Not met', colour: 'red' },
    gap: '22.7 percentage points below',
    lastMet: 'never in the data',
    source: { title: 'NHS Constitution', url: 'https://www.gov.uk/' },
  },
  'met, with a link': {
    title: '78% within 4 hours in March 2026',
    value: '80.1%',
    period: 'in July 2025 (target due March 2026)',
    verdict: { text: 'Meeting it now', colour: 'green' },
    gap: '2.1 percentage points above',
    lastMet: 'July 2025',
    href: '/org/ENG#ae_4hr',
  },
  'no figure': {
    title: 'A target without a figure',
    value: 'not reported',
    period: '',
    verdict: { text: 'Unknown', colour: 'grey' },
    lastMet: 'never in the data',
    note: 'no figure for the baseline month 2024-03',
  },
} as const;
