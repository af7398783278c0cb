import nhsNumberValidator from 'nhs-number-validator';
import { PlanwatchError } from '../errors.js';

/**
 * Finds NHS numbers in free text however they are written, so patient-identifiable data never
 * reaches the interface log. People paste numbers from clinical systems, Word and e-mail, which
 * write them as "943 476 5919", "943-476-5919", "943.476.5919", "(943) 476 5919", with an en dash
 * from autocorrect, a thin or zero-width space, across a line break, or in full-width digits.
 *
 * 1. Normalise: Unicode NFKC (full-width and other compatibility digits and spaces become
 *    ASCII), every remaining decimal digit of any script becomes its ASCII digit, and format
 *    characters (zero-width space, soft hyphen, joiners, BOM) and combining marks are dropped.
 * 2. Group: digit runs joined by a short separator (at most 4 characters, a run of whitespace
 *    or line breaks counting as one) that holds no letter or digit: spaces, . / _ ( ) : , +, any
 *    dash. A letter or a longer gap ends the group.
 * 3. Check: every stretch of consecutive runs holding exactly ten digits that passes the
 *    modulus-11 check is an NHS number.
 *
 * Two things are not: a stretch that starts with 0 (NHS England and Wales never issue numbers
 * from 0, and UK phone numbers all start with it: "0800 123 456"), and the national part of a
 * number written with the UK country code ("+44 7700 900123", "0044 (0)113 243 2799").
 */
const SHORT_SEPARATOR = 4;
const TOKENS = /(\d+)|([^\p{L}\p{N}]+)|([\p{L}\p{N}]+)/gu;
const DROPPED = /[\p{Cf}\p{Mn}\p{Me}]/gu;
const OTHER_DIGIT = /(?![0-9])\p{Nd}/gu;
const IS_DIGIT = /^\p{Nd}$/u;
const digitCache = new Map<string, string>();

/**
 * The ASCII digit of any Unicode decimal digit. Unicode assigns decimal digits only in runs of
 * ten, 0 to 9 in order (a stability policy), and where runs touch they are whole runs, so a
 * digit's value is how many digits precede it in its run, modulo 10.
 */
function asciiDigit(digit: string): string {
  const known = digitCache.get(digit);
  if (known !== undefined) return known;
  const codePoint = digit.codePointAt(0)!;
  let before = 0;
  while (before < 100 && IS_DIGIT.test(String.fromCodePoint(codePoint - before - 1))) before += 1;
  const ascii = String(before % 10);
  digitCache.set(digit, ascii);
  return ascii;
}

/** The text as the check reads it: NFKC, ASCII digits, no format characters or marks. */
export function normaliseForNhsNumbers(text: string): string {
  return text.normalize('NFKC').replace(DROPPED, '').replace(OTHER_DIGIT, asciiDigit);
}

interface DigitRun {
  digits: string;
  /** The separator written just before this run ('' at the start of the text or after a letter). */
  before: string;
}

/** Digit runs joined by short separators, each chain in the order written. */
function chainsOf(text: string): DigitRun[][] {
  const chains: DigitRun[][] = [];
  let chain: DigitRun[] = [];
  let separator = '';
  let isJoinable = false;
  const close = () => {
    if (chain.length) chains.push(chain);
    chain = [];
    isJoinable = false;
  };
  for (const [, digits, gap] of text.matchAll(TOKENS)) {
    if (digits !== undefined) {
      if (!isJoinable) close();
      chain.push({ digits, before: separator });
      isJoinable = true;
      separator = '';
    } else if (gap !== undefined) {
      separator = gap;
      const isShort = gap.replace(/\s+/g, ' ').length <= SHORT_SEPARATOR;
      if (!isShort) close();
    } else {
      close();
      separator = '';
    }
  }
  close();
  return chains;
}

/** Where a chain's national part starts when it opens with the UK country code, else -1. */
function nationalStart(chain: readonly DigitRun[]): number {
  const first = chain[0];
  if (!first) return -1;
  const isCountryCode = first.digits === '0044' || (first.digits === '44' && first.before.trimEnd().endsWith('+'));
  if (!isCountryCode) return -1;
  // "+44 (0)113 …": the trunk zero people add in brackets.
  return chain[1]?.digits === '0' ? 2 : 1;
}

/** Every NHS number in the text, as ten ASCII digits, in the order written. */
export function findNhsNumbers(text: string): string[] {
  const found: string[] = [];
  for (const chain of chainsOf(normaliseForNhsNumbers(text))) {
    const phone = nationalStart(chain);
    for (let first = 0; first < chain.length; first += 1) {
      if (first <= phone) continue;
      let digits = '';
      for (let last = first; last < chain.length && digits.length < 10; last += 1) {
        digits += chain[last]!.digits;
        if (digits.length === 10 && !digits.startsWith('0') && nhsNumberValidator.validate(digits)) found.push(digits);
      }
    }
  }
  return found;
}

/**
 * Refuses free text that contains an NHS number, before anything is written. The message does
 * not repeat the number: error messages reach logs, and the point is that it goes nowhere.
 * `labels` maps each form field's name to its label as the form shows it. Values that are not
 * text (numbers, flags) are passed over.
 */
export function refuseNhsNumbers(form: string, values: Readonly<Record<string, unknown>>, labels: Readonly<Record<string, string>>): void {
  for (const [field, value] of Object.entries(values)) {
    if (typeof value !== 'string' || findNhsNumbers(value).length === 0) continue;
    const label = labels[field] ?? field;
    throw new PlanwatchError(
      'E_PATIENT_DATA',
      `"${label}" contains what looks like an NHS number (ten digits that pass the NHS number check). ` +
        'Remove it and describe the problem without identifying the patient: this log must not hold patient-identifiable data. Nothing has been saved.',
      { file: form, column: field },
    );
  }
}
