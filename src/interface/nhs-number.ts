import nhsNumberValidator from 'nhs-number-validator';
import { PlanwatchError } from '../errors.js';

/**
 * NHS numbers are ten digits, usually written 3-3-4 with spaces ("943 476 5919") or hyphens,
 * sometimes run together. A candidate is any run of digit groups joined by at most three spaces
 * or hyphens; every stretch of consecutive groups holding exactly ten digits is checked, so a
 * number stays visible inside "ref 12 943 476 5919 2 calls". Digits glued to more digits
 * ("94347659190", an 11-digit phone number) are one group and never a candidate.
 */
const DIGIT_GROUPS = /\d+(?:[ \t\u00a0-]{1,3}\d+)*/g;
const GROUP_SEPARATOR = /[ \t\u00a0-]+/;

/** Every NHS-number-shaped stretch of the text that passes the modulus-11 check. */
export function findNhsNumbers(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(DIGIT_GROUPS)) {
    const groups = match[0].split(GROUP_SEPARATOR);
    for (let first = 0; first < groups.length; first += 1) {
      let digits = '';
      for (let last = first; last < groups.length && digits.length < 10; last += 1) {
        digits += groups[last];
        if (digits.length === 10 && nhsNumberValidator.validate(digits)) found.push(digits);
      }
    }
  }
  return found;
}

/**
 * Refuses free text that contains an NHS number, before anything is written. The message does
 * not repeat the number: error messages reach logs, and the point is that it goes nowhere.
 * `fields` maps each form field's name to its label as the form shows it.
 */
export function refuseNhsNumbers(form: string, values: Readonly<Record<string, string | null | undefined>>, labels: Readonly<Record<string, string>>): void {
  for (const [field, value] of Object.entries(values)) {
    if (!value || findNhsNumbers(value).length === 0) continue;
    const label = labels[field] ?? field;
    throw new PlanwatchError(
      'E_PATIENT_DATA',
      `"${label}" contains what looks like an NHS number (ten digits that pass the NHS number check). ` +
        'Remove it and describe the problem without identifying the patient: this log must not hold patient-identifiable data. Nothing has been saved.',
      { file: form, column: field },
    );
  }
}
