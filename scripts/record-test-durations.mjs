// Keeps how long each test file took in the last `vitest run` (Vitest's own record, in
// node_modules/.vite) in test/setup/durations.json, which test/setup/sequencer.ts reads to run
// the longest files first in a clone that has no record of its own. Run after a whole run:
//   npm test && npm run test:durations
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const cacheDir = path.join(root, 'node_modules', '.vite', 'vitest');
const found = readdirSync(cacheDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => path.join(cacheDir, entry.name, 'results.json'));
if (found.length !== 1) {
  console.error(`Expected one record of a Vitest run under ${cacheDir}, found ${found.length}: run \`npx vitest run\` first.`);
  process.exit(2);
}
const { results } = JSON.parse(readFileSync(found[0], 'utf8'));
const durations = Object.fromEntries(
  results
    .filter(([, result]) => typeof result.duration === 'number')
    .map(([key, result]) => [key, Math.round(result.duration / 100) * 100])
    .sort(([a], [b]) => a.localeCompare(b)),
);
const target = path.join(root, 'test', 'setup', 'durations.json');
writeFileSync(target, `${JSON.stringify(durations, null, 2)}\n`);
console.log(`${Object.keys(durations).length} test files' durations written to ${path.relative(root, target)}.`);
