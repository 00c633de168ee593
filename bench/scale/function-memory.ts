// (d) Memory of a real `serve` (bin/sallyport.js, built dist/) with many functions: RSS deployed,
// after invoking each function once, and after the idle environments are reaped
// (`--function-idle-timeout`). RSS is read from /proc: the server's VmRSS plus that of every
// process below it (process isolation), so shared pages of children count once per child.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../servers/start-server.js';
import { table } from './measure.js';

/** The function each route calls; it answers how many invocations its environment has served. */
const HANDLER = `let invocations = 0;
exports.handler = async () => ({ statusCode: 200, body: String(++invocations) });
`;

/** `functions` Node.js functions, each its own code folder, each behind `GET /f{i}`. */
function projectWith(functions: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'sallyport-scale-fn-'));
  const yaml = ['functions:'];
  const paths = ['openapi: 3.0.1', "info: { title: functions, version: '1' }", 'paths:'];
  for (let i = 0; i < functions; i++) {
    const name = `fn${i}`;
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'index.js'), HANDLER);
    writeFileSync(join(dir, name, 'package.json'), '{"type":"commonjs"}');
    yaml.push(`  ${name}:`, '    Runtime: nodejs20.x', '    Handler: index.handler');
    // A generous Timeout: a cold start on a loaded machine is not what is measured.
    yaml.push(`    Code: ./${name}`, '    Timeout: 30');
    paths.push(`  /f${i}:`, '    get:', '      x-amazon-apigateway-integration:');
    paths.push('        type: aws_proxy', '        httpMethod: POST');
    paths.push(
      `        uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${name}/invocations`,
    );
  }
  yaml.push('apis:', '  - name: functions', '    openapi: ./openapi.yaml');
  yaml.push('    stages:', '      dev: {}');
  writeFileSync(join(dir, 'sallyport.yaml'), yaml.join('\n') + '\n');
  writeFileSync(join(dir, 'openapi.yaml'), paths.join('\n') + '\n');
  return dir;
}

function statusField(pid: number, field: string): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status);
  return m ? Number(m[1]) : 0;
}

