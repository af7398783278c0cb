import { Unzip, UnzipInflate, UnzipPassThrough, unzipSync } from 'fflate';
import { PlanwatchError } from '../errors.js';

/**
 * The one place Planwatch opens zip archives (fflate): NHS England ships the RTT full CSV
 * extract as a zip holding a single CSV. Office workbooks are zips too; workbook.ts reads those.
 */

export function isZipBytes(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** Names of the files in an archive, read from its central directory without inflating anything. */
export function zipEntryNames(file: string, bytes: Uint8Array): string[] {
  const names: string[] = [];
  try {
    unzipSync(bytes, {
      filter: (entry) => {
        names.push(entry.name);
        return false;
      },
    });
  } catch (error) {
    throw damaged(file, error);
  }
  return names;
}

/**
 * Entries an archive carries beside its data when it was re-made on a Mac: `__MACOSX/` folders
 * holding `._name` AppleDouble files (the April 2026 RTT extract's zip has one, data README §10).
 * They are metadata, never data.
 */
export function isMacMetadata(name: string): boolean {
  return name.startsWith('__MACOSX/') || /(^|\/)\._[^/]*$/.test(name);
}

/**
 * One file of the archive, inflated piece by piece (fflate's streaming Unzip, fed 4 KB of the
 * archive at a time), so that an 81.6 MB CSV never exists as one buffer or string. A damaged or
 * cut-short archive throws E_TRUNCATED; pieces before the damage have been yielded already.
 */
export async function* zipEntryChunks(file: string, bytes: Uint8Array, name: string, slice = 4 * 1024): AsyncGenerator<Uint8Array> {
  const pending: Uint8Array[] = [];
  let failure: unknown;
  let found = false;
  let finished = false;
  const unzip = new Unzip((entry) => {
    if (entry.name !== name) return;
    found = true;
    entry.ondata = (error, chunk, final) => {
      if (error) failure = error;
      else if (chunk.length > 0) pending.push(chunk);
      if (final) finished = true;
    };
    entry.start();
  });
  unzip.register(UnzipInflate);
  unzip.register(UnzipPassThrough);
  for (let offset = 0; offset < bytes.length; offset += slice) {
    try {
      unzip.push(bytes.subarray(offset, offset + slice), offset + slice >= bytes.length);
    } catch (error) {
      failure = error;
    }
    while (pending.length > 0) yield pending.shift()!;
    if (failure !== undefined) throw damaged(file, failure);
    if (finished) return;
  }
  if (!found) throw new PlanwatchError('E_FORMAT', `${file}: the archive has no file "${name}".`, { file });
  if (!finished) throw damaged(file, new Error('the archive ends before the file does'));
}

/** Office Open XML files (xlsx) are zips with a content-types part; data archives have none. */
export function isOfficeZip(names: readonly string[]): boolean {
  return names.includes('[Content_Types].xml');
}

/** One file of the archive, inflated. */
export function readZipEntry(file: string, bytes: Uint8Array, name: string): Uint8Array {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, { filter: (entry) => entry.name === name });
  } catch (error) {
    throw damaged(file, error);
  }
  const entry = entries[name];
  if (!entry) throw new PlanwatchError('E_FORMAT', `${file}: the archive has no file "${name}".`, { file });
  return entry;
}

/**
 * The start of the first file in the archive that `wanted` accepts: its name and its first
 * `limit` bytes, inflating no more than that, for detect(): a 60 MB extract costs the same to
 * recognise as a small one. Entries are read in order from the start of the archive, so a file
 * cut short still shows its head. Undefined when nothing can be read (parse() reports why).
 */
export function zipEntryHead(bytes: Uint8Array, wanted: (name: string) => boolean, limit = 64 * 1024): { name: string; head: Uint8Array } | undefined {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let name: string | undefined;
  const unzip = new Unzip((entry) => {
    if (name !== undefined || !wanted(entry.name)) return;
    name = entry.name;
    entry.ondata = (error, chunk) => {
      if (error) return;
      chunks.push(chunk);
      size += chunk.length;
      if (size >= limit) entry.terminate();
    };
    entry.start();
  });
  unzip.register(UnzipInflate);
  unzip.register(UnzipPassThrough);
  try {
    unzip.push(bytes, true);
  } catch {
    // A cut-short archive still yields the chunks read before the damage.
    if (size === 0) return undefined;
  }
  if (name === undefined || size === 0) return undefined;
  const head = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    head.set(chunk, offset);
    offset += chunk.length;
  }
  return { name, head: head.subarray(0, Math.min(size, limit)) };
}

function damaged(file: string, error: unknown): PlanwatchError {
  return new PlanwatchError('E_TRUNCATED', `${file}: the zip archive cannot be read (${(error as Error).message}); it may be damaged or cut short.`, { file }, { cause: error });
}
