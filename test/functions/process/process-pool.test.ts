// The process pool: warm reuse, one invocation per process, a bounded queue, and an environment
// that times out or crashes is killed and replaced.
// https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { EventNotJsonError, TooManyRequestsError } from '../../../src/functions/invoker.js';
import { ProcessPool } from '../../../src/functions/process/process-pool.js';
import { launchFor } from '../../../src/functions/process/runtime-launchers.js';
import type { FunctionConfig } from '../../../src/model/types.js';
import { capturingLogger, settings } from '../node/helpers.js';
import { processAlive, pyFn } from './helpers.js';

const { logger } = capturingLogger();
const pools: ProcessPool[] = [];
function pool(
  config: FunctionConfig,
  limits: Partial<{ maxConcurrency: number; maxQueue: number; idleTimeoutMs: number }> = {},
) {
  const p = new ProcessPool({
    config,
    settings,
    logger,
    launch: launchFor(config),
    maxConcurrency: limits.maxConcurrency ?? 2,
    maxQueue: limits.maxQueue ?? 10,
    idleTimeoutMs: limits.idleTimeoutMs ?? 60_000,
    killGraceMs: 100,
  });
  pools.push(p);
  return p;
}
after(() => Promise.all(pools.map((p) => p.destroy())));

const payload = (r: { payload: string }) => JSON.parse(r.payload) as Record<string, unknown>;

describe('ProcessPool (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html)', () => {
  it('reuses a warm process: the second invocation runs in the same process', async () => {
    const p = pool(pyFn('warm', 'app', 'app.hello'));
    const first = payload(await p.invoke('r-1', { event: {} }));
    const second = payload(await p.invoke('r-2', { event: {} }));
    assert.equal(first.pid, second.pid);
    assert.deepEqual([first.invocations, second.invocations], [1, 2]);
    assert.equal(p.size, 1);
  });

  it('an event as JSON text reaches the runtime as is; text that is not JSON is refused before any process starts', async () => {
    // Lambda's Invoke: InvalidRequestContentException, the function never runs.
    // https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html#API_Invoke_Errors
    const p = pool(pyFn('json-text', 'app', 'app.hello'));
    await assert.rejects(p.invoke('r-bad', { eventJson: '{"a":' }), EventNotJsonError);
    assert.equal(p.size, 0);
    const ran = payload(await p.invoke('r-good', { eventJson: '{"a": 1}' }));
    assert.deepEqual([ran.event, ran.invocations], [{ a: 1 }, 1]);
  });

  it('a timeout answers Sandbox.Timedout and kills the process group; the next call gets a new process', async () => {
    // https://docs.aws.amazon.com/lambda/latest/dg/troubleshooting-invocation.html
    const p = pool(pyFn('sleepy', 'app', 'app.dispatch', { Timeout: 1 }));
    const warm = payload(await p.invoke('w', { event: { action: 'echo-slow', seconds: 0 } }));
    // The handler sleeps 60 s: only the 1 s Timeout can end it with Sandbox.Timedout.
    const result = await p.invoke('timed-out', { event: { action: 'sleep' } });
    assert.equal(result.functionError, 'Unhandled');
    assert.deepEqual(payload(result), {
      errorType: 'Sandbox.Timedout',
      errorMessage: 'RequestId: timed-out Error: Task timed out after 1.00 seconds',
    });
    assert.match(result.logTail!, /going to sleep/);
    assert.match(result.logTail!, /timed-out Task timed out after 1\.00 seconds/);
    assert.match(result.logTail!, /REPORT RequestId: timed-out\t.*\tStatus: timeout\n$/);
    const deadline = Date.now() + 30_000;
    while (processAlive(warm.pid as number) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    assert.equal(processAlive(warm.pid as number), false, 'the timed-out process is gone');
    const next = payload(await p.invoke('after', { event: { action: 'echo-slow', seconds: 0 } }));
    assert.notEqual(next.pid, warm.pid);
  });

  it('a crash (os._exit) answers Runtime.ExitError and the process is replaced', async () => {
    const p = pool(pyFn('crashy', 'app', 'app.dispatch'));
    const warm = payload(await p.invoke('w', { event: { action: 'echo-slow', seconds: 0 } }));
    const crashed = await p.invoke('crash', { event: { action: 'exit' } });
    assert.deepEqual(payload(crashed), {
      errorType: 'Runtime.ExitError',
      errorMessage: 'RequestId: crash Error: Runtime exited with error: exit status 3',
    });
    assert.match(crashed.logTail!, /exiting\n/);
    assert.match(crashed.logTail!, /Status: error\tError Type: Runtime\.ExitError\n$/);
    const next = payload(await p.invoke('after', { event: { action: 'echo-slow', seconds: 0 } }));
    assert.notEqual(next.pid, warm.pid);
  });

  it('concurrent invocations use several processes, one invocation each, never mixing answers', async () => {
    const p = pool(pyFn('parallel', 'app', 'app.dispatch'), { maxConcurrency: 3 });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        p.invoke(`c-${i}`, { event: { action: 'echo-slow', id: i, seconds: 0.2 } }),
      ),
    );
    const answers = results.map(payload);
    assert.deepEqual(
      answers.map((a) => a.id),
      [0, 1, 2, 3, 4, 5],
    );
    const pids = new Set(answers.map((a) => a.pid));
    assert.equal(pids.size, 3, 'three processes for a concurrency of three');
    assert.equal(p.size, 3);
  });

  it('beyond concurrency and queue: TooManyRequestsException', async () => {
    const p = pool(pyFn('throttled', 'app', 'app.dispatch'), { maxConcurrency: 1, maxQueue: 1 });
    const running = p.invoke('a', { event: { action: 'echo-slow', seconds: 0.5 } });
    const queued = p.invoke('b', { event: { action: 'echo-slow', seconds: 0 } });
    await assert.rejects(p.invoke('c', { event: { action: 'ok' } }), (error: unknown) => {
      assert.ok(error instanceof TooManyRequestsError);
      assert.equal(error.code, 'TooManyRequestsException');
      return true;
    });
    const [first, second] = await Promise.all([running, queued]);
    assert.equal(payload(first).pid, payload(second).pid, 'the queued call reused the process');
  });

  it('idle processes are reaped', async () => {
    const p = pool(pyFn('idle', 'app', 'app.hello'), { idleTimeoutMs: 100 });
    const { pid } = payload(await p.invoke('once', { event: {} }));
    const deadline = Date.now() + 30_000;
    while ((p.size > 0 || processAlive(pid as number)) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 25));
    assert.equal(p.size, 0);
    assert.equal(processAlive(pid as number), false);
  });
});
