import { fc, test as property } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { findNhsNumbers, refuseNhsNumbers } from '../../src/interface/nhs-number.js';
import { expectPlanwatchError } from '../helpers/errors.js';

// 943 476 5919 is the NHS number NHS Digital uses in its own examples; it passes modulus 11.
const EXAMPLE = '9434765919';

/** The modulus-11 check digit of nine digits, or undefined where NHS numbers have none (10). */
function checkDigit(nine: readonly number[]): number | undefined {
  const remainder = nine.reduce((sum, digit, index) => sum + digit * (10 - index), 0) % 11;
  const check = 11 - remainder;
  return check === 11 ? 0 : check === 10 ? undefined : check;
}

describe('findNhsNumbers(text)', () => {
  it.each([
    ['spaced 3-3-4', 'Patient 943 476 5919 missed the clinic'],
    ['hyphenated', 'Patient 943-476-5919 missed the clinic'],
    ['run together', 'Patient 9434765919 missed the clinic'],
    ['glued to letters', 'NHS no:9434765919.'],
    ['spaced unevenly', 'number 9434 765 919'],
    ['with a non-breaking space', 'number 943\u00a0476\u00a05919'],
    ['between other numbers', 'ref 12 943 476 5919 2 calls'],
    ['at the end of a line', 'seen by\n943 476 5919'],
  ])('finds one written %s', (_, text) => {
    expect(findNhsNumbers(text)).toEqual([EXAMPLE]);
  });

  it('finds every one in the text', () => {
    expect(findNhsNumbers('first 943 476 5919, then 401 023 2137')).toEqual([EXAMPLE, '4010232137']);
  });

  it.each([
    ['a failed check digit', '943 476 5910'],
    ['nine digits', '943 476 591'],
    ['eleven digits run together', '94347659190'],
    ['an 11-digit UK phone number', '0113 243 2799'],
    ['a London number', '020 7946 0958'],
    ['a mobile number', '07700 900123'],
    ['a practice code and a date', 'A81001 on 2025-01-03'],
    ['no digits at all', 'discharge letter missing'],
  ])('finds none in %s', (_, text) => {
    expect(findNhsNumbers(text)).toEqual([]);
  });

  property.prop([fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 }), fc.constantFrom(' ', '-', ''), fc.string({ unit: fc.constantFrom('a', 'b', ' ', '.', ',') })])(
    'finds any valid NHS number, however separated, inside text without digits',
    (nine, separator, words) => {
      const check = checkDigit(nine);
      fc.pre(check !== undefined);
      const digits = [...nine, check].join('');
      const written = `${digits.slice(0, 3)}${separator}${digits.slice(3, 6)}${separator}${digits.slice(6)}`;
      expect(findNhsNumbers(`${words} ${written} ${words}`)).toEqual([digits]);
    },
  );
});

describe('refuseNhsNumbers(form, values, labels)', () => {
  it('names the form, the field and its label, without repeating the number', async () => {
    const error = await expectPlanwatchError(
      () => refuseNhsNumbers('issue report', { specialty: 'Cardiology', whatHappened: 'about 943 476 5919' }, { whatHappened: 'What happened' }),
      'E_PATIENT_DATA',
      { file: 'issue report', column: 'whatHappened' },
    );
    expect(error.message).toMatch(/^"What happened" contains what looks like an NHS number/);
    expect(error.message).not.toMatch(/943|5919/);
  });

  it('lets text without an NHS number through', () => {
    expect(() => refuseNhsNumbers('issue report', { whatHappened: 'Letter arrived 10 days late', workload: null }, {})).not.toThrow();
  });
});
