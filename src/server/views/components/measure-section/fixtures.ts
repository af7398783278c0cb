import { fixtures as charts } from '../spc-chart/fixtures.js';

/** Named examples of a measure's section (made-up figures); component and axe tests use them. */
const fact = (key: string, value: string) => ({ key: { text: key }, value: { text: value } });

export const fixtures = {
  'with a target': {
    id: 'synthetic-measure',
    title: 'Synthetic measure',
    headingLevel: 2,
    description: 'A made-up measure for the component tests.',
    facts: [fact('Latest', '84.0% in December 2024'), fact('Target', 'at least 78.0%'), fact('Met?', 'Met'), fact('Gap to target', '6.0 percentage points above the target')],
    chart: charts['with limits, target and special cause'],
    href: '/org/RAA/ae_4hr',
  },
  'named by the page heading': {
    id: 'synthetic-count',
    title: 'Synthetic count',
    headingLevel: 0,
    description: 'A made-up count without a target.',
    facts: [fact('Latest', '1,230 in December 2024')],
    chart: charts['with a missing month'],
    caveat: 'One month was not published.',
  },
};
