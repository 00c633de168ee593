// Starts the real CLI (`bin/sallyport.js`, built to dist/) on a free port and talks real HTTP.
import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'bin/sallyport.js');

export interface Served {
  base: string;
  /** The admin API's URL, when it runs. */
  admin: string | undefined;
  port: number;
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<number | null>;
}

/** Runs `sallyport serve` and resolves once it prints where it listens. */
export function serve(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Served> {
  // Each server gets its own state unless the test shares one on purpose.
  const isolation = [
    ...(args.includes('--data-dir')
      ? []
      : ['--data-dir', mkdtempSync(join(tmpdir(), 'sallyport-data-'))]),
    ...(args.includes('--admin-port') ? [] : ['--admin-port', '0']),
    // One process, as before `--workers` (default: one per core), unless a test asks for more.
    ...(args.includes('--workers') ? [] : ['--workers', '1']),
  ];
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...isolation, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const stop = () =>
    new Promise<number | null>((done) => {
      if (child.exitCode !== null) return done(child.exitCode);
      child.once('exit', (code) => done(code));
      child.kill('SIGTERM');
    });
  return new Promise((ok, fail) => {
    const onData = () => {
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (!m) return;
      child.stdout.off('data', onData);
      const base = m[1]!;
      const admin = /Admin API .*: (http:\/\/\S+)/.exec(out)?.[1];
      ok({ base, admin, port: Number(new URL(base).port), child, output: () => out, stop });
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => fail(new Error(`sallyport exited with ${code}:\n${out}`)));
  });
}

/** Runs a sallyport command to completion. */
export function run(
  args: string[],
  options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (options.input !== undefined) child.stdin!.end(options.input);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((ok) => child.once('close', (code) => ok({ code, stdout, stderr })));
}

export interface Answer {
  status: number;
  /** Lowercased names (node:http); `raw` keeps the wire case. */
  headers: Record<string, string | string[] | undefined>;
  raw: string[];
  body: string;
  bodyBytes: Buffer;
  json: () => unknown;
}

/** A request with node:http, so header names go out exactly as written. */
export function call(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string> | [string, string][];
    body?: string | Buffer;
  } = {},
): Promise<Answer> {
  return new Promise((ok, fail) => {
    // A flat [name, value, …] array sends repeated headers in order, with their case.
    // (node:http adds no Host header to an array, so add it.)
    const headers = Array.isArray(options.headers)
      ? ['Host', new URL(url).host, ...options.headers.flat()]
      : options.headers;
    const req = httpRequest(url, { method: options.method ?? 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const bodyBytes = Buffer.concat(chunks);
        const body = bodyBytes.toString();
        ok({
          status: res.statusCode!,
          headers: res.headers,
          raw: res.rawHeaders,
          body,
          bodyBytes,
          json: () => JSON.parse(body) as unknown,
        });
      });
    });
    req.on('error', fail);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** Writes a project file into a fresh temp folder; paths in it may be absolute. */
export function tempProject(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sallyport-e2e-'));
  writeFileSync(join(dir, 'sallyport.yaml'), yaml);
  return dir;
}

/**
 * Polls until `check` passes or the deadline expires (no sleeps to wait for things). The deadline
 * is a margin no busy machine can eat; a passing check returns at once.
 */
export async function eventually(check: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((r) => setTimeout(r, 20));
  }
}
