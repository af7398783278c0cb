/**
 * One error type for everything a user can cause (STYLE.md §5). The message is for people:
 * what went wrong, where, and what to do. `at` names the file, sheet, line and column so that
 * tests and the CLI can report the place without parsing the message.
 */
export type ErrorCode =
  | 'E_HEADER'
  | 'E_NUMBER'
  | 'E_TRUNCATED'
  | 'E_EMPTY'
  | 'E_DUPLICATE'
  | 'E_FORMAT'
  | 'E_VALUE'
  | 'E_TOTAL_MISMATCH'
  | 'E_UNKNOWN_COLLECTION'
  | 'E_USAGE'
  | 'E_NOT_FOUND'
  | 'E_TARGETS'
  // A bad events file (events/*.yaml, the chart annotations of issue 13).
  | 'E_EVENTS'
  | 'E_FETCH'
  // The store is held by another process (DuckDB allows one writer): exit 3, nothing changed.
  | 'E_LOCKED'
  // Configuration from the environment that cannot be used (PLANWATCH_*, DATABASE_URL).
  | 'E_CONFIG'
  // The interface log (issue 7): refused, not allowed, not in a state for this, patient data.
  | 'E_INVALID'
  | 'E_FORBIDDEN'
  | 'E_CONFLICT'
  | 'E_PATIENT_DATA';

export interface ErrorLocation {
  file: string;
  sheet?: string;
  line?: number;
  column?: string;
}

/** Process exit codes, listed in the README and `planwatch --help`. */
export const EXIT = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  inputRejected: 3,
  fetchFailed: 4,
} as const;

export class PlanwatchError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly at?: ErrorLocation,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'PlanwatchError';
  }

  get exitCode(): number {
    switch (this.code) {
      case 'E_USAGE':
      case 'E_NOT_FOUND':
      case 'E_CONFIG':
      // A bad targets file is a configuration mistake found before anything is read or stored.
      case 'E_TARGETS':
      case 'E_EVENTS':
        return EXIT.usage;
      case 'E_FETCH':
        return EXIT.fetchFailed;
      default:
        return EXIT.inputRejected;
    }
  }
}

/** "file line 57, column "X": " — the prefix every located message starts with. */
export function describeLocation(at: ErrorLocation): string {
  let where = at.file;
  if (at.sheet !== undefined) where += `, sheet "${at.sheet}"`;
  if (at.line !== undefined) where += ` line ${at.line}`;
  if (at.column !== undefined) where += `, column "${at.column}"`;
  return where;
}

/** Builds an error whose message starts with its location, as users read it. */
export function inputError(code: ErrorCode, at: ErrorLocation, problem: string): PlanwatchError {
  return new PlanwatchError(code, `${describeLocation(at)}: ${problem}`, at);
}

/**
 * An error as `--json` prints it on stderr: always the same five keys, null where the error has
 * no place, so scripts can read `.error.code` and `.error.line` without checking first.
 */
export interface ErrorJson {
  error: { code: string; message: string; file: string | null; line: number | null; column: string | null };
}

export function errorJson(code: string, message: string, at?: ErrorLocation): ErrorJson {
  return { error: { code, message, file: at?.file ?? null, line: at?.line ?? null, column: at?.column ?? null } };
}

export function isPlanwatchError(error: unknown): error is PlanwatchError {
  return error instanceof PlanwatchError;
}

/** Named check for the one filesystem absence we expect (a missing cache or store file). */
export function isEnoent(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
