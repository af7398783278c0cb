// The yardstick for `planwatch ingest` (issue 10 item 5): a plain Node process that opens a fresh
// DuckDB file with the same API Planwatch uses and lets DuckDB's own read_csv load each file
// into a table (no validation, no provenance). Plain JavaScript, so neither side pays for tsx.
// Usage: node bench/read-csv.mjs DB FILE...
import { DuckDBInstance } from '@duckdb/node-api';

const [db, ...files] = process.argv.slice(2);
const instance = await DuckDBInstance.create(db);
const connection = await instance.connect();
for (const [index, file] of files.entries()) {
  await connection.run(`CREATE TABLE t${index} AS SELECT * FROM read_csv($1, header = true)`, [file]);
}
connection.closeSync();
instance.closeSync();
