import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress, formatBytes, showFetchProgress } from '../../src/cli/progress.js';

/** A stream that records what is written and claims to be (or not to be) a terminal. */
function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  }) as unknown as NodeJS.WriteStream & { output: () => string };
  Object.assign(stream, {
    isTTY,
    columns: 120,
    cursorTo: (_x: number, _y?: unknown, callback?: () => void) => (callback?.(), true),
    moveCursor: (_dx: number, _dy: number, callback?: () => void) => (callback?.(), true),
    clearLine: (_dir: number, callback?: () => void) => (callback?.(), true),
    clearScreenDown: (callback?: () => void) => (callback?.(), true),
    output: () => chunks.join(''),
  });
  return stream;
}

const update = {
  file: { url: 'http://127.0.0.1/x.csv', name: 'Monthly-AE-May-2025.csv', received: 1536, total: 3072 },
  filesDone: 3,
  files: 8,
  received: 40_000,
};

describe('createProgress({ json, label, stream })', () => {
  it('draws a bar on a terminal', () => {
    const stream = fakeStream(true);
    const progress = createProgress({ json: false, label: 'Fetching A&E', stream });
    showFetchProgress(progress)(update);
    progress.stop();
    expect(stream.output()).toContain('Fetching A&E');
    expect(stream.output()).toContain('3/8');
    expect(stream.output()).toContain('Monthly-AE-May-2025.csv 1.5 KB of 3.0 KB');
  });

  it.each([
    ['the stream is not a terminal', false, false],
    ['--json is given, even on a terminal', true, true],
  ])('stays silent when %s', (_case, isTTY, json) => {
    const stream = fakeStream(isTTY);
    const progress = createProgress({ json, label: 'Fetching A&E', stream });
    showFetchProgress(progress)(update);
    progress.stop();
    expect(stream.output()).toBe('');
  });

  it('can be stopped before it started, and twice', () => {
    const stream = fakeStream(true);
    const progress = createProgress({ json: false, label: 'Fetching A&E', stream });
    progress.stop();
    progress.stop();
    progress.update(1, 2, 'late');
    expect(stream.output()).toBe('');
  });
});

describe('formatBytes(bytes)', () => {
  it.each([
    [512, '512 B'],
    [1536, '1.5 KB'],
    [3 * 1024 * 1024, '3.0 MB'],
  ])('%d → %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
