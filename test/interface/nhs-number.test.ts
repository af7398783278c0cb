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
      // England and Wales issue no NHS number from 0; UK phone numbers start with it.
      fc.pre(check !== undefined && nine[0] !== 0);
      const digits = [...nine, check].join('');
      const written = `${digits.slice(0, 3)}${separator}${digits.slice(3, 6)}${separator}${digits.slice(6)}`;
      expect(findNhsNumbers(`${words} ${written} ${words}`)).toEqual([digits]);
    },
  );
});


/** Ten digits that pass modulus 11, from nine digits and the seed that varies them. */
const validNhsNumber = fc
  .array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 })
  .map((nine) => [nine, checkDigit(nine)] as const)
  .filter(([nine, check]) => check !== undefined && nine[0] !== 0)
  .map(([nine, check]) => [...nine, check].join(''));

/** Ten digits that fail it: a first digit other than 0 and a wrong (or impossible) check digit. */
const invalidTenDigits = fc
  .tuple(fc.integer({ min: 1, max: 9 }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 8, maxLength: 8 }), fc.integer({ min: 0, max: 9 }))
  .map(([head, rest, last]) => [head, ...rest, last])
  .filter((digits) => checkDigit(digits.slice(0, 9)) !== digits[9])
  .map((digits) => digits.join(''));

// What people and their software put between digit groups: every kind of space, line breaks,
// punctuation, every dash, and the characters that render as nothing.
const SEPARATOR_CHARACTERS = [
  ' ', '\u00a0', '\u2009', '\u202f', '\u2002', '\u3000', '\t', '\n', '\r\n', '.', '/', '_', '(', ')', ':', ',', '+',
  '-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', '\ufe63', '\uff0d',
];
const INVISIBLE = ['\u200b', '\u00ad', '\u2060', '\ufeff', '\u200d'];
const separator = fc.oneof(
  fc.array(fc.constantFrom(...SEPARATOR_CHARACTERS), { minLength: 1, maxLength: 3 }).map((parts) => parts.join('')),
  fc.constantFrom(...INVISIBLE),
  fc.constant(''),
);
/** Where the groups split: 3-3-4 as printed, or anywhere. */
const splits = fc.oneof(fc.constant([3, 6]), fc.uniqueArray(fc.integer({ min: 1, max: 9 }), { maxLength: 4 }).map((cuts) => cuts.sort((a, b) => a - b)));

// Decimal digits of other scripts and the compatibility forms NFKC folds: full-width,
// mathematical bold, Arabic-Indic, Devanagari, Bengali, Thai.
const DIGIT_ZEROS = [0x30, 0xff10, 0x1d7ce, 0x660, 0x966, 0x9e6, 0xe50];
const digitForm = fc.constantFrom(...DIGIT_ZEROS);

function written(digits: string, cuts: readonly number[], separators: readonly string[], zero: number): string {
  const glyphs = [...digits].map((digit) => String.fromCodePoint(zero + Number(digit)));
  let text = '';
  glyphs.forEach((glyph, index) => {
    const cut = cuts.indexOf(index);
    if (cut >= 0) text += separators[cut % separators.length] ?? '';
    text += glyph;
  });
  return text;
}

const words = fc.string({ unit: fc.constantFrom('a', 'b', 'z', ' ', '.', ',', 'é') });

describe('findNhsNumbers(text) over generated writings', () => {
  property.prop([validNhsNumber, splits, fc.array(separator, { minLength: 1, maxLength: 4 }), digitForm, words, words])(
    'finds a valid NHS number in any digits, split anywhere by any short separator',
    (digits, cuts, separators, zero, before, after) => {
      const text = `${before} ${written(digits, cuts, separators, zero)} ${after}`;
      expect(findNhsNumbers(text)).toContain(digits);
    },
  );

  property.prop([invalidTenDigits, splits, fc.array(separator, { minLength: 1, maxLength: 4 }), digitForm, words])(
    'lets ten digits that fail the check through, however written',
    (digits, cuts, separators, zero, around) => {
      expect(findNhsNumbers(`${around} ${written(digits, cuts, separators, zero)} ${around}`)).toEqual([]);
    },
  );

  /** A UK phone number as people write it: national with a leading 0, or with +44 / 0044. */
  const ukPhone = fc
    .tuple(
      fc.constantFrom('113', '20', '121', '161', '1632', '7700', '800', '1865', '114'),
      fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 7, maxLength: 7 }),
      fc.constantFrom('national', '+44', '+44 (0)', '0044', '(national)'),
      fc.constantFrom(' ', '-', '.', '\u00a0'),
    )
    .map(([area, rest, style, gap]) => {
      const subscriber = rest.join('').slice(0, 10 - area.length);
      const local = `${subscriber.slice(0, 3)}${gap}${subscriber.slice(3)}`;
      switch (style) {
        case 'national':
          return `0${area}${gap}${local}`;
        case '(national)':
          return `(0${area}) ${local}`;
        case '+44':
          return `+44 ${area}${gap}${local}`;
        case '+44 (0)':
          return `+44 (0)${area} ${local}`;
        default:
          return `0044 ${area} ${local}`;
      }
    });

  property.prop([ukPhone, words])('lets ordinary UK phone numbers through', (phone, around) => {
    expect(findNhsNumbers(`${around} call ${phone} ${around}`)).toEqual([]);
  });

  it.each([
    ['dotted', 'NHS 943.476.5919'],
    ['slashed', '943/476/5919'],
    ['underscored', '943_476_5919'],
    ['with the area-code brackets', '(943) 476 5919'],
    ['across a line break', 'patient 943 476\n5919 was'],
    ['across a Windows line break', 'patient 943\r\n476 5919'],
    ['with en dashes', '943\u2013476\u20135919'],
    ['with em dashes', '943\u2014476\u20145919'],
    ['with thin spaces', '943\u2009476\u20095919'],
    ['with narrow no-break spaces', '943\u202f476\u202f5919'],
    ['with zero-width spaces', '943\u200b476\u200b5919'],
    ['with soft hyphens', '943\u00ad476\u00ad5919'],
    ['in full-width digits', '\uff19\uff14\uff13 \uff14\uff17\uff16 \uff15\uff19\uff11\uff19'],
    ['in Arabic-Indic digits', '\u0669\u0664\u0663\u0664\u0667\u0666\u0665\u0669\u0661\u0669'],
    ['as a mailbox', '9434765919@nhs.net'],
    ['in a mailbox with dots', 'team.943.476.5919@nhs.net'],
    ['after a plus', '+943 476 5919'],
  ])('finds the example NHS number written %s', (_, text) => {
    expect(findNhsNumbers(text)).toEqual([EXAMPLE]);
  });

  it.each([
    ['a date and time', 'seen 13/01/2025 10:30, letter 14/01/2025'],
    ['a UK number with its country code', '+44 7700 900123'],
    ['a freephone number', '0800 123 456'],
    ['digits kept apart by words', '943 calls, 476 letters and 5919 minutes'],
  ])('finds none in %s', (_, text) => {
    expect(findNhsNumbers(text)).toEqual([]);
  });
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
