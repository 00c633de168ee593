// A project of hostile functions for the isolation reproductions: each tries one thing an attacker
// would (read the data directory, other processes' environments, another environment's Runtime
// API; kill the gateway; exhaust memory; outlive its timeout). Files are world-readable, as Lambda
// requires of a deployment package.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempProject } from '../e2e/harness.js';

export const GATEWAY_SECRET = 'gateway-secret-4f1c';
export const VICTIM_SECRET = 'victim-secret-9a7e';
/** Unusual durations, so the test can find exactly these processes in /proc. */
export const SLEEP_CHILD = '45.5';
export const SLEEP_DETACHED = '46.25';

/** Lambda's documented runtime variables, plus what a function sets itself. */
export const LAMBDA_VARIABLES = [
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_LAMBDA_RUNTIME_API',
  'AWS_REGION',
  'LAMBDA_RUNTIME_DIR',
  'LAMBDA_TASK_ROOT',
  'LANG',
  'PATH',
  'TZ',
].sort();

const SPY = `
const fs = require('fs');
const http = require('http');
const tryRead = (path) => { try { fs.readFileSync(path); return 'read'; } catch (e) { return e.code; } };
const tryWrite = (path) => { try { fs.writeFileSync(path, 'x'); return 'written'; } catch (e) { return e.code; } };
const get = (api) => new Promise((resolve) => {
  const req = http.get('http://' + api + '/2018-06-01/runtime/invocation/next', (res) => {
    res.resume(); resolve(res.statusCode); req.destroy();
  });
  req.on('error', (e) => resolve(e.code));
  req.setTimeout(1000, () => { resolve('TIMEOUT'); req.destroy(); });
});
exports.handler = async (event) => {
  const q = event.queryStringParameters || {};
  const secrets = [];
  const runtimeApis = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^[0-9]+$/.test(p))) {
    let environ = '';
    try { environ = fs.readFileSync('/proc/' + pid + '/environ', 'utf8'); } catch { continue; }
    for (const entry of environ.split('\\0')) {
      if (entry.endsWith('${GATEWAY_SECRET}') || entry.endsWith('${VICTIM_SECRET}')) secrets.push(entry);
      if (entry.startsWith('AWS_LAMBDA_RUNTIME_API=')) runtimeApis.push(entry.slice(23));
    }
  }
  const others = runtimeApis.filter((api) => api !== process.env.AWS_LAMBDA_RUNTIME_API);
  const target = q.api || others[0];
  const body = {
    uid: process.getuid(),
    env: Object.keys(process.env).sort(),
    credentials: tryRead(q.dataDir + '/credentials.json'),
    database: tryRead(q.dataDir + '/sallyport.db'),
    secrets: [...new Set(secrets)].sort(),
    pids: fs.readdirSync('/proc').filter((p) => /^[0-9]+$/.test(p)).length,
    runtimeApi: process.env.AWS_LAMBDA_RUNTIME_API,
    otherRuntimeApi: target === undefined ? 'none found' : await get(target),
    tmp: tryWrite('/tmp/spy'),
    code: tryWrite((process.env.LAMBDA_TASK_ROOT || '.') + '/spy'),
  };
  return { statusCode: 200, body: JSON.stringify(body) };
};`;

const FUNCTIONS: Record<string, { source: string; yaml?: string }> = {
  spy: { source: SPY },
  victim: {
    source: `exports.handler = async () => ({ statusCode: 200, body: 'victim' });`,
    // Always a process of its own, so there is a runtime whose environment could be read.
    yaml: `    Isolation: process\n    Environment:\n      Variables:\n        VICTIM_SECRET: ${VICTIM_SECRET}\n`,
  },
  killer: {
    source: `exports.handler = async () => { process.kill(process.pid, 'SIGKILL'); };`,
  },
  hog: {
    source: `exports.handler = async () => {
  const held = [];
  for (let i = 0; i < 4; i++) held.push(Buffer.alloc(1024 * 1024 * 1024, 1));
  return { statusCode: 200, body: String(held.length) };
};`,
    yaml: '    MemorySize: 128\n',
  },
  sleeper: {
    source: `const { execSync, spawn } = require('child_process');
exports.handler = async () => {
  spawn('sleep', ['${SLEEP_DETACHED}'], { detached: true, stdio: 'ignore' }).unref();
  execSync('sleep ${SLEEP_CHILD}');
  return { statusCode: 200, body: 'slept' };
};`,
    yaml: '    Timeout: 3\n',
  },
};

/** The project folder; every function on GET /{name}, with the level `serve --isolation` gives. */
export function hostileProject(): string {
  const dir = tempProject('');
  const paths: string[] = [];
  let functions = 'functions:\n';
  for (const [name, fn] of Object.entries(FUNCTIONS)) {
    const code = join(dir, name);
    mkdirSync(code);
    writeFileSync(join(code, 'index.js'), fn.source);
    functions += `  ${name}:\n    Runtime: nodejs20.x\n    Handler: index.handler\n    Code: ./${name}\n${fn.yaml ?? ''}`;
    paths.push(
      `  /${name}:\n    get:\n      x-amazon-apigateway-integration:\n        type: aws_proxy\n        httpMethod: POST\n        uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${name}/invocations\n`,
    );
  }
  writeFileSync(
    join(dir, 'sallyport.yaml'),
    `${functions}apis:\n  - name: hostile\n    openapi: ./openapi.yaml\n    stages:\n      dev: {}\n`,
  );
  writeFileSync(
    join(dir, 'openapi.yaml'),
    `openapi: 3.0.1\ninfo: { title: hostile, version: '1' }\npaths:\n${paths.join('')}`,
  );
  worldReadable(dir);
  return dir;
}

export function worldReadable(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) worldReadable(path);
    else chmodSync(path, 0o644);
  }
}

/** Why this machine cannot run the sandbox level, or undefined when it can. */
export function sandboxUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'sandbox tests need Linux';
  if (process.getuid?.() !== 0) return 'sandbox tests need root (namespaces, cgroups, setpriv)';
  if (spawnSync('bwrap', ['--version']).error)
    return 'sandbox tests need bubblewrap (apt-get install -y bubblewrap)';
  return undefined;
}

/** Host pids whose command line is `sleep <seconds>` (the sleeper's children). */
export function sleepers(seconds: string): number[] {
  const found: number[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^[0-9]+$/.test(p))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmdline === `sleep\0${seconds}\0`) found.push(Number(pid));
    } catch {
      // gone
    }
  }
  return found;
}

/** The host address of the victim runtime's Runtime API (read as root, from outside). */
export function victimRuntimeApi(): string | undefined {
  for (const pid of readdirSync('/proc').filter((p) => /^[0-9]+$/.test(p))) {
    try {
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      if (!environ.includes(`VICTIM_SECRET=${VICTIM_SECRET}`)) continue;
      const api = environ.find((e) => e.startsWith('AWS_LAMBDA_RUNTIME_API='));
      if (api) return api.slice('AWS_LAMBDA_RUNTIME_API='.length);
    } catch {
      // gone or not ours
    }
  }
  return undefined;
}
