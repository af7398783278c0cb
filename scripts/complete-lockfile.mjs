#!/usr/bin/env node
// The npm registry this project is developed against mirrors only linux-x64 builds of packages
// that ship one binary per platform (@duckdb/node-bindings-*, @rollup/rollup-*). npm then leaves
// the other platforms' optional packages out of package-lock.json, and `npm ci` refuses the
// lockfile everywhere ("Missing: … from lock file"). This adds the missing optional entries with
// the os/cpu/libc their names state, so `npm ci` skips them on other platforms and fetches them
// by name and version on theirs. Run it after every `npm install`: `npm run lock:complete`.
import { readFileSync, writeFileSync } from 'node:fs';

const OS = ['darwin', 'linux', 'win32', 'android', 'freebsd', 'openbsd', 'netbsd', 'openharmony', 'sunos', 'aix'];
const CPU = ['arm64', 'x64', 'ia32', 'loong64', 'ppc64', 'riscv64', 's390x', 'mips64el', 'arm'];

function platformOf(name) {
  const tokens = name.split('/').pop().split('-');
  const os = tokens.find((token) => OS.includes(token));
  const cpu = tokens.find((token) => CPU.includes(token));
  if (!os || !cpu) return undefined;
  const libc = tokens.some((t) => t.startsWith('musl')) ? ['musl'] : tokens.some((t) => t.startsWith('gnu')) ? ['glibc'] : undefined;
  return { os: [os], cpu: [cpu], ...(libc ? { libc } : {}) };
}

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
let added = 0;
for (const [key, entry] of Object.entries(lock.packages)) {
  for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    const where = `node_modules/${name}`;
    if (lock.packages[where] || lock.packages[`${key}/${where}`]) continue;
    const platform = platformOf(name);
    if (!platform || !/^\d[\w.+-]*$/.test(spec)) continue;
    lock.packages[where] = { version: spec, ...platform, optional: true };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} optional platform entries`);
