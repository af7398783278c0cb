import { PGlite } from '@electric-sql/pglite';

/**
 * Creates an interface log's PGlite folder and exits: run as a child process by
 * database.ts (`createInChild`), so that initdb's memory (some 800 MB of WebAssembly memory, which
 * a process never gives back) is held by a process that ends, not by the server.
 */
const dataDir = process.argv[2];
if (!dataDir) {
  process.stderr.write('usage: create-pglite DIR\n');
  process.exit(2);
}
const db = await PGlite.create({ dataDir });
await db.close();
