import { describe, expect, it } from 'vitest';
import { extractLinks, normaliseText } from '../../../src/sources/http/links.js';
import { fixturePage } from '../../helpers/ae-site.js';

const PAGE = 'https://www.england.nhs.uk/statistics/statistical-work-areas/rtt-waiting-times/rtt-data-2025-26/';

describe('extractLinks(html, pageUrl)', () => {
  it('resolves absolute, site-relative and document-relative hrefs against the page', () => {
    const html = `
      <a href="https://www.england.nhs.uk/statistics/wp-content/uploads/sites/2/2025/09/Full-CSV-data-file-Jul25-ZIP-4M-92707.zip">Full CSV data file Jul25 (ZIP, 4M)</a>
      <a href="/">Home</a>
      <a href="../rtt-data-2024-25">2024-25 RTT waiting times data</a>`;
    expect(extractLinks(html, PAGE).map((link) => link.href)).toEqual([
      'https://www.england.nhs.uk/statistics/wp-content/uploads/sites/2/2025/09/Full-CSV-data-file-Jul25-ZIP-4M-92707.zip',
      'https://www.england.nhs.uk/',
      'https://www.england.nhs.uk/statistics/statistical-work-areas/rtt-waiting-times/rtt-data-2024-25',
    ]);
  });

  it('skips anchors without href, in-page jumps and non-web schemes', () => {
    const html = `
      <a name="Apr25"></a>
      <a href="#Apr25">Apr25</a>
      <a href="${PAGE}#Jul25">Jul25</a>
      <a href="">empty</a>
      <a href="mailto:someone@example.invalid">Email</a>
      <a href="javascript:window.print()">Print</a>
      <a href="https://www.england.nhs.uk/statistics/code-compliance/#Unifypolicy">revisions policy.</a>`;
    expect(extractLinks(html, PAGE)).toEqual([
      { href: 'https://www.england.nhs.uk/statistics/code-compliance/#Unifypolicy', text: 'revisions policy.' },
    ]);
  });

  it('collapses whitespace in the visible text and keeps typographic characters', () => {
    const html = `<a href="/a">  CWT CRS &#8211; National Time Series
        Oct 2009 &ndash; Mar&nbsp;2025 <span>with Revisions</span> (XLSX, 56KB) </a>
      <a href="/b">Martha&rsquo;s Rule</a>`;
    expect(extractLinks(html, PAGE).map((link) => link.text)).toEqual([
      'CWT CRS – National Time Series Oct 2009 – Mar 2025 with Revisions (XLSX, 56KB)',
      'Martha’s Rule',
    ]);
  });

  it('uses the title attribute when a link has no text', () => {
    expect(extractLinks('<a href="/x.csv" title="Monthly A&amp;E May 2025"><img alt=""></a>', PAGE)[0]?.text).toBe('Monthly A&E May 2025');
  });

  it('honours <base href>', () => {
    const html = '<head><base href="https://www.england.nhs.uk/statistics/"></head><a href="x.csv">x</a>';
    expect(extractLinks(html, PAGE)[0]?.href).toBe('https://www.england.nhs.uk/statistics/x.csv');
  });

  it('gives each link the nearest heading above it', () => {
    const html = `<a href="/nav">Nav</a>
      <h3>June 2025</h3><p><a href="/june.csv">CSV</a></p>
      <h3>May 2025</h3><p><a href="/may.csv">CSV</a> <a href="/may.xls">XLS</a></p>`;
    expect(extractLinks(html, PAGE).map((link) => [link.href.split('/').pop(), link.heading])).toEqual([
      ['nav', undefined],
      ['june.csv', 'June 2025'],
      ['may.csv', 'May 2025'],
      ['may.xls', 'May 2025'],
    ]);
  });

  it('finds every navigation link on a fixture page, which discovery must then ignore', () => {
    const links = extractLinks(fixturePage('synthetic-landing.html'), 'https://www.england.nhs.uk/statistics/statistical-work-areas/ae-waiting-times-and-activity/');
    expect(links.length).toBeGreaterThan(150);
    expect(links.some((link) => link.text === 'Martha’s Rule')).toBe(true);
  });
});

describe('normaliseText(text)', () => {
  it('turns no-break spaces, tabs and new lines into single spaces', () => {
    expect(normaliseText('\u00a0A&E\t\tMarch\n 2024\u00a0')).toBe('A&E March 2024');
  });
});
