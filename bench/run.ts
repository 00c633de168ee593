// `npm run bench [-- --quick]`: the gateway's cost per request against a bare node:http server.
// `npm run bench -- --scale [--quick]`: how the cost grows with the project (bench/scale/).
// Each configuration runs as its own process; autocannon drives them one at a time, interleaved
// (A B C … A B C …) over several rounds, and every configuration is reported as a ratio to the
// baseline measured in the same round. Ratios, not absolute req/s: the load generator shares the
// machine's cores with the server.
import autocannon from 'autocannon';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { basename, join, resolve } from 'node:path';
import { mintDebugToken } from '../src/auth/debug-token.js';
import { startServer } from './servers/start-server.js';

const ROOT = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
// `--compare DIR`: also run every Sallyport configuration from another built checkout (e.g. a
// `git worktree` of an older commit), interleaved with this one, so before/after ratios come from
// the same run.
const compareAt = args.indexOf('--compare');
const compareDir = compareAt === -1 ? undefined : resolve(args[compareAt + 1] ?? '.');
// `--only a,b`: run only the configurations whose names contain one of these words (the baseline
// always runs: every ratio needs it). `--rounds N` overrides the number of rounds.
const optionValue = (name: string) => {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
};
const only = optionValue('--only')
  ?.split(',')
  .map((w) => w.trim().toLowerCase())
  .filter((w) => w !== '');
const roundsOption = optionValue('--rounds');
const settings = {
  connections: 50,
  warmupSeconds: quick ? 1 : 3,
  seconds: quick ? 2 : 10,
  rounds: roundsOption !== undefined ? Math.max(1, Number(roundsOption) || 1) : quick ? 1 : 3,
};

interface Configuration {
  name: string;
  /** Command that starts the server and prints `listening on http://…`. */
  start: string[];
  path: string;
  headers?: Record<string, string>;
  /** POST this body (default: GET without one). */
  body?: string;
  /** A response header the 200 must carry (the debug trace). */
  expectHeader?: string;
  /** Environment of the server process, besides this one's. */
  env?: Record<string, string>;
  /** A request that must be refused, proving the authorizer (or validator) is really in the path. */
  refused?: { path: string; status: number; body?: string };
}

