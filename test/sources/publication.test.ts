import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  currentPublication,
  isLaterPublication,
  mergePublication,
  parsePublishedDate,
  publicationFromLink,
  publicationFromName,
  publicationFromRows,
  type RankedPublication,
} from '../../src/sources/publication.js';

describe('parsePublishedDate(cell)', () => {
  it.each([
    ['10th October 2024', '2024-10-10'],
    ['11th Febuary 2016', '2016-02-11'],
    ['Thursday, February 08, 2024', '2024-02-08'],
    ['13 Feb 2025', '2025-02-13'],
    ['1st June 2023', '2023-06-01'],
    ['09/07/2025', '2025-07-09'],
  ])('reads "%s" as %s', (text, date) => {
    expect(parsePublishedDate(text)).toBe(date);
  });

  it('reads a spreadsheet date', () => {
    expect(parsePublishedDate(new Date(Date.UTC(2025, 6, 10)))).toBe('2025-07-10');
  });

  it.each(['', 'N/A', '-', '31st February 2025', 'Published'])('finds no date in "%s"', (text) => {
    expect(parsePublishedDate(text)).toBeUndefined();
  });
});

describe('publicationFromRows(rows)', () => {
  const cover = (published: string, revised: string, status = 'Published') => [
    [null, 'Title:', 'Monthly Diagnostics'],
    [null, 'Period:', 'August 2024'],
    [null, 'Published:', published],
    [null, 'Revised:', revised],
    [null, 'Status:', status],
  ];

  it('takes a filled Revised row as a revision published that day', () => {
    expect(publicationFromRows(cover('10th October 2024', '10th July 2025'))).toEqual({ published: '2025-07-10', edition: 'revised', source: 'file' });
  });

  it('takes a Published date with an empty or N/A Revised row as the first release', () => {
    expect(publicationFromRows(cover('11th September 2025', ''))).toEqual({ published: '2025-09-11', edition: 'first', source: 'file' });
    expect(publicationFromRows(cover('13th November 2025', 'N/A'))).toEqual({ published: '2025-11-13', edition: 'first', source: 'file' });
  });

  it('reads a status written in the same cell as its label (CWT-CRS Frontpage)', () => {
    expect(publicationFromRows([['Status: Final Official Statistics'], ['October 2023']])).toEqual({ edition: 'final' });
    expect(publicationFromRows([['Status: Provisional Official Statistics']])).toEqual({ edition: 'provisional' });
  });

  it('says nothing for a sheet without the rows', () => {
    expect(publicationFromRows([['Code', 'Name'], ['RXA', 'A TRUST']])).toEqual({});
  });
});

describe('publicationFromName(name)', () => {
  it.each([
    ['Monthly-AE-April-2019-revised-220720-ab123.csv', { published: '2020-07-22', edition: 'revised', source: 'name' }],
    ['April-2023-revised-91123-abc123v1.csv', { published: '2023-11-09', edition: 'revised', source: 'name' }],
    ['August-2025-CSV-revised.csv', { edition: 'revised' }],
    ['Beds-Open-Overnight-Web_File-Q3-2024-25revised.xlsx', { edition: 'revised' }],
    ['OCTOBER-2023-CWT-CRS-PROVIDER-WORKBOOK-FINAL.xlsx', { edition: 'final' }],
    ['CWT-CRS-Apr-2024-to-Sep-2024-Data-Extract-Provider-Final.xlsx', { edition: 'final' }],
    ['August-2025-CSV-g5tyh-v2.0.csv', {}],
  ])('reads %s', (name, info) => {
    expect(publicationFromName(name)).toEqual(info);
  });
});

describe('publicationFromLink(publication)', () => {
  it('dates a link by its upload folder and keeps "revised" from its text', () => {
    expect(publicationFromLink({ url: 'https://www.england.nhs.uk/statistics/wp-content/uploads/sites/2/2026/01/Monthly-AE-Nov-25-CSV-revised.csv', revised: true }))
      .toEqual({ published: '2026-01', edition: 'revised', source: 'page' });
  });
});

describe('mergePublication(...infos)', () => {
  it('takes each field from the first place that states it', () => {
    expect(mergePublication({ edition: 'final' }, { published: '2020-07-22', edition: 'revised', source: 'name' }, { published: '2020-07', source: 'page' }))
      .toEqual({ published: '2020-07-22', edition: 'final', source: 'name' });
  });
});

describe('isLaterPublication(a, b)', () => {
  const file = (name: string, extra: Partial<RankedPublication> = {}): RankedPublication => ({ name, sha256: name, ...extra });

  it('never lets a provisional figure replace a final one, whatever the dates', () => {
    expect(isLaterPublication(file('extract', { edition: 'provisional', published: '2025-09-11' }), file('workbook', { edition: 'final', published: '2025-06-12' }))).toBe(false);
    expect(isLaterPublication(file('workbook', { edition: 'final' }), file('extract', { edition: 'provisional' }))).toBe(true);
  });

  it('prefers the later publication date when both are known', () => {
    expect(isLaterPublication(file('b', { published: '2025-12-11', edition: 'first' }), file('a', { published: '2025-11-13', edition: 'revised' }))).toBe(true);
  });

  it('prefers a revision over a first release at equal or unknown dates', () => {
    expect(isLaterPublication(file('a-revised'), file('b'))).toBe(false);
    expect(isLaterPublication(file('a', { edition: 'revised' }), file('b'))).toBe(true);
    expect(isLaterPublication(file('a', { edition: 'revised', published: '2025-09' }), file('b', { published: '2025-09' }))).toBe(true);
  });

  it('falls back to the name, then the checksum, that sorts last', () => {
    expect(isLaterPublication(file('b.csv'), file('a.csv'))).toBe(true);
    expect(isLaterPublication(file('a.csv'), file('b.csv'))).toBe(false);
    expect(isLaterPublication({ name: 'x', sha256: 'b' }, { name: 'x', sha256: 'a' })).toBe(true);
  });
});

describe('currentPublication(candidates)', () => {
  const arbitraryFile = fc.record({
    name: fc.constantFrom('a.csv', 'b.csv', 'c-revised.csv'),
    sha256: fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16).padStart(4, '0')),
    published: fc.option(fc.constantFrom('2025-09', '2025-09-11', '2025-10-09', '2026-01-08'), { nil: null }),
    edition: fc.option(fc.constantFrom('first', 'revised', 'provisional', 'final') as fc.Arbitrary<RankedPublication['edition'] & string>, { nil: null }),
  });

  const filesAndShuffle = fc.uniqueArray(arbitraryFile, { minLength: 1, maxLength: 6, selector: (f) => f.sha256 })
    .chain((files) => fc.tuple(fc.constant(files), fc.shuffledSubarray(files, { minLength: files.length, maxLength: files.length })));

  test.prop([filesAndShuffle])('chooses the same file whatever order the files arrive in', ([files, shuffled]) => {
    expect(currentPublication(shuffled)).toBe(currentPublication(files));
  });

  it('chooses the revision of the August 2025 A&E pair whichever comes first', () => {
    const first = { name: 'August-2025-CSV-g5tyh-v2.0.csv', sha256: '1', ...publicationFromName('August-2025-CSV-g5tyh-v2.0.csv') };
    const revised = { name: 'August-2025-CSV-revised.csv', sha256: '2', ...publicationFromName('August-2025-CSV-revised.csv') };
    expect(currentPublication([first, revised])).toBe(revised);
    expect(currentPublication([revised, first])).toBe(revised);
  });
});
