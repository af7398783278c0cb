import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { isEnoent } from '../../errors.js';
import type { Effects } from '../contract.js';
import { connectionError, DEFAULT_RETRY, fetchError, get, TransientFetchError, withRetry, type RetryPolicy } from './request.js';

/**
 * A download cache for published files, keyed by URL and checksum (issue 2, "Fetch").
 *
 * `<cacheDir>/index.json` maps each URL to what was last downloaded from it; the bytes live
 * once per SHA-256 under `<cacheDir>/files/<sha256>/<name as published>`, so the same file
 * linked under two URLs is stored once and a changed file never overwrites the old one.
 * A second download of a URL is a conditional request (If-None-Match / If-Modified-Since);
 * on 304 the cached copy is used. Bytes are written to a temporary name and renamed into
 * place only when complete, as Observable Framework's loader cache does (STYLE.md §2), so a
 * failed or cut-off download leaves nothing behind.
 */

const entrySchema = z.object({
  /** Path of the bytes, relative to the cache folder. */
  file: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
  etag: z.string().optional(),
  lastModified: z.string().optional(),
  /** When these bytes were first downloaded from this URL (ISO 8601). */
  fetchedAt: z.string(),
  /** When the server last confirmed them, by 304 or by sending the same bytes. */
  checkedAt: z.string().optional(),
});

const indexSchema = z.object({ version: z.literal(1), entries: z.record(z.string(), entrySchema) });

export type CacheEntry = z.infer<typeof entrySchema>;

/** Progress of one file: bytes received so far and, when the server says, the total. */
export interface FileProgress {
  url: string;
  name: string;
  received: number;
  total?: number;
}

export interface Downloaded {
  url: string;
  /** Absolute path of the cached bytes. */
  path: string;
  sha256: string;
  bytes: number;
  /** True when the server answered 304 and the cached copy was used. */
  fromCache: boolean;
}

const INDEX_FILE = 'index.json';
const FILES_DIR = 'files';

export class DownloadCache {
  private constructor(
    readonly dir: string,
    private readonly entries: Map<string, CacheEntry>,
  ) {}

  /** Opens (or starts) the cache in `dir`. An unreadable index is set aside with a warning. */
  static async open(dir: string, io: Pick<Effects, 'logger'>): Promise<DownloadCache> {
    const indexPath = path.join(dir, INDEX_FILE);
    let text: string;
    try {
      text = await readFile(indexPath, 'utf8');
    } catch (error) {
      if (isEnoent(error)) return new DownloadCache(dir, new Map());
      throw error;
    }
    const parsed = indexSchema.safeParse(parseJson(text));
    if (!parsed.success) {
      // The files are named by checksum, so nothing is lost but the conditional requests.
      io.logger.warn(`Download cache index ${indexPath} is unreadable; starting a new one (files will be downloaded again).`);
      return new DownloadCache(dir, new Map());
    }
    return new DownloadCache(dir, new Map(Object.entries(parsed.data.entries)));
  }

  /** What the cache holds for a URL, if anything. */
  entry(url: string): CacheEntry | undefined {
    return this.entries.get(url);
  }

  /**
   * Downloads `target.url` into the cache, or confirms the cached copy with a conditional
   * request. Network and HTTP failures throw PlanwatchError('E_FETCH') naming the URL;
   * transient ones (connection lost, body cut off, 5xx) are tried again per `retry`.
   */
  async download(
    target: { url: string; name: string },
    io: Effects,
    onProgress: (progress: FileProgress) => void = () => {},
    retry: RetryPolicy = DEFAULT_RETRY,
  ): Promise<Downloaded> {
    const { url } = target;
    const cached = await this.verified(url, io);
    const conditional: Record<string, string> = {};
    if (cached?.etag) conditional['if-none-match'] = cached.etag;
    if (cached?.lastModified) conditional['if-modified-since'] = cached.lastModified;

    return withRetry(
      async () => {
        const response = await get(url, io, { accept: '*/*', ...conditional });
        const now = io.now().toISOString();
        if (response.status === 304) {
          if (!cached) throw fetchError(url, 'the server answered 304 Not Modified to a request that was not conditional.');
          await this.record(url, { ...cached, checkedAt: now });
          return { url, path: path.join(this.dir, cached.file), sha256: cached.sha256, bytes: cached.bytes, fromCache: true };
        }
        const received = await this.receive(response, target, onProgress);
        const file = await this.keep(received.tempPath, received.sha256, target.name);
        const entry: CacheEntry = { file, sha256: received.sha256, bytes: received.bytes, fetchedAt: now, checkedAt: now };
        const etag = response.headers.get('etag');
        const lastModified = response.headers.get('last-modified');
        if (etag) entry.etag = etag;
        if (lastModified) entry.lastModified = lastModified;
        if (cached?.sha256 === entry.sha256) entry.fetchedAt = cached.fetchedAt;
        await this.record(url, entry);
        return { url, path: path.join(this.dir, file), sha256: entry.sha256, bytes: entry.bytes, fromCache: false };
      },
      retry,
      io,
    );
  }

