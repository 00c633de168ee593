// Isolation levels, attacked as a hostile function would (issue 10, item 2), over real HTTP against
// the real CLI: each reproduction shows what `thread` lets through and the level that stops it.
// docs/security.md, "Isolation levels".
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { call, eventually, serve, type Served } from '../e2e/harness.js';
import {
  GATEWAY_SECRET,
  hostileProject,
  LAMBDA_VARIABLES,
  sandboxUnavailable,
  SLEEP_CHILD,
  SLEEP_DETACHED,
  sleepers,
  VICTIM_SECRET,
  victimRuntimeApi,
} from './isolation-project.js';

interface SpyReport {
  uid: number;
  env: string[];
  credentials: string;
  database: string;
  secrets: string[];
  pids: number;
  runtimeApi: string;
  otherRuntimeApi: number | string;
  tmp: string;
  code: string;
}

const project = hostileProject();
const INTERNAL_SERVER_ERROR = '{"message":"Internal server error"}';

async function start(level: string): Promise<{ s: Served; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sallyport-iso-data-'));
  const s = await serve(['--config', project, '--data-dir', dataDir, '--isolation', level], {
    GATEWAY_SECRET,
  });
  // The victim's runtime is warm, so there is another environment to attack.
  assert.equal((await call(`${s.base}/dev/victim`)).body, 'victim');
  return { s, dataDir };
}

async function spy(s: Served, dataDir: string, api?: string): Promise<SpyReport> {
  const query = new URLSearchParams({ dataDir, ...(api ? { api } : {}) });
  const r = await call(`${s.base}/dev/spy?${query.toString()}`);
  assert.equal(r.status, 200, r.body);
  return r.json() as SpyReport;
}

describe("isolation 'thread' (the default): protects nothing against hostile code", () => {
  let s: Served;
  let dataDir: string;
  before(async () => ({ s, dataDir } = await start('thread')));
  // The gateway may be dead already (killed by its function): nothing to stop then.
  after(() => (s.child.signalCode === null ? s.stop() : undefined));

  it('serve says so in its start-up lines', () => {
    assert.match(
      s.output(),
      /functions at isolation 'thread' share the gateway's process .*use --isolation sandbox for code you do not trust/,
    );
  });

  it('a function reads credentials.json and sallyport.db, and the gateway’s and other runtimes’ environments', async () => {
    const report = await spy(s, dataDir);
    assert.equal(report.credentials, 'read');
    assert.equal(report.database, 'read');
    assert.deepEqual(report.secrets, [
      `GATEWAY_SECRET=${GATEWAY_SECRET}`,
      `VICTIM_SECRET=${VICTIM_SECRET}`,
    ]);
  });

  it('process.kill(process.pid, "SIGKILL") in a function ends the gateway', async () => {
    await call(`${s.base}/dev/killer`).catch(() => undefined);
    await eventually(() => s.child.exitCode !== null || s.child.signalCode !== null, 10_000);
    assert.equal(s.child.signalCode, 'SIGKILL');
  });
});

describe("isolation 'process': the gateway outlives its functions", () => {
  let s: Served;
  let dataDir: string;
  before(async () => ({ s, dataDir } = await start('process')));
  after(() => s.stop());

  it('no start-up warning: no function shares the gateway’s process', () => {
    assert.doesNotMatch(s.output(), /isolation 'thread'/);
  });

  it('the environment holds only Lambda’s documented variables (not the gateway’s)', async () => {
    const report = await spy(s, dataDir);
    assert.deepEqual(report.env, LAMBDA_VARIABLES);
    // Not a boundary against hostile code: same user as the gateway, same /proc, same loopback.
    assert.equal(report.credentials, 'read');
    assert.ok(report.secrets.includes(`GATEWAY_SECRET=${GATEWAY_SECRET}`));
    // Another environment's Runtime API answers it (RAPID's 403: that runtime is parked in `next`).
    assert.equal(report.otherRuntimeApi, 403);
  });

  it('SIGKILL of its own process: 502 for that call, the gateway serves the next', async () => {
    const r = await call(`${s.base}/dev/killer`);
    assert.equal(r.status, 502);
    assert.equal(r.body, INTERNAL_SERVER_ERROR);
    assert.equal((await call(`${s.base}/dev/victim`)).body, 'victim');
    assert.equal(s.child.exitCode, null);
  });

  it('Timeout: 3 with execSync("sleep 45"): answered at the timeout, its whole tree ends', async () => {
    const r = await call(`${s.base}/dev/sleeper`);
    assert.equal(r.status, 502);
    assert.equal(r.body, INTERNAL_SERVER_ERROR);
    await eventually(() => /Task timed out after 3\.00 seconds/.test(s.output()));
    // The process group ends the sleep; as root, the environment's own cgroup also ends the
    // grandchild that left the group with setsid().
    const root = process.getuid?.() === 0;
    await eventually(
      () => sleepers(SLEEP_CHILD).length === 0 && (!root || sleepers(SLEEP_DETACHED).length === 0),
      10_000,
    );
    assert.equal((await call(`${s.base}/dev/victim`)).body, 'victim');
    for (const pid of sleepers(SLEEP_DETACHED)) process.kill(pid, 'SIGKILL');
  });
});