const sallyport = [
  'bin/sallyport.js',
  'serve',
  '--config',
  'bench/projects',
  '--port',
  '0',
  '--log-level',
  'warn',
  // The data plane is what is measured: no admin listener, no state on disk shared by the
  // configurations' processes.
  '--no-admin',
  '--store',
  'memory',
  // The bench drives more than AWS's account limit (10,000 rps) through one process.
  '--account-throttle',
  'off',
];
// The same, with the admin listener up and so /metrics counting every request (docs/observability.md).
const sallyportWithMetrics = sallyport.flatMap((a) =>
  a === '--no-admin' ? ['--admin-port', '0'] : [a],
);
// The key bench/projects/sallyport.yaml gives its usage plan.
const BENCH_KEY = 'benchkey0000000000000000000001';
// The Redis row runs with SALLYPORT_BENCH_REDIS (or SALLYPORT_TEST_REDIS) set, and says so if not.
const REDIS = process.env.SALLYPORT_BENCH_REDIS ?? process.env.SALLYPORT_TEST_REDIS;
if (!REDIS) process.stderr.write('bench: no Redis row (set SALLYPORT_BENCH_REDIS=redis://…)\n');
// The debug-header row: the server's admin credentials, and a debug token made with them.
const BENCH_ADMIN = { accessKeyId: 'AKIABENCH000000000000', secretAccessKey: 'bench-secret' };
const BENCH_ADMIN_ENV = {
  SALLYPORT_ACCESS_KEY_ID: BENCH_ADMIN.accessKeyId,
  SALLYPORT_SECRET_ACCESS_KEY: BENCH_ADMIN.secretAccessKey,
};
const DEBUG_TOKEN = mintDebugToken(BENCH_ADMIN, 3600).token;
const CONFIGURATIONS: Configuration[] = [
  { name: 'baseline: bare node:http', start: ['bench/servers/baseline.mjs'], path: '/' },
  { name: 'MOCK, no authorizer', start: sallyport, path: '/bench/mock' },
  // A key check + the plan's throttle + its quota: counters in memory, then on Redis.
  {
    name: 'MOCK + API key, plan throttle and quota (memory)',
    start: sallyport,
    path: '/bench/mock-keyed',
    headers: { 'x-api-key': BENCH_KEY },
    refused: { path: '/bench/mock-keyed', status: 403 },
  },
  ...(REDIS
    ? [
        {
          name: 'MOCK + API key, plan throttle and quota (Redis)',
          start: [
            ...sallyport,
            '--redis',
            REDIS,
            '--redis-prefix',
            `sallyport-bench-${process.pid}:`,
          ],
          path: '/bench/mock-keyed',
          headers: { 'x-api-key': BENCH_KEY },
          refused: { path: '/bench/mock-keyed', status: 403 },
        },
      ]
    : []),
  {
    // Request validation: a required header and a JSON body checked against a draft-4 model.
    name: 'MOCK + validated body and parameters',
    start: sallyport,
    path: '/bench/validated',
    headers: { 'content-type': 'application/json', 'x-tenant': 'acme' },
    body: JSON.stringify({ name: 'Rex', type: 'dog', tags: ['a', 'b'], age: 3 }),
    refused: { path: '/bench/validated', status: 400, body: '{"name": 1}' },
  },
  {
    name: 'MOCK + TOKEN authorizer (cache hit)',
    start: sallyport,
    path: '/bench/mock-auth',
    headers: { jwt_token: 'allow' },
    refused: { path: '/bench/mock-auth', status: 401 },
  },
  {
    name: 'MOCK + TOKEN authorizer (cache hit), metrics on',
    start: sallyportWithMetrics,
    path: '/bench/mock-auth',
    headers: { jwt_token: 'allow' },
    refused: { path: '/bench/mock-auth', status: 401 },
  },
  // Traces (docs/observability.md): the same row with an OpenTelemetry SDK recording every span
  // (the row above has none: the API's no-op tracer), and with the debug header's trace.
  {
    name: 'MOCK + TOKEN authorizer (cache hit), OTel SDK registered',
    start: ['--import', './bench/servers/otel-sdk.mjs', ...sallyport],
    path: '/bench/mock-auth',
    headers: { jwt_token: 'allow' },
    refused: { path: '/bench/mock-auth', status: 401 },
  },
  {
    name: 'MOCK + TOKEN authorizer (cache hit), X-Sallyport-Debug trace',
    start: sallyport,
    env: BENCH_ADMIN_ENV,
    path: '/bench/mock-auth',
    headers: { jwt_token: 'allow', 'x-sallyport-debug': DEBUG_TOKEN },
    expectHeader: 'x-sallyport-trace',
    refused: { path: '/bench/mock-auth', status: 401 },
  },
  {
    name: 'AWS_PROXY Node.js + TOKEN authorizer (cache hit)',
    start: sallyport,
    path: '/bench/lambda-auth',
    headers: { jwt_token: 'allow' },
    refused: { path: '/bench/lambda-auth', status: 401 },
  },
  // A Lambda custom integration: a request template rendered per request, the result passed
  // through — against the proxy row above, the cost of templates versus building the proxy event.
  {
    name: 'AWS non-proxy Node.js + template + TOKEN authorizer (cache hit)',
    start: sallyport,
    path: '/bench/lambda-nonproxy-auth?name=bench',
    headers: { jwt_token: 'allow' },
    refused: { path: '/bench/lambda-nonproxy-auth', status: 401 },
  },
  {
    name: 'AWS_PROXY Node.js + TOKEN authorizer (caching off)',
    start: sallyport,
    path: '/bench/lambda-auth-nocache',
    headers: { jwt_token: 'allow' },
    refused: { path: '/bench/lambda-auth-nocache', status: 401 },
  },
  {
    name: 'AWS_PROXY Node.js + REQUEST authorizer (cache hit)',
    start: sallyport,
    path: '/bench/request-auth?key=k1',
    headers: { 'x-tenant': 'acme' },
    refused: { path: '/bench/request-auth', status: 401 },
  },
  // The cost of each isolation level (docs/security.md): the same function and cached authorizer,
  // each invocation a trip through the Lambda Runtime API to a child process.
  {
    name: 'AWS_PROXY Node.js (process) + TOKEN authorizer (cache hit)',
    start: [...sallyport, '--isolation', 'process'],
    path: '/bench/lambda-auth',
    headers: { jwt_token: 'allow' },
    refused: { path: '/bench/lambda-auth', status: 401 },
  },
  ...(canSandbox()
    ? [
        {
          name: 'AWS_PROXY Node.js (sandbox) + TOKEN authorizer (cache hit)',
          start: [...sallyport, '--isolation', 'sandbox'],
          path: '/bench/lambda-auth',
          headers: { jwt_token: 'allow' },
          refused: { path: '/bench/lambda-auth', status: 401 },
        },
      ]
    : []),
  ...(hasPython()
    ? [
        {
          name: 'AWS_PROXY Python + TOKEN authorizer (cache hit)',
          start: sallyport.map((a) => (a === 'bench/projects' ? 'bench/projects-python' : a)),
          path: '/bench/python-auth',
          headers: { jwt_token: 'allow' },
          refused: { path: '/bench/python-auth', status: 401 },
        },
      ]
    : []),
];

