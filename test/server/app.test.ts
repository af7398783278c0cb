import { gunzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { app, buildApp } from '../../src/server/app.js';
import { leagueResponse, orgsResponse, seriesResponse, statusResponse } from '../../src/server/routes/api/schemas.js';
import { Store } from '../../src/store/store.js';
import { getStatus } from '../../src/assessment/index.js';
import { syntheticStore } from '../helpers/synthetic-ae.js';

let store: Store;
let server: FastifyInstance;
// Ingesting 30 synthetic months takes seconds on a loaded machine: more than the default hook time.
beforeAll(async () => {
  store = await syntheticStore(30, '2025-03');
  server = await buildApp({ store });
}, 120_000);
afterAll(async () => {
  await server?.close();
  store?.close();
});

const get = (url: string) => server.inject({ method: 'GET', url });

async function expectRedirect(url: string, status: number, location: string): Promise<void> {
  const response = await get(url);
  expect(response.statusCode).toBe(status);
  expect(response.headers.location).toBe(location);
}

/** Runs `work` with the date pinned to `iso` (Date alone faked): the pages lead with today's guidance year. */
async function onDay<T>(iso: string, work: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(iso));
  try {
    return await work();
  } finally {
    vi.useRealTimers();
  }
}

/** Text a person reads: tags dropped, whitespace collapsed. */
function text(html: string): string {
  return html.replace(/<script[\s\S]*?<\/script>/g, ' ').replace(/<[^>]+>/g, ' ').replace(/&quot;/g, '"').replace(/&#39;|&#x27;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ');
}

describe('GET / (England against each target)', () => {
  it("shows England's position this month with the data date, source and OGL attribution", async () => {
    const response = await get('/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    const page = text(response.body);
    expect(page).toContain('England against each target');
    expect(page).toContain('95% of A&E patients admitted, transferred or discharged within 4 hours');
    expect(page).toContain("Figures from NHS England's statistics: A&E Attendances and Emergency Admissions to March 2025.");
    expect(page).toContain('Contains public sector information licensed under the Open Government Licence v3.0. Source: NHS England.');
    expect(response.body.match(/<h1[\s>]/g)).toHaveLength(1);
    expect(response.body).toContain('href="/league/ae_4hr"');
    expect(response.body).toContain('action="/search" method="get"');
  });

  it("leads with today's guidance year's targets, earlier years' folded under a details", async () => {
    // The synthetic figures end in March 2025; today is pinned to December 2026.
    const body = (await onDay('2026-12-04T09:00:00Z', () => get('/'))).body;
    expect(text(body)).toContain('The targets of 2026/27 guidance and the standing standards, each with England');
    const [open, folded] = body.split(/<details/);
    expect(open).toContain('in March 2027');
    expect(folded).toMatch(/Targets of earlier guidance years \(\d+\)/);
    expect(folded).toContain('within 4 hours in March 2025');
  });

  it('shows MDC variation and assurance icons with their words', async () => {
    const page = text((await get('/')).body);
    expect(page).toMatch(/Common cause variation|Special cause (improvement|concern)/);
    expect(page).toMatch(/(Consistently (meets|misses)|Hits and misses) the target/);
  });

  it('sends security headers: a self-only content security policy, nosniff, no framing', async () => {
    const response = await get('/');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
  });
});

describe('the header (identity)', () => {
  it("shows Planwatch's wordmark, not the NHS logo, and says it is not an NHS service", async () => {
    const body = (await get('/')).body;
    const header = body.match(/<header[\s\S]*?<\/header>/)?.[0] ?? '';
    expect(header).toContain('src="/static/planwatch-wordmark.svg"');
    expect(header).toContain('alt="Planwatch"');
    // The NHS logo is an inline SVG with the class nhsuk-header__logo and "NHS" as its name.
    expect(header).not.toContain('nhsuk-header__logo');
    expect(header).not.toMatch(/aria-label="NHS[" ]/);
    expect(text(header)).toContain('Independent, not an NHS service');
    expect(text(body.match(/<footer[\s\S]*?<\/footer>/)?.[0] ?? '')).toContain('It is not an NHS England service.');
    expect((await get('/static/planwatch-wordmark.svg')).statusCode).toBe(200);
  });
});

describe('GET / on an empty store', () => {
  it('says there are no figures yet instead of failing', async () => {
    const empty = await Store.open(':memory:');
    const fresh = await buildApp({ store: empty });
    const response = await fresh.inject({ method: 'GET', url: '/' });
    await fresh.close();
    empty.close();
    expect(response.statusCode).toBe(200);
    expect(text(response.body)).toContain('No figures are in the store yet');
  });
});

describe('GET /search', () => {
  it('lists organisations whose name holds every word typed', async () => {
    const response = await get('/search?q=synthetic+london');
    expect(response.statusCode).toBe(200);
    const page = text(response.body);
    expect(page).toContain('1 result for “synthetic london”');
    expect(response.body).toContain('href="/org/RAA"');
    expect(page).toContain('Synthetic London Hospitals NHS Trust');
  });

  it('goes straight to the page of an ODS code typed exactly', async () => {
    await expectRedirect('/search?q=rcc', 303, '/org/RCC');
  });

  it("goes straight to an organisation's page when its whole name is typed", async () => {
    await expectRedirect('/search?q=Synthetic+Riverside+NHS+Trust', 303, '/org/RBB');
  });

  it('says when nothing matches, and shows the form alone without a query', async () => {
    expect(text((await get('/search?q=nowhere')).body)).toContain('No organisation');
    const empty = await get('/search');
    expect(empty.statusCode).toBe(200);
    expect(empty.body).not.toContain('results-heading');
  });
});

describe('GET /org/:code', () => {
  it('shows per measure the latest value, target, verdict, last met, change on a year, rank, chart, table and CSV link', async () => {
    const response = await get('/org/RAA');
    expect(response.statusCode).toBe(200);
    const page = text(response.body);
    expect(page).toContain('Synthetic London Hospitals NHS Trust');
    for (const label of ['Latest', 'Target', 'Met?', 'Gap to target', 'Last met', 'Change on a year earlier', 'Rank among trusts']) expect(page).toContain(label);
    expect(page).toMatch(/Rank among trusts \d of 4/);
    expect(response.body).toContain('href="/api/v1/series/RAA/ae_4hr?format=csv"');
    // The charts are images of their own, fetched when their collection is opened; the page
    // holds each one's summary (its name), legend and table.
    const chart = response.body.match(/<img[^>]*class="pw-plot"[^>]*>/)?.[0] ?? '';
    expect(chart).toContain('src="/org/RAA/ae_4hr/chart.svg"');
    expect(chart).toContain('aria-labelledby="ae-4hr-chart-caption"');
    expect(chart).toContain('loading="lazy"');
    expect(chart).toMatch(/alt="Chart of 4-hour performance at Synthetic London Hospitals NHS Trust, [^"]+"/);
    expect(response.body).toContain('id="ae-4hr-chart-caption"');
    expect(page).toMatch(/Chart of 4-hour performance at Synthetic London Hospitals NHS Trust, October 2022 to March 2025/);
    expect(response.body).toMatch(/<table[^>]*pw-chart__table/);
    expect(page).toContain('Upper limit');
  });

  it("serves each chart of the page as an SVG file: the drawing the measure's own page shows inline", async () => {
    const file = await get('/org/RAA/ae_4hr/chart.svg');
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('image/svg+xml');
    // An image runs no script and loads nothing: its policy allows only its own <style>.
    expect(String(file.headers['content-security-policy'])).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(file.body).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]*role="img"|^<svg[^>]*role="img"[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(file.body).toMatch(/<title>Chart of 4-hour performance at Synthetic London Hospitals NHS Trust, [^<]+<\/title>/);
    const inline = (await get('/org/RAA/ae_4hr')).body.match(/<svg[^>]*class="pw-plot"[\s\S]*?<\/svg>/)?.[0] ?? '';
    const marks = (svg: string) => [...svg.matchAll(/ (?:d|points|x|y|cx|cy|transform)="([^"]*)"/g)].map((match) => match[1]);
    expect(marks(inline).length).toBeGreaterThan(20);
    expect(marks(file.body)).toEqual(marks(inline));
    expect((await get('/org/raa/ae_4hr/chart.svg')).headers.location).toBe('/org/RAA/ae_4hr/chart.svg');
    expect((await get('/org/RAA/no_such_measure/chart.svg')).statusCode).toBe(404);
  });

  it('opens with a scorecard: a row per target with value, target, status, SPC icons, sparkline and link', async () => {
    const body = (await get('/org/RAA')).body;
    const scorecard = body.match(/<table class="nhsuk-table pw-scorecard"[\s\S]*?<\/table>/)?.[0] ?? '';
    // Nothing but the title and the lede comes before it.
    expect(body.indexOf('pw-scorecard')).toBeLessThan(body.indexOf('pw-measure'));
    const status = await getStatus(store, 'RAA');
    const rows = scorecard.match(/<tr class="nhsuk-table__row">\s*<th scope="row"/g) ?? [];
    const folded = body.match(/Targets of earlier guidance years \((\d+)\)/);
    expect(rows.length + Number(folded?.[1] ?? 0)).toBe(status.lines.length);
    expect(scorecard).toContain('href="/org/RAA/ae_4hr"');
    expect(text(scorecard)).toMatch(/Target: at least 95\.0%/);
    expect(text(scorecard)).toMatch(/Not met|Meeting it now|Met|Not met yet/);
    expect(scorecard).toMatch(/role="img" aria-label="(Common cause|Special cause)/);
    expect(scorecard).toContain('class="pw-sparkline"');
    expect(text(scorecard)).toMatch(/From \d+\.\d% in [A-Z][a-z]+ \d{4} to \d+\.\d% in March 2025\./);
  });

  it("leads with today's guidance year though the figures are older, earlier years' targets folded", async () => {
    // The synthetic figures end in March 2025 (2024/25); the clock is pinned to two other days.
    const december2026 = (await onDay('2026-12-04T09:00:00Z', () => get('/org/RAA'))).body;
    expect(text(december2026)).toContain('Against each target: 2026/27 guidance and the standing standards');
    const main = december2026.match(/<table class="nhsuk-table pw-scorecard"[\s\S]*?<\/table>/)?.[0] ?? '';
    const titles = [...main.matchAll(/<th scope="row"[^>]*>\s*<a [^>]*>([^<]+)<\/a>/g)].map((match) => match[1]!);
    expect(titles.some((title) => title.includes('March 2027'))).toBe(true);
    expect(titles.filter((title) => /March 202[56]$/.test(title))).toEqual([]);
    expect(december2026).toMatch(/Targets of earlier guidance years \(\d+\)/);
    const march2025 = (await onDay('2025-03-20T09:00:00Z', () => get('/org/RAA'))).body;
    expect(text(march2025)).toContain('Against each target: 2024/25 guidance and the standing standards');
  });

  it("orders a measure's target cards as the scorecard leads: today's guidance year first, earlier years' last", async () => {
    const page = (await onDay('2026-12-04T09:00:00Z', () => get('/org/RAA/ae_4hr'))).body;
    const titles = [...page.matchAll(/<h3[^>]*>([^<]*within 4 hours[^<]*)<\/h3>/g)].map((match) => match[1]!.trim());
    expect(titles[0]).toMatch(/March 2027$/);
    expect(titles.at(-1)).toMatch(/March 2025$/);
  });

  it('folds each collection into a details, measures without a target in a compact table', async () => {
    const body = (await get('/org/RAA')).body;
    expect(body).toMatch(/<details class="nhsuk-details pw-group" id="ae">/);
    expect(text(body)).toMatch(/A&E Attendances and Emergency Admissions \(\d+ measures\)/);
    const compact = body.match(/<table[^>]*pw-compact[\s\S]*?<\/table>/)?.[0] ?? '';
    expect(compact).toContain('href="/org/RAA/ae_attendances"');
    // A measure with a target keeps its chart section; one without has a row, not a chart.
    expect(body).toContain('id="ae-4hr"');
    expect(body).not.toContain('id="ae-attendances"');
  });

  it('shows one measure on a page of its own, as the home page links to it', async () => {
    const home = await get('/');
    expect(home.body).toContain('href="/org/ENG/ae_4hr"');
    const response = await get('/org/RAA/ae_dta_12hr');
    expect(response.statusCode).toBe(200);
    expect(response.body.match(/<h1[\s>]/g)).toHaveLength(1);
    const page = text(response.body);
    expect(page).toContain('Patients waiting over 12 hours from decision to admit to admission');
    expect(page).toMatch(/Rank among trusts \d of 4/);
    expect(response.body).toContain('href="/api/v1/series/RAA/ae_dta_12hr?format=csv"');
  });

  it('answers 404 for an unknown measure of an organisation', async () => {
    expect((await get('/org/RAA/no_such_measure')).statusCode).toBe(404);
    expect((await get('/org/ZZZ/ae_4hr')).statusCode).toBe(404);
  });

  it('sends a lower-case code to the one address of the page', async () => {
    await expectRedirect('/org/raa', 301, '/org/RAA');
  });

  it('works for England and for a region', async () => {
    expect((await get('/org/ENG')).statusCode).toBe(200);
    const region = await get('/org/Y56');
    expect(region.statusCode).toBe(200);
    expect(text(region.body)).toMatch(/Rank among regions \d of \d/);
  });

  it('answers 404 with an NHS-styled page for an unknown organisation', async () => {
    const response = await get('/org/ZZZ');
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('text/html');
    expect(text(response.body)).toContain('Unknown organisation "ZZZ"');
    expect(response.body).toContain('nhsuk-header');
  });
});

describe('GET /org/:code/report (board report)', () => {
  it('gives the MDC matrix and, per measure with a target, a chart, its table and a narrative', async () => {
    const response = await get('/org/RAA/report');
    expect(response.statusCode).toBe(200);
    const page = text(response.body);
    expect(page).toContain('Board report: Synthetic London Hospitals NHS Trust');
    expect(response.body.match(/<table class="nhsuk-table pw-matrix"/g)).toHaveLength(1);
    const sections = response.body.match(/<section class="pw-report__section"[\s\S]*?<\/section>/g) ?? [];
    expect(sections.length).toBeGreaterThan(0);
    for (const section of sections) {
      expect(section).toMatch(/<svg[^>]*class="pw-plot"[^>]*role="img"|<svg[^>]*role="img"[^>]*class="pw-plot"/);
      expect(section).toMatch(/<table[^>]*pw-report__table/);
      expect(section).toMatch(/pw-report__narrative">[^<]+ in [A-Z][a-z]+ \d{4}/);
    }
    expect(page).toMatch(/Special cause (improvement|concern|high|low)|common cause variation/);
    // A whole-year target's projection is labelled by its year (2026/27), never as a month.
    expect(page).not.toMatch(/undefined|NaN|\(\)/);
  }, 60_000);

  it("judges each measure by the target due next in today's guidance year, as the pages lead", async () => {
    const fourHours = (body: string) => body.match(/<section class="pw-report__section" id="[^"]*ae-4hr[^"]*"[\s\S]*?<\/section>/)?.[0] ?? '';
    const december2026 = fourHours((await onDay('2026-12-04T09:00:00Z', () => get('/org/RAA/report'))).body);
    expect(december2026).toContain('March 2027');
    const march2025 = fourHours((await onDay('2025-03-20T09:00:00Z', () => get('/org/RAA/report'))).body);
    expect(march2025).toContain('March 2025');
    expect(march2025).not.toContain('March 2027');
  });

  it('reports as of an earlier month, and refuses a month that is not YYYY-MM', async () => {
    expect(text((await get('/org/RAA/report?period=2024-12')).body)).toContain('Figures to December 2024');
    expect((await get('/org/RAA/report?period=12-2024')).statusCode).toBe(400);
  }, 60_000);
});

describe('signals: GET /signals, /signals.atom, /org/:code/signals(.atom)', () => {
  it('gives the same Atom feed twice, with the required elements on the feed and each entry', async () => {
    const first = await get('/signals.atom');
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toContain('application/atom+xml');
    expect((await get('/signals.atom')).body).toBe(first.body);
    const feed = first.body;
    expect(feed).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/);
    for (const element of ['id', 'title', 'updated']) expect(feed).toMatch(new RegExp(`<feed[^>]*>\\s*[\\s\\S]*?<${element}>[^<]+</${element}>`));
    const entries = feed.match(/<entry>[\s\S]*?<\/entry>/g) ?? [];
    for (const entry of entries) {
      for (const element of ['id', 'title', 'updated']) expect(entry).toMatch(new RegExp(`<${element}>[^<]+</${element}>`));
      expect(entry).toMatch(/<link rel="alternate" type="text\/html" href="http:\/\/localhost(:\d+)?\/org\/[A-Z0-9]+\/[a-z0-9_]+"\/>/);
    }
  }, 60_000);

  it('lists signals on a page, per month and per organisation', async () => {
    const page = await get('/signals');
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toMatch(/What changed/);
    expect(page.body).toContain('href="/signals.atom"');
    expect((await get('/org/ENG/signals')).statusCode).toBe(200);
    expect((await get('/org/ENG/signals.atom')).body).toContain('<id>tag:planwatch,2026:signals/ENG</id>');
    expect((await get('/org/ZZZ/signals.atom')).statusCode).toBe(404);
  }, 60_000);
});

describe('GET /league/:metric', () => {
  it('ranks every trust, best first, in a sortable table', async () => {
    const response = await get('/league/ae_4hr');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('nhsuk-table--sortable');
    expect(response.body).toContain('aria-sort="ascending"');
    expect(response.body.match(/href="\/org\/R[A-D]{2}"/g)).toHaveLength(4);
    // The synthetic trusts all run a type 1 department: the A&E default peer group holds them all.
    expect(text(response.body)).toContain('4 trusts with a major emergency department, ranked highest first');
  });

  it('compares a chosen peer group, or every trust, and shows MDC icons on each row', async () => {
    const all = await get('/league/ae_4hr?group=all');
    expect(text(all.body)).toContain('4 trusts, ranked highest first');
    expect(all.body).toMatch(/<option value="type1"[^>]*>Trusts with a major emergency department<\/option>/);
    const rows = all.body.match(/<tr[^>]*>\s*<td[\s\S]*?<\/tr>/g) ?? [];
    expect(rows).toHaveLength(4);
    for (const row of rows) expect(row).toMatch(/role="img" aria-label="(Common cause|Special cause)[^"]*"/);
    expect((await get('/league/ae_4hr?group=nonsense')).statusCode).toBe(400);
  });

  it('filters by region', async () => {
    const response = await get('/league/ae_4hr?region=Y56');
    expect(response.body.match(/href="\/org\/R[A-D]{2}"/g)?.sort()).toEqual(['href="/org/RAA"', 'href="/org/RBB"']);
  });

  it('adds "most improved" between two months and sorts on it', async () => {
    const response = await get('/league/ae_4hr?from=2025-01&period=2025-03&sort=improvement');
    expect(response.statusCode).toBe(200);
    const page = text(response.body);
    expect(page).toContain('Improvement rank');
    expect(page).toContain('In January 2025');
    const ranks = [...page.matchAll(/ (\d) \([+−±][\d.]+ pts\)/g)].map((m) => Number(m[1]));
    expect(ranks).toEqual([1, 2, 3, 4]);
  });

  it('sorts by name either way', async () => {
    const order = (html: string) => [...html.matchAll(/href="\/org\/(R[A-D]{2})"/g)].map((m) => m[1]);
    expect(order((await get('/league/ae_4hr?sort=name&order=ascending')).body)).toEqual(['RAA', 'RDD', 'RCC', 'RBB']);
    expect(order((await get('/league/ae_4hr?sort=name&order=descending')).body)).toEqual(['RBB', 'RCC', 'RDD', 'RAA']);
  });

  it('answers 400 with a clear message for a month that is not YYYY-MM', async () => {
    const response = await get('/league/ae_4hr?period=2025-13');
    expect(response.statusCode).toBe(400);
    expect(text(response.body)).toContain('Query parameter "period" must be a month as YYYY-MM, e.g. 2025-03, not "2025-13".');
  });

  it('answers 404 for an unknown measure and for a month with no figures', async () => {
    expect((await get('/league/no_such_measure')).statusCode).toBe(404);
    expect((await get('/league/ae_4hr?period=2031-01')).statusCode).toBe(404);
  });

  it('lists the league tables at /league, only for collections in the store', async () => {
    const response = await get('/league');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('href="/league/ae_dta_12hr"');
    expect(response.body).not.toContain('href="/league/amb_c2_mean"');
  });
});

describe('GET /api/v1/…', () => {
  it('/orgs lists every organisation, or those matching q', async () => {
    const all = orgsResponse.parse((await get('/api/v1/orgs')).json());
    expect(all.orgs.map((org) => org.code)).toEqual(expect.arrayContaining(['ENG', 'Y56', 'RAA', 'RBB', 'RCC', 'RDD']));
    const some = orgsResponse.parse((await get('/api/v1/orgs?q=midlands')).json());
    expect(some.orgs.map((org) => org.code)).toEqual(['Y60', 'RDD']);
  });

  it('/series/:org/:metric gives the points with SPC fields and the icons', async () => {
    const response = await get('/api/v1/series/RAA/ae_4hr?from=2024-04');
    expect(response.statusCode).toBe(200);
    const body = seriesResponse.parse(response.json());
    expect(body.points.map((p) => p.period)).toEqual(['2024-04', '2024-05', '2024-06', '2024-07', '2024-08', '2024-09', '2024-10', '2024-11', '2024-12', '2025-01', '2025-02', '2025-03']);
    for (const point of body.points) expect(point.value).toBeCloseTo((100 * point.numerator!) / point.denominator!, 10);
    expect(body.points[0]!.upl).toBeGreaterThan(body.points[0]!.mean!);
    expect(body.target?.threshold).toBe(78);
    expect(body.assurance).not.toBeNull();
  });

  it('/league/:metric ranks, with the change since a month when asked', async () => {
    const body = leagueResponse.parse((await get('/api/v1/league/ae_4hr?period=2025-03&from=2025-01')).json());
    expect(body.rows).toHaveLength(4);
    expect(body.rows.map((row) => row.improvementRank).sort()).toEqual([1, 2, 3, 4]);
  });

  it('/status/:org gives every applicable target', async () => {
    const body = statusResponse.parse((await get('/api/v1/status/RAA')).json());
    expect(body.lines.map((line) => line.targetId)).toEqual(expect.arrayContaining(['std-ae-4hr']));
  });

  it('answers CSV with ?format=csv, one header line then a row per item', async () => {
    for (const [url, header] of [
      ['/api/v1/orgs?format=csv', 'code,name,level,region,icb,last_period,closed'],
      ['/api/v1/series/RAA/ae_4hr?format=csv', 'org,metric,period,value,numerator,denominator,mean,lower_process_limit,upper_process_limit,point_type,note,includes_estimates,basis'],
      ['/api/v1/league/ae_4hr?format=csv', 'rank,org,name,region,period,value,numerator,denominator,year_earlier,change_on_year,target_met'],
      ['/api/v1/status/RAA?format=csv', 'org,target,title,metric,assessed_period,value,comparator,threshold,met,final,gap,last_met,projected_period,projected_value,projected_low,projected_high,verdict,needed_per_month,needed_patients_per_month'],
    ] as const) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(response.headers['content-disposition']).toMatch(/^attachment; filename="planwatch-[\w.-]+\.csv"$/);
      expect(response.body.split('\n')[0]).toBe(header);
    }
    const series = (await get('/api/v1/series/RAA/ae_4hr?format=csv')).body.trim().split('\n');
    expect(series).toHaveLength(31);
  });

  it('answers 404 and 400 as JSON naming the problem', async () => {
    const unknown = await get('/api/v1/series/ZZZ/ae_4hr');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: { status: 404, code: 'E_NOT_FOUND', message: expect.stringContaining('Unknown organisation "ZZZ"') } });
    expect((await get('/api/v1/league/nope')).statusCode).toBe(404);
    expect((await get('/api/v1/status/ZZZ')).statusCode).toBe(404);
    const bad = await get('/api/v1/league/ae_4hr?period=2025-13');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toBe('Query parameter "period" must be a month as YYYY-MM, e.g. 2025-03, not "2025-13".');
    expect((await get('/api/v1/orgs?format=xml')).statusCode).toBe(400);
    expect((await get('/api/v1/league/ae_4hr?level=county')).statusCode).toBe(400);
    expect((await get('/api/v1/nothing-here')).json().error.status).toBe(404);
  });
});