  /**
   * The cache entry for `url` if its bytes are still on disk and still hash to the recorded
   * checksum; otherwise the entry is dropped and the file is downloaded in full.
   */
  private async verified(url: string, io: Pick<Effects, 'logger'>): Promise<CacheEntry | undefined> {
    const entry = this.entries.get(url);
    if (!entry) return undefined;
    const sha256 = await hashFile(path.join(this.dir, entry.file));
    if (sha256 === entry.sha256) return entry;
    io.logger.warn(`Cached copy of ${url} is ${sha256 === undefined ? 'missing' : 'damaged'}; downloading it again.`);
    this.entries.delete(url);
    return undefined;
  }

  /** Streams the body to a temporary file, hashing and counting as it goes. */
  private async receive(
    response: Response,
    target: { url: string; name: string },
    onProgress: (progress: FileProgress) => void,
  ): Promise<{ tempPath: string; sha256: string; bytes: number }> {
    const { url, name } = target;
    // Content-Length counts the bytes on the wire; when the body is compressed fetch hands us
    // more than that, so the length is only a check for unencoded bodies.
    const encoding = response.headers.get('content-encoding');
    const declared = response.headers.get('content-length');
    const total = declared !== null && (!encoding || encoding === 'identity') ? Number(declared) : undefined;

    await mkdir(path.join(this.dir, FILES_DIR), { recursive: true });
    const tempPath = path.join(this.dir, FILES_DIR, `.partial-${randomUUID()}`);
    const hash = createHash('sha256');
    let received = 0;
    const handle = await open(tempPath, 'wx');
    try {
      try {
        if (response.body) {
          for await (const chunk of response.body) {
            hash.update(chunk);
            await handle.write(chunk);
            received += chunk.byteLength;
            onProgress(total === undefined ? { url, name, received } : { url, name, received, total });
          }
        }
      } catch (error) {
        throw total === undefined ? connectionError(url, error) : cutOff(url, received, total, error);
      } finally {
        await handle.close();
      }
      if (total !== undefined && received !== total) throw cutOff(url, received, total);
      if (received === 0) {
        throw new TransientFetchError('E_FETCH', `Could not fetch ${url}: the server sent an empty file.`, { file: url });
      }
    } catch (error) {
      await rm(tempPath, { force: true });
      throw error;
    }
    return { tempPath, sha256: hash.digest('hex'), bytes: received };
  }

  /**
   * Moves complete bytes into `files/<sha256>/`, unless the same bytes are already there
   * (under this or another name), and returns the path relative to the cache folder.
   * The folder is checked on disk, not in the index, so a lost index does not duplicate files.
   */
  private async keep(tempPath: string, sha256: string, name: string): Promise<string> {
    const folder = path.join(this.dir, FILES_DIR, sha256);
    for (const existing of await filesIn(folder)) {
      const file = path.join(FILES_DIR, sha256, existing);
      if ((await hashFile(path.join(this.dir, file))) === sha256) {
        await rm(tempPath, { force: true });
        return file;
      }
      // Altered on disk since it was stored: the fresh bytes take its place.
      await rm(path.join(this.dir, file), { force: true });
    }
    await mkdir(folder, { recursive: true });
    const file = path.join(FILES_DIR, sha256, safeFileName(name));
    await rename(tempPath, path.join(this.dir, file));
    return file;
  }

  /** Records an entry and writes the index atomically, so an interrupted run keeps a valid one. */
  private async record(url: string, entry: CacheEntry): Promise<void> {
    this.entries.set(url, entry);
    const indexPath = path.join(this.dir, INDEX_FILE);
    const tempPath = `${indexPath}.${randomUUID()}.tmp`;
    const index = { version: 1, entries: Object.fromEntries(this.entries) };
    await mkdir(this.dir, { recursive: true });
    await writeFile(tempPath, `${JSON.stringify(index, null, 2)}\n`);
    await rename(tempPath, indexPath);
  }
}

function cutOff(url: string, received: number, total: number, cause?: unknown): TransientFetchError {
  const problem = `the download stopped after ${received} of ${total} bytes.`;
  return new TransientFetchError('E_FETCH', `Could not fetch ${url}: ${problem}`, { file: url }, cause === undefined ? undefined : { cause });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

/** SHA-256 of a file, or undefined when it does not exist. */
async function hashFile(file: string): Promise<string | undefined> {
  try {
    await stat(file);
  } catch (error) {
    if (isEnoent(error)) return undefined;
    throw error;
  }
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function filesIn(folder: string): Promise<string[]> {
  try {
    return (await readdir(folder)).filter((name) => !name.startsWith('.')).sort();
  } catch (error) {
    if (isEnoent(error)) return [];
    throw error;
  }
}

/**
 * The published name, made safe to use as a file name: no folders, nothing hidden, only
 * characters every filesystem accepts. NHS England names already fit; this guards the rest.
 */
export function safeFileName(name: string): string {
  const cleaned = path
    .basename(name.replace(/\\/g, '/'))
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^\.+/, '');
  return cleaned === '' ? 'download' : cleaned;
}
