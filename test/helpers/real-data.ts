import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Where the real NHS England files are: PLANWATCH_REAL_DATA, else ../shared/data when it
 * exists. Tests over real files use `describeReal`, which skips with a message saying so.
 */
function locate(): string | undefined {
  const fromEnv = process.env.PLANWATCH_REAL_DATA;
  if (fromEnv) return existsSync(fromEnv) ? path.resolve(fromEnv) : undefined;
  const sibling = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'data');
  return existsSync(sibling) ? sibling : undefined;
}

export const realDataDir: string | undefined = locate();

export function realPath(...parts: string[]): string {
  if (!realDataDir) throw new Error('PLANWATCH_REAL_DATA is not set and ../shared/data does not exist');
  return path.join(realDataDir, ...parts);
}

if (!realDataDir) {
  process.stderr.write(
    'SKIPPING real-data tests: set PLANWATCH_REAL_DATA to the folder of NHS England files (../shared/data was not found).\n',
  );
}
