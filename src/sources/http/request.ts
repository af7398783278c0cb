import { PlanwatchError } from '../../errors.js';
import type { Effects } from '../contract.js';

/**
 * Requests to NHS England's site, shared by every collection's discovery and by the
 * downloader: one User-Agent, one way of turning failures into E_FETCH, one retry rule.
 */

/**
 * Names the program and what it does. One public script reports that NHS England turns away
 * some automated clients; maintained scrapers send a descriptive User-Agent and are served
 * (publications.md §1.7), so we say who we are rather than pose as a browser.
 */
export const USER_AGENT = 'Planwatch/0.1 (open-source reader of NHS England performance statistics; Node.js fetch)';

/** How hard to try. Tests pass zero delays; the defaults suit the real site. */
export interface RetryPolicy {
  /** Attempts per request, counting the first. */
  attempts: number;
  /** Wait before a retry. */
  delayMs: number;
}

/**
 * Two attempts a second apart: NHS England's site has had one-off 404s and empty bodies that
 * were fine on a second try (publications.md §1.7), and a second try costs little.
 */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 2, delayMs: 1000 };

/** An E_FETCH that a second attempt may cure (connection lost, body cut off, 5xx, 429). */
export class TransientFetchError extends PlanwatchError {}

/** The E_FETCH error users see: the URL and what went wrong with it. */
export function fetchError(url: string, problem: string, cause?: unknown): PlanwatchError {
  return new PlanwatchError('E_FETCH', `Could not fetch ${url}: ${problem}`, { file: url }, cause === undefined ? undefined : { cause });
}

function transientError(url: string, problem: string, cause?: unknown): TransientFetchError {
  return new TransientFetchError('E_FETCH', `Could not fetch ${url}: ${problem}`, { file: url }, cause === undefined ? undefined : { cause });
}

/** Describes a failed fetch() call in plain words, keeping the library error as the cause. */
export function connectionError(url: string, error: unknown): TransientFetchError {
  const reason = (error as Error)?.cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error)?.message;
  return transientError(url, `the connection failed (${reason ?? String(error)}). Check the network and try again.`, error);
}

/**
 * GET with Planwatch's User-Agent. Answers other than 2xx and 304 become E_FETCH naming the
 * URL and status; server errors and 429 are marked transient so that `withRetry` tries again.
 */
export async function get(url: string, io: Pick<Effects, 'fetch'>, headers: Record<string, string> = {}): Promise<Response> {
  let response: Response;
  try {
    response = await io.fetch(url, { headers: { 'user-agent': USER_AGENT, ...headers }, redirect: 'follow' });
  } catch (error) {
    throw connectionError(url, error);
  }
  if (response.ok || response.status === 304) return response;
  // The body is not needed; release the connection.
  await response.body?.cancel();
  const problem = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`;
  if (response.status >= 500 || response.status === 429) throw transientError(url, problem);
  throw fetchError(url, problem);
}

/** Runs `attempt` again after a pause when it fails with a transient E_FETCH. */
export async function withRetry<T>(
  attempt: () => Promise<T>,
  policy: RetryPolicy,
  io: Pick<Effects, 'logger'>,
): Promise<T> {
  for (let tried = 1; ; tried++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof TransientFetchError) || tried >= policy.attempts) throw error;
      io.logger.warn(`${error.message} Trying again (attempt ${tried + 1} of ${policy.attempts}).`);
      await new Promise((resolve) => setTimeout(resolve, policy.delayMs));
    }
  }
}

/**
 * Fetches an HTML page as text, with the URL it was finally served from (after redirects,
 * e.g. WordPress adding a trailing slash) for resolving its relative links. An empty body
 * counts as transient (publications.md §1.7).
 */
export async function fetchPage(
  url: string,
  io: Pick<Effects, 'fetch' | 'logger'>,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<{ html: string; url: string }> {
  return withRetry(
    async () => {
      const response = await get(url, io, { accept: 'text/html,application/xhtml+xml' });
      let html: string;
      try {
        html = await response.text();
      } catch (error) {
        throw connectionError(url, error);
      }
      if (html.trim() === '') throw transientError(url, 'the page came back empty.');
      return { html, url: response.url || url };
    },
    policy,
    io,
  );
}
