import cliProgress from 'cli-progress';
import type { FetchProgress } from '../sources/http/fetch.js';

/**
 * A progress bar for long CLI commands. It draws on stderr only when stderr is a terminal
 * and the command is not printing JSON (STYLE.md §7): piped output, logs and --json
 * consumers get nothing but the result.
 */
export interface Progress {
  /** `done` of `total` steps, with a short description of the current one. */
  update(done: number, total: number, detail: string): void;
  /** Removes the bar; safe to call more than once and when nothing was drawn. */
  stop(): void;
}

export interface ProgressOptions {
  /** The command was given --json. */
  json: boolean;
  /** What is being counted, shown before the bar ("Fetching A&E"). */
  label: string;
  /** Where to draw; process.stderr unless a test passes another stream. */
  stream?: NodeJS.WriteStream;
}

const silent: Progress = { update() {}, stop() {} };

export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  if (options.json || !stream.isTTY) return silent;
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${options.label} {bar} {value}/{total} | {detail}`,
      hideCursor: true,
      clearOnComplete: true,
      barsize: 30,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let stopped = false;
  return {
    update(done, total, detail) {
      if (stopped) return;
      if (!started) {
        bar.start(total, done, { detail });
        started = true;
        return;
      }
      bar.setTotal(total);
      bar.update(done, { detail });
    },
    stop() {
      if (started && !stopped) bar.stop();
      stopped = true;
    },
  };
}

/** Turns fetchPublications' progress into bar updates: files done, and the current file's bytes. */
export function showFetchProgress(progress: Progress): (update: FetchProgress) => void {
  return ({ file, filesDone, files }) => {
    const size = file.total === undefined ? formatBytes(file.received) : `${formatBytes(file.received)} of ${formatBytes(file.total)}`;
    progress.update(filesDone, files, `${file.name} ${size}`);
  };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