/** The process's descendants (children, their children…), from each /proc/PID/stat's ppid. */
function descendants(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const siblings = parents.get(ppid) ?? [];
      siblings.push(Number(entry));
      parents.set(ppid, siblings);
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  const walk = (p: number) => {
    for (const child of parents.get(p) ?? []) {
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

interface Reading {
  /** The serve process's own RSS, bytes. */
  rss: number;
  /** The RSS of every process below it, bytes. */
  childrenRss: number;
  children: number;
  threads: number;
}

function read(pid: number): Reading {
  let childrenRss = 0;
  const children = descendants(pid);
  for (const child of children) {
    try {
      childrenRss += statusField(child, 'VmRSS') * 1024;
    } catch {
      // exited meanwhile
    }
  }
  return {
    rss: statusField(pid, 'VmRSS') * 1024,
    childrenRss,
    children: children.length,
    threads: statusField(pid, 'Threads'),
  };
}

async function startServe(args: string[]) {
  const { child, ready, output } = await startServer(['bin/sallyport.js', 'serve', ...args]);
  return { child, base: ready, output };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface MemoryRow {
  isolation: 'thread' | 'process';
  functions: number;
  idleTimeoutSeconds: number;
  deployed: Reading;
  /** After every function was invoked once (and then once more, to count the warm ones). */
  invoked: Reading;
  /** The highest total RSS read while invoking. */
  peakBytes: number;
  /** Environments still warm at the end (a last call found an earlier call's state). */
  warm: number;
  /** Seconds the pass of first (cold) calls took, with the calls that kept the others warm. */
  coldPassSeconds: number;
  reaped: Reading;
  /** Seconds from the last call until the environments were seen ended. */
  reapedAfterSeconds: number;
  /** Calls that failed and were asked again. */
  failed: number;
}

const total = (r: Reading) => r.rss + r.childrenRss;

/**
 * Deploys `functions` functions in a real `serve`, calls each once (cold) keeping the others warm,
 * calls each again (counting those still warm), and waits for the idle timeout to end them.
 */
export async function measureFunctionMemory(
  isolation: 'thread' | 'process',
  functions: number,
  idleTimeoutSeconds: number,
): Promise<MemoryRow> {
  const dir = projectWith(functions);
  const { child, base, output } = await startServe([
    '--config',
    dir,
    '--port',
    '0',
    '--no-admin',
    '--store',
    'memory',
    '--workers',
    '1',
    '--log-level',
    'warn',
    '--isolation',
    isolation,
    '--function-idle-timeout',
    String(idleTimeoutSeconds),
    '--data-dir',
    join(dir, '.sallyport'),
  ]);
  const pid = child.pid!;
  try {
    // A call that fails (on an overloaded machine a cold start can miss its init deadline) is
    // counted and asked again, a few times.
    const get = async (i: number, tries = 5): Promise<number> => {
      const answer = await fetch(`${base}/dev/f${i}`);
      const body = await answer.text();
      if (answer.status === 200) return Number(body);
      failed++;
      if (tries > 1) return sleep(1000).then(() => get(i, tries - 1));
      throw new Error(`f${i}: ${answer.status} ${body}\n${output().slice(-2000)}`);
    };
    let failed = 0;
    await sleep(500); // settled after start
    const deployed = read(pid);
    let peakBytes = total(deployed);
    const sampler = setInterval(() => {
      try {
        peakBytes = Math.max(peakBytes, total(read(pid)));
      } catch {
        // a child exited between listing and reading
      }
    }, 100);
    // Cold calls one after another; every third of the idle timeout the functions already
    // started are called again, so none is reaped before the last has started (the cold pass takes
    // longer than a short idle timeout on a busy machine).
    const started = Date.now();
    let touched = started;
    for (let i = 0; i < functions; i++) {
      await get(i);
      if (Date.now() - touched < (idleTimeoutSeconds * 1000) / 3) continue;
      for (let j = 0; j <= i; j++) await get(j);
      touched = Date.now();
    }
    const coldPassSeconds = (Date.now() - started) / 1000;
    let warm = 0;
    for (let i = 0; i < functions; i++) if ((await get(i)) > 1) warm++;
    clearInterval(sampler);
    const invoked = read(pid);
    peakBytes = Math.max(peakBytes, total(invoked));
    // Reaped: the worker threads (or child processes) are back to what they were before the calls.
    const lastCall = Date.now();
    const deadline = lastCall + (2 * idleTimeoutSeconds + 30) * 1000;
    let reaped = read(pid);
    while (
      (reaped.threads > deployed.threads || reaped.children > deployed.children) &&
      Date.now() < deadline
    ) {
      await sleep(200);
      reaped = read(pid);
    }
    const reapedAfterSeconds = (Date.now() - lastCall) / 1000;
    await sleep(1000); // the ended workers' memory handed back
    reaped = read(pid);
    return {
      isolation,
      functions,
      idleTimeoutSeconds,
      deployed,
      invoked,
      peakBytes,
      warm,
      coldPassSeconds,
      reaped,
      reapedAfterSeconds,
      failed,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

export function functionMemoryTable(rows: MemoryRow[]): string {
  const failed = rows
    .filter((r) => r.failed > 0)
    .map((r) => `${r.isolation}: ${r.failed} call(s) failed (502) and were asked again\n`);
  return (
    table(
      '(d) RSS of `serve` (MiB; with its child processes) with N Node.js functions, each invoked once, then reaped',
      [
        'isolation',
        'functions',
        'deployed',
        'peak',
        'after calls',
        'per function',
        'warm',
        'cold pass s',
        'idle timeout s',
        'reaped after s',
        'after reaping',
      ],
      rows.map((r) => [
        r.isolation,
        String(r.functions),
        mib(total(r.deployed)),
        mib(r.peakBytes),
        mib(total(r.invoked)),
        ((total(r.invoked) - total(r.deployed)) / 2 ** 20 / r.functions).toFixed(1),
        String(r.warm),
        r.coldPassSeconds.toFixed(1),
        String(r.idleTimeoutSeconds),
        r.reapedAfterSeconds.toFixed(1),
        mib(total(r.reaped)),
      ]),
    ) + failed.join('')
  );
}
