import type { ChildProcess } from 'node:child_process';

/** Waits for a `planwatch serve` child to print where it listens, and gives that address. */
export function listeningUrl(server: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    server.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /serving .* on (http:\/\/\S+)/.exec(seen);
      if (match) resolve(match[1]!.replace('localhost', '127.0.0.1'));
    });
    server.once('exit', (code) => reject(new Error(`planwatch serve exited (${code}) before listening: ${seen}`)));
  });
}
