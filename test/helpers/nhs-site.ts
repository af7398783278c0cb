import { startAeSite, type AeSite } from './ae-site.js';
import { fixtureText } from './fixtures.js';

/**
 * A local stand-in for two of NHS England's collections at once, for the refresher: the A&E
 * landing page linking one year page (2025-26), whose months can be added while a test runs,
 * and the Ambulance Quality Indicators page linking one AmbSYS CSV. Links are absolute to
 * www.england.nhs.uk as on the real pages (discovery moves them onto the base URL); file names
 * and link texts follow publications.md §2.3 and §3.2. The files are synthetic: A&E bodies from
 * syntheticAeCsv, the AmbSYS CSV from test/fixtures/ambulance.
 */

const SITE = 'https://www.england.nhs.uk';
export const UPLOADS = '/statistics/wp-content/uploads/sites/2';
export const AE_LANDING = '/statistics/statistical-work-areas/ae-waiting-times-and-activity/';
export const AE_YEAR = `${AE_LANDING}ae-attendances-and-emergency-admissions-2025-26/`;
export const AQI_LANDING = '/statistics/statistical-work-areas/ambulance-quality-indicators/';
export const AMBSYS_FILE = `${UPLOADS}/2025/02/AmbSYS-to-January-2025.csv`;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** The upload path of a month's provider CSV: uploaded the month after, named as in 2025. */
export function aeFile(period: string): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  const upload = new Date(Date.UTC(year, month, 1));
  const folder = `${upload.getUTCFullYear()}/${String(upload.getUTCMonth() + 1).padStart(2, '0')}`;
  return `${UPLOADS}/${folder}/Monthly-AE-${MONTHS[month - 1]}-${year}.csv`;
}

export function aeLandingPage(): string {
  return `<!doctype html><html><body><nav><a href="${SITE}/">Home</a></nav><main>
  <h1>A&amp;E Attendances and Emergency Admissions</h1>
  <ul><li><a href="${SITE}${AE_YEAR}">Monthly A&amp;E Attendances and Emergency Admissions 2025-26</a></li></ul>
  <p><a href="${SITE}${UPLOADS}/2025/04/Monthly-AE-Time-Series-March-2025.xls">Monthly A&amp;E Time Series March 2025 (XLS, 403K)</a></p>
  </main></body></html>`;
}

/** The 2025-26 year page with these months ('YYYY-MM'), newest first as on the real pages. */
export function aeYearPage(periods: readonly string[]): string {
  const blocks = [...periods].sort().reverse().map((period) => {
    const [year, month] = period.split('-').map(Number) as [number, number];
    const title = `${MONTHS[month - 1]} ${year}`;
    return `<h3>${title}</h3>\n<p><a href="${SITE}${aeFile(period)}">Monthly A&amp;E ${title} (CSV, 30KB)</a></p>`;
  });
  return `<!doctype html><html><body><nav><a href="${SITE}/">Home</a></nav><main>
  <h1>A&amp;E Attendances and Emergency Admissions 2025-26</h1>
  ${blocks.join('\n')}
  </main></body></html>`;
}

export function aqiLandingPage(): string {
  return `<!doctype html><html><body><nav><a href="${SITE}/">Home</a></nav><main>
  <h1>Ambulance Quality Indicators</h1>
  <p><a href="${SITE}${AMBSYS_FILE}">Systems Indicators (csv, 298KB)</a></p>
  </main></body></html>`;
}

export interface NhsSite extends AeSite {
  /** Puts these months on the A&E year page (the files are served for any month). */
  setAeMonths(periods: readonly string[]): void;
}

export async function startNhsSite(aeMonths: readonly string[]): Promise<NhsSite> {
  const site = (await startAeSite()) as NhsSite;
  site.setBody(AE_LANDING, aeLandingPage());
  site.setAeMonths = (periods) => site.setBody(AE_YEAR, aeYearPage(periods));
  site.setAeMonths(aeMonths);
  site.setBody(AQI_LANDING, aqiLandingPage());
  site.setBody(AMBSYS_FILE, fixtureText('ambulance', 'synthetic-ambsys-csv.csv'));
  return site;
}