const unavailable = sandboxUnavailable();
if (unavailable) console.log(`# skipping isolation 'sandbox' tests: ${unavailable}`);

describe(
  "isolation 'sandbox': hostile code reaches nothing but itself",
  { skip: unavailable },
  () => {
    let s: Served;
    let dataDir: string;
    before(async () => ({ s, dataDir } = await start('sandbox')));
    after(() => s.stop());

    it('no data directory, no other process’s environment, only Lambda’s variables, its own pids', async () => {
      const report = await spy(s, dataDir);
      assert.equal(report.credentials, 'ENOENT');
      assert.equal(report.database, 'ENOENT');
      assert.deepEqual(report.secrets, []);
      assert.deepEqual(report.env, LAMBDA_VARIABLES);
      assert.notEqual(report.uid, 0);
      // bubblewrap's init, the relay, the runtime: nothing of the host.
      assert.ok(report.pids <= 3, `sees ${report.pids} pids`);
    });

    it('/tmp is its own and writable; its code is read-only', async () => {
      const report = await spy(s, dataDir);
      assert.equal(report.tmp, 'written');
      assert.equal(report.code, 'EROFS');
    });

    it('its Runtime API is 127.0.0.1:9001 as on Lambda, and another environment’s is out of reach', async () => {
      const other = victimRuntimeApi();
      assert.ok(other, 'the victim runtime is running');
      const report = await spy(s, dataDir, other);
      assert.equal(report.runtimeApi, '127.0.0.1:9001');
      assert.equal(report.otherRuntimeApi, 'ECONNREFUSED');
    });

    it('SIGKILL of its own process: 502 for that call, the gateway serves the next', async () => {
      const r = await call(`${s.base}/dev/killer`);
      assert.equal(r.status, 502);
      assert.equal(r.body, INTERNAL_SERVER_ERROR);
      assert.equal((await call(`${s.base}/dev/victim`)).body, 'victim');
    });

    // https://repost.aws/knowledge-center/lambda-runtime-error — a runtime the kernel kills for
    // memory: `Runtime exited with error: signal: killed`, Runtime.ExitError; API Gateway's proxy
    // integration answers 502 for a function error.
    it('Buffer.alloc of 4×1 GB in a 128 MB function: killed at 128 MB, 502, the gateway unharmed', async () => {
      const r = await call(`${s.base}/dev/hog`);
      assert.equal(r.status, 502);
      assert.equal(r.body, INTERNAL_SERVER_ERROR);
      // The log line may reach stdout just after the answer.
      await eventually(() =>
        /"functionName":"hog".*Error: Runtime exited with error: signal: killed\\nRuntime\.ExitError/.test(
          s.output(),
        ),
      );
      assert.equal((await call(`${s.base}/dev/victim`)).body, 'victim');
    });

    it('Timeout: 3 with execSync("sleep 45"): the whole tree ends, detached grandchildren included', async () => {
      const r = await call(`${s.base}/dev/sleeper`);
      assert.equal(r.status, 502);
      assert.equal(r.body, INTERNAL_SERVER_ERROR);
      await eventually(
        () => sleepers(SLEEP_CHILD).length === 0 && sleepers(SLEEP_DETACHED).length === 0,
        10_000,
      );
      assert.equal((await call(`${s.base}/dev/victim`)).body, 'victim');
    });
  },
);
