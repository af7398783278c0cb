/** Named examples of the organisation search; the component tests render each. */
export const fixtures = {
  default: {},
  'with a value': { value: 'Leeds', id: 'q-results' },
  'as the page heading': { isPageHeading: true, label: 'Find an organisation', labelSize: 'l' },
} as const;
