import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { discoverAmbulance } from '../../../src/sources/ambulance/index.js';
import { startLocalServer } from '../../helpers/local-server.js';

// A synthetic landing page with the link shapes publications.md §3 records: absolute links to
// NHS England's host (moved onto the base URL), relative links, and files that are not AmbSYS.
const LANDING = `<html><body><nav><a href="/">Home</a><a href="#content">Skip</a></nav>
<a href="https://www.england.nhs.uk/statistics/wp-content/uploads/sites/2/2025/09/AmbSYS-Time-Series-until-20250831.xlsx">Ambulance Systems Indicators Time Series to August 2025 (xlsx, 3MB)</a>
<a href="/statistics/wp-content/uploads/sites/2/2024/05/AmbSYS-to-April-2024.csv">Systems Indicators (csv, 298KB)</a>
<a href="/statistics/wp-content/uploads/sites/2/2023/10/AmbCO-to-Jul-2023.csv">Clinical Outcomes (csv)</a>
</body></html>`;

describe('discoverAmbulance({ baseUrl }, io)', () => {
  it('reads the AQI landing page under the base URL and yields the AmbSYS files only', async () => {
    const server = await startLocalServer((request, response) => {
      if (request.url === '/statistics/statistical-work-areas/ambulance-quality-indicators/') {
        response.writeHead(200, { 'content-type': 'text/html' }).end(LANDING);
      } else {
        response.writeHead(404).end();
      }
    });
    try {
      const io = { fetch: globalThis.fetch, logger: pino({ level: 'silent' }), now: () => new Date() };
      const found = [];
      for await (const publication of discoverAmbulance({ baseUrl: server.origin }, io)) found.push(publication);
      expect(found.map((p) => p.name)).toEqual(['AmbSYS-Time-Series-until-20250831.xlsx', 'AmbSYS-to-April-2024.csv']);
      expect(found.every((p) => p.url.startsWith(server.origin))).toBe(true);
    } finally {
      await server.close();
    }
  });
});
