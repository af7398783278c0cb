import type { FastifyReply } from 'fastify';

// The writer itself is shared by every layer (src/csv.ts); routes import it from here or there.
export { csvText, toCsv, type CsvColumn, type CsvValue } from '../csv.js';

export function sendCsv(reply: FastifyReply, filename: string, csv: string): FastifyReply {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`)
    .send(csv);
}