describe('GET /api/v1/openapi.json', () => {
  it('is an OpenAPI 3.1 document listing every API route with its parameters', async () => {
    const routes: string[] = [];
    const probe = Fastify();
    probe.addHook('onRoute', (route) => {
      if (route.method === 'GET' && route.url.startsWith('/api/v1/')) routes.push(route.url.replace(/:(\w+)/g, '{$1}'));
    });
    await probe.register(app, { store });
    await probe.ready();
    const document = (await probe.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    await probe.close();
    expect(document.openapi).toBe('3.1.0');
    expect(routes.length).toBeGreaterThanOrEqual(5);
    expect(Object.keys(document.paths).sort()).toEqual([...new Set(routes)].sort());
    const league = document.paths['/api/v1/league/{metric}'].get;
    expect(league.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(['path:metric', 'query:period', 'query:from', 'query:level', 'query:region', 'query:as_of', 'query:format']);
    expect(league.parameters[1].schema.pattern).toBe('^(\\d{4})-(0[1-9]|1[0-2])$');
    expect(league.responses['200'].content['application/json'].schema.properties.rows.type).toBe('array');
    expect(league.responses['200'].content).toHaveProperty('text/csv');
  });
});

describe('errors and assets', () => {
  it('answers an unexpected failure with a generic 500 page and no stack trace', async () => {
    const fastify = Fastify();
    await fastify.register(app, { store });
    await fastify.register(async (scope) => {
      scope.get('/boom', async () => {
        throw new Error('secret internal detail');
      });
    });
    const response = await fastify.inject({ method: 'GET', url: '/boom' });
    await fastify.close();
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('secret internal detail');
    expect(response.body).not.toMatch(/at .*\.ts:\d+/);
    expect(text(response.body)).toContain('Sorry, there is a problem with the service');
  });

  it("serves nhsuk-frontend's CSS, JS and images, but not its templates", async () => {
    expect((await get('/nhsuk/nhsuk-frontend.min.css')).statusCode).toBe(200);
    expect((await get('/nhsuk/nhsuk-frontend.min.js')).statusCode).toBe(200);
    expect((await get('/nhsuk/assets/images/favicon.svg')).statusCode).toBe(200);
    expect((await get('/nhsuk/template.njk')).statusCode).toBe(404);
    expect((await get('/static/planwatch.css')).statusCode).toBe(200);
  });

  it('serves every icon the nhsuk-frontend stylesheet asks for at the path it asks', async () => {
    const css = (await get('/nhsuk/nhsuk-frontend.min.css')).body;
    const icons = [...new Set([...css.matchAll(/url\((\/[^)]+)\)/g)].map((match) => match[1]!))];
    expect(icons.length).toBeGreaterThan(0);
    for (const icon of icons) expect((await get(icon)).statusCode, icon).toBe(200);
  });

  it('sends a cached page gzipped to clients that accept it, the same page once unzipped', async () => {
    const plain = await get('/org/RBB');
    const zipped = await server.inject({ method: 'GET', url: '/org/RBB', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toBe('accept-encoding');
    expect(gunzipSync(zipped.rawPayload).toString('utf8')).toBe(plain.body);
    expect(plain.headers['content-encoding']).toBeUndefined();
  });

  it('shows a 404 page for an address that does not exist', async () => {
    const response = await get('/no/such/page');
    expect(response.statusCode).toBe(404);
    expect(text(response.body)).toContain('Page not found');
  });

  it('serves the open-data page', async () => {
    const response = await get('/api');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('href="/api/v1/league/ae_4hr?period=2025-03"');
  });
});