/** The Python row needs a python3 on PATH (or SALLYPORT_PYTHON); without one it is left out. */
function hasPython(): boolean {
  const python = process.env.SALLYPORT_PYTHON ?? 'python3';
  if (!spawnSync(python, ['--version']).error) return true;
  process.stderr.write('bench: no Python row (no python3 found)\n');
  return false;
}

/** The sandbox level needs root and bubblewrap; without them its row is left out, and said so. */
function canSandbox(): boolean {
  if (process.getuid?.() === 0 && !spawnSync('bwrap', ['--version']).error) return true;
  process.stderr.write('bench: no sandbox row (it needs root and bubblewrap)\n');
  return false;
}

const compared = new Set<Configuration>();
/** Each Sallyport configuration followed by its twin from the `--compare` checkout. */
function withComparisons(configurations: Configuration[]): Configuration[] {
  if (compareDir === undefined) return configurations;
  const label = basename(compareDir);
  return configurations.flatMap((c) => {
    if (!c.start.includes(sallyport[0]!)) return [c];
    const twin = {
      ...c,
      name: `${c.name} @${label}`,
      start: c.start.map((a) => (a === sallyport[0] ? join(compareDir, a) : a)),
    };
    compared.add(twin);
    return [c, twin];
  });
}
const SELECTED =
  only === undefined
    ? CONFIGURATIONS
    : CONFIGURATIONS.filter(
        (c, i) => i === 0 || only.some((w) => c.name.toLowerCase().includes(w)),
      );
const CANDIDATES = withComparisons(SELECTED);

interface Sample {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** Peak resident memory of the server process while measured, MiB (undefined: not Linux). */
  rssMiB: number | undefined;
}

/** The process's resident memory now, in MiB, from /proc (Linux); undefined elsewhere. */
function residentMiB(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = /VmRSS:\s+(\d+)/.exec(status)?.[1];
    return kib === undefined ? undefined : Number(kib) / 1024;
  } catch {
    return undefined;
  }
}

/**
 * Runs `measure` while sampling the server's resident memory every 250 ms (a file read: cheap
 * beside the load), and returns the peak with its result. Issue 17 wants RSS in the target table.
 */
async function withPeakRss<T>(
  pid: number | undefined,
  measure: () => Promise<T>,
): Promise<[T, number | undefined]> {
  let peak = residentMiB(pid);
  const timer = setInterval(() => {
    const now = residentMiB(pid);
    if (now !== undefined && (peak === undefined || now > peak)) peak = now;
  }, 250);
  try {
    const result = await measure();
    const last = residentMiB(pid);
    if (last !== undefined && (peak === undefined || last > peak)) peak = last;
    return [result, peak];
  } finally {
    clearInterval(timer);
  }
}

async function startSallyport(
  command: string[],
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; base: string }> {
  const { child, ready } = await startServer(command, { env });
  return { child, base: ready };
}

function load(c: Configuration, url: string, seconds: number): Promise<Omit<Sample, 'rssMiB'>> {
  return new Promise((ok, fail) => {
    autocannon(
      {
        url,
        connections: settings.connections,
        duration: seconds,
        headers: c.headers ?? {},
        ...(c.body === undefined ? {} : { method: 'POST' as const, body: c.body }),
      },
      (error, result) => {
        if (error) return fail(error instanceof Error ? error : new Error(String(error)));
        ok({
          rps: result.requests.average,
          p50: result.latency.p50,
          p99: result.latency.p99,
          errors: result.errors,
          non2xx: result.non2xx,
        });
      },
    );
  });
}

