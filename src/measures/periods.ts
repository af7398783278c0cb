// Periods live in src/dimensions.ts with levels and directions; this path stays for existing imports.
export { PERIOD_PATTERN, isPeriod, addMonths, monthsBetween, financialYearOf, financialYearMonths, periodLabel } from '../dimensions.js';
