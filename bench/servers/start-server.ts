// Starts a server process for a benchmark (`node <command>` in the repository) and waits until its
// output says it is ready: by default the `listening on http://…` line `serve` and the baseline
// print. A process that exits first fails with its output.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

export interface StartedServer<T> {
  child: ChildProcess;
  /** What `ready` found in the output (by default the listening URL). */
  ready: T;
  output: () => string;
}

const listeningUrl = (out: string) => /listening on (http:\/\/\S+)/.exec(out)?.[1];

export function startServer(
  command: string[],
  options?: { env?: Record<string, string> },
): Promise<StartedServer<string>>;
export function startServer<T>(
  command: string[],
  options: { env?: Record<string, string>; ready: (output: string) => T | undefined },
): Promise<StartedServer<T>>;
export function startServer(
  command: string[],
  options: { env?: Record<string, string>; ready?: (output: string) => unknown } = {},
): Promise<StartedServer<unknown>> {
  const ready = options.ready ?? listeningUrl;
  const child = spawn(process.execPath, command, {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((ok, fail) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const found = ready(out);
      if (found !== undefined) ok({ child, ready: found, output: () => out });
    });
    child.once('exit', (code) =>
      fail(new Error(`${command.join(' ')} exited with ${code}: ${out}`)),
    );
  });
}
