import { describe, expect, it } from 'vitest';
import { fileNameOf, rebase, siteUrl, uploadFolderOf } from '../../../src/sources/http/urls.js';

const FILE = 'https://www.england.nhs.uk/statistics/wp-content/uploads/sites/2/2025/08/July-2025-AE-by-provider-Z52mq.xls';

describe('siteUrl(baseUrl, path)', () => {
  it('joins with or without slashes', () => {
    expect(siteUrl('https://www.england.nhs.uk', 'statistics/x/')).toBe('https://www.england.nhs.uk/statistics/x/');
    expect(siteUrl('https://www.england.nhs.uk/', '/statistics/x/')).toBe('https://www.england.nhs.uk/statistics/x/');
  });

  it('keeps the path of a mirror', () => {
    expect(siteUrl('http://127.0.0.1:8080/mirror', 'statistics/x/')).toBe('http://127.0.0.1:8080/mirror/statistics/x/');
  });
});

describe('rebase(url, baseUrl)', () => {
  it('moves NHS England links, with or without www, onto another base', () => {
    expect(rebase(FILE, 'http://127.0.0.1:8080')).toBe(
      'http://127.0.0.1:8080/statistics/wp-content/uploads/sites/2/2025/08/July-2025-AE-by-provider-Z52mq.xls',
    );
    expect(rebase('https://england.nhs.uk/statistics/rtt-data-2014-15/?x=1#top', 'http://127.0.0.1:8080/mirror/')).toBe(
      'http://127.0.0.1:8080/mirror/statistics/rtt-data-2014-15/?x=1#top',
    );
  });

  it('leaves links alone under the real base, and links to other hosts always', () => {
    expect(rebase(FILE, 'https://www.england.nhs.uk')).toBe(FILE);
    expect(rebase('https://x.com/NHSEngland', 'http://127.0.0.1:8080')).toBe('https://x.com/NHSEngland');
  });
});

describe('fileNameOf(url) and uploadFolderOf(url)', () => {
  it('reads the published name and the upload folder', () => {
    expect(fileNameOf(new URL(FILE))).toBe('July-2025-AE-by-provider-Z52mq.xls');
    expect(uploadFolderOf(new URL(FILE))).toBe('2025-08');
  });

  it('undoes percent-encoding, and keeps a stray percent sign', () => {
    expect(fileNameOf(new URL('https://h/uploads/A%26E%20March%202024.csv'))).toBe('A&E March 2024.csv');
    expect(fileNameOf(new URL('https://h/uploads/100%-file.csv'))).toBe('100%-file.csv');
  });

  it('has no upload folder for a page', () => {
    expect(uploadFolderOf(new URL('https://www.england.nhs.uk/statistics/statistical-work-areas/'))).toBeUndefined();
  });
});
