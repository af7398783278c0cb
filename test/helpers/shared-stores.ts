import { copyFileSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { ingestPaths } from '../../src/cli/commands/ingest.js';
import { Store } from '../../src/store/store.js';
import { buildOnce, runDir } from './build-once.js';
import { realPath } from './real-data.js';

/**
 * Stores built from the real NHS England files once per `vitest run` and shared by every test
 * file that reads them (issue 10 item 6). Ingesting the same real files into a fresh store in
 * each test file was most of the suite's time; now the first file that asks builds the store
 * (the others wait for it, across worker processes) and each opens it read-only. A test that
 * writes takes its own copy with `sharedStoreCopy`.
 *
 * Add a store by adding a recipe below: a name and the real files or folders it ingests, in
 * order. Stores live in the run's folder that test/setup/global.ts makes and removes, so a
 * change to the code that ingests can never leave a stale store behind.
 */
export const RECIPES = {
  /** Every monthly A&E CSV and the NHS-R 2016–2019 series: what the pages show in the browser tests. */
  ae: () => [realPath('ae_monthly'), realPath('ae_nhsrdatasets')],
  /** The latest file of every folder (under 10 MB): an organisation page with every collection. */
  'latest-of-every-folder': () => latestFilesOfEveryFolder(realPath()),
} satisfies Record<string, () => string[]>;

export type SharedStoreName = keyof typeof RECIPES;

/**
 * The files of a recipe, expanded, with size and modification time: the key of the store, so
 * two recipes over the same files share one build and changed files never meet an old store.
 */
function inputsOf(name: SharedStoreName): string[] {
  const files: string[] = [];
  const walk = (target: string) => {
    if (statSync(target).isDirectory()) {
      for (const entry of readdirSync(target).sort()) walk(path.join(target, entry));
    } else {
      const { size, mtimeMs } = statSync(target);
      files.push(`${target}\t${size}\t${mtimeMs}`);
    }
  };
  for (const target of RECIPES[name]()) walk(target);
  return files;
}

async function build(name: SharedStoreName, target: string): Promise<void> {
  const building = `${target}.building-${process.pid}`;
  rmSync(building, { force: true });
  const store = await Store.open(building);
  try {
    const outcomes = await ingestPaths(store, RECIPES[name]());
    // A recipe may name files of collections Planwatch does not read (the latest file of every
    // folder include schemas and overview workbooks): those are left out, as a folder's are. Any
    // other refusal is a broken store.
    const refused = outcomes.filter((outcome) => outcome.status === 'rejected' && outcome.error?.code !== 'E_UNKNOWN_COLLECTION');
    if (refused.length > 0) {
      throw new Error(`shared store "${name}": ${refused.map((outcome) => `${outcome.path}: ${outcome.error?.message}`).join('; ')}`);
    }
    // Everything in the main file, no write-ahead log beside it: readers open the file alone.
    await store.run('CHECKPOINT');
  } finally {
    store.close();
  }
  renameSync(building, target);
}

/**
 * The path of the shared store `name`, built if no process of this run has built it yet. Only
 * one process builds it: the others wait until it is there. Open it read-only.
 */
export async function sharedStorePath(name: SharedStoreName): Promise<string> {
  const key = createHash('sha256').update(name).update('\n').update(inputsOf(name).join('\n')).digest('hex').slice(0, 16);
  return buildOnce(`${name}-${key}.duckdb`, (target) => build(name, target));
}

/** The shared store `name`, open read-only: any write throws. Close it in afterAll. */
export async function sharedStore(name: SharedStoreName): Promise<Store> {
  return Store.open(await sharedStorePath(name), { readOnly: true });
}

/** A writable copy of the shared store `name`, in a folder of its own: for tests that ingest or for the CLI. */
export async function sharedStoreCopy(name: SharedStoreName): Promise<string> {
  const source = await sharedStorePath(name);
  const copy = path.join(mkdtempSync(path.join(runDir(), `${name}-copy-`)), 'store.duckdb');
  copyFileSync(source, copy);
  return copy;
}

/**
 * Stores are built inside the shared-store hooks of the files that use them: the first such
 * file waits for a build, so its hook needs time for a whole ingest even on a loaded machine.
 * The build itself is bounded by the files, not the clock; this only stops a hang.
 */
export const SHARED_STORE_TIMEOUT_MS = 20 * 60_000;

const MAX_BYTES = 10 * 1024 * 1024;

/**
 * Every folder of the real files gives its latest file (by name, which starts with the month),
 * so each collection is there without years of it (the A&E folders still give years, from the
 * NHS-R series and a workbook); files over 10 MB, and the national RTT extracts (a zip of
 * 3.5 MB holds a month of every provider, specialty and week band: a quarter of this store's
 * build), are left to their own tests. The RTT figures come from the one-trust extract and the
 * overview timeseries.
 */
export function latestFilesOfEveryFolder(root: string): string[] {
  const picked: string[] = [];
  const walk = (dir: string) => {
    if (path.basename(dir) === 'full_extract') return;
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    const files = entries.filter((e) => e.isFile() && !e.name.startsWith('.') && !/^(README|SHA256SUMS)/.test(e.name)).map((e) => path.join(dir, e.name));
    picked.push(...files.filter((file) => statSync(file).size <= MAX_BYTES).slice(-1));
    for (const e of entries.filter((entry) => entry.isDirectory())) walk(path.join(dir, e.name));
  };
  walk(root);
  return picked;
}