async function check(base: string, c: Configuration): Promise<void> {
  const post = (body: string | undefined) =>
    body === undefined ? {} : { method: 'POST', body, headers: c.headers };
  const ok = await fetch(base + c.path, { headers: c.headers, ...post(c.body) });
  if (ok.status !== 200)
    throw new Error(`${c.name}: expected 200, got ${ok.status} ${await ok.text()}`);
  await ok.arrayBuffer().catch(() => undefined);
  if (c.expectHeader && !ok.headers.has(c.expectHeader))
    throw new Error(`${c.name}: the answer has no ${c.expectHeader}`);
  if (c.refused) {
    const refused = await fetch(base + c.refused.path, post(c.refused.body));
    if (refused.status !== c.refused.status)
      throw new Error(
        `${c.name}: expected ${c.refused.status} without credentials, got ${refused.status}`,
      );
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function main(): Promise<void> {
  const started = Date.now();
  const servers = [];
  const RUN: Configuration[] = [];
  for (const c of CANDIDATES) {
    let server: Awaited<ReturnType<typeof startSallyport>> | undefined;
    try {
      server = await startSallyport(c.start, c.env);
      await check(server.base, c);
      servers.push(server);
      RUN.push(c);
    } catch (error) {
      server?.child.kill('SIGTERM');
      // An older `--compare` build may lack what a newer row needs (an option, a header): that
      // twin is left out, and said so; a failing row of this build stops the run.
      if (!compared.has(c)) {
        for (const s of servers) s.child.kill('SIGTERM');
        throw error;
      }
      process.stderr.write(
        `bench: left out ${c.name}: ${(error as Error).message.slice(0, 200)}\n`,
      );
    }
  }
  const samples: Sample[][] = RUN.map(() => []);
  try {
    for (let round = 0; round < settings.rounds; round++) {
      for (let i = 0; i < RUN.length; i++) {
        const c = RUN[i]!;
        const url = servers[i]!.base + c.path;
        await load(c, url, settings.warmupSeconds);
        const [measured, rssMiB] = await withPeakRss(servers[i]!.child.pid, () =>
          load(c, url, settings.seconds),
        );
        const sample: Sample = { ...measured, rssMiB };
        if (sample.errors > 0 || sample.non2xx > 0) {
          throw new Error(
            `${c.name}: ${sample.errors} errors, ${sample.non2xx} non-2xx answers under load`,
          );
        }
        samples[i]!.push(sample);
        process.stderr.write(
          `round ${round + 1}/${settings.rounds}: ${c.name}: ${Math.round(sample.rps)} req/s\n`,
        );
      }
    }
  } finally {
    for (const s of servers) s.child.kill('SIGTERM');
  }

  const rows = RUN.map((c, i) => {
    const s = samples[i]!;
    const ratios = s.map((x, round) => x.rps / samples[0]![round]!.rps);
    const rss = s.map((x) => x.rssMiB).filter((x): x is number => x !== undefined);
    return {
      configuration: c.name,
      rps: Math.round(median(s.map((x) => x.rps))),
      p50: median(s.map((x) => x.p50)),
      p99: median(s.map((x) => x.p99)),
      ratio: median(ratios),
      ratioMin: Math.min(...ratios),
      ratioMax: Math.max(...ratios),
      /** The highest peak over the rounds: what the process needed under this load. */
      rssMiB: rss.length === 0 ? undefined : Math.round(Math.max(...rss)),
    };
  });
  const seconds = (Date.now() - started) / 1000;
  const pad = (s: string, n: number) => s.padEnd(n);
  const width = Math.max(52, ...rows.map((r) => r.configuration.length + 1));
  const lines = [
    `${pad('configuration', width)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'ratio'.padStart(6)}  ${'(min–max)'.padEnd(13)} ${'RSS MiB'.padStart(7)}`,
    ...rows.map(
      (r) =>
        `${pad(r.configuration, width)} ${String(r.rps).padStart(8)} ${String(r.p50).padStart(7)} ${String(r.p99).padStart(7)} ${r.ratio.toFixed(3).padStart(6)}  ${`(${r.ratioMin.toFixed(3)}–${r.ratioMax.toFixed(3)})`.padEnd(13)} ${String(r.rssMiB ?? '–').padStart(7)}`,
    ),
    '',
    'RSS MiB: the server process’s peak resident memory while measured (highest over the rounds).',
    `${settings.rounds} round(s) of ${settings.seconds} s after ${settings.warmupSeconds} s warm-up, ${settings.connections} connections; took ${seconds.toFixed(0)} s`,
  ];
  process.stdout.write(lines.join('\n') + '\n');

  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    totalMemMiB: Math.round(os.totalmem() / 2 ** 20),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
  const dir = join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(
    dir,
    `${new Date().toISOString().replace(/[:.]/g, '-')}${quick ? '-quick' : ''}.json`,
  );
  writeFileSync(
    file,
    JSON.stringify({ date: new Date().toISOString(), settings, machine, seconds, rows }, null, 2) +
      '\n',
  );
  process.stdout.write(`results: ${file}\n`);
}

// `--scale`: the cost as a project grows, in this process (bench/scale/main.ts).
const running = args.includes('--scale')
  ? import('./scale/main.js').then((m) => m.runScale(quick))
  : main();
running.catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
