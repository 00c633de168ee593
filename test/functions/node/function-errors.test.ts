// How the Node.js function plane answers each way a function can fail, as Lambda answers it.
// https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { capturingLogger, fn, payloadOf, threadsInvoker } from './helpers.js';

const functions = [
  // A test asserts behaviour, never speed: every case but the three that wait for the Timeout on
  // purpose runs with one no busy machine can race (a crash, an exit, a timer or filling 128 MB
  // must never arrive as Sandbox.Timedout instead).
  fn('failures', 'failures', 'index.dispatch', { Timeout: 120 }),
  fn('failures-1s', 'failures', 'index.dispatch', { Timeout: 1 }),
  fn('callback-fails', 'callback', 'index.fails'),
  fn('callback-string', 'callback', 'index.failsWithString'),
  fn('init-throws', 'init-throws', 'index.handler'),
  fn('missing-module', 'cjs', 'nothere.handler'),
  fn('missing-export', 'cjs', 'index.missing'),
];

describe('Node.js function failures in worker threads (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html)', () => {
  const { logger } = capturingLogger();
  // One worker: a failure must be followed by a success of the same function, in a new worker.
  const invoker = threadsInvoker(functions, logger);
  after(() => invoker.close());

  const invoke = (functionName: string, event: unknown = {}, requestId?: string) =>
    invoker.invoke(requestId ? { functionName, event, requestId } : { functionName, event });

  describe('function errors (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html)', () => {
    async function assertRecovers() {
      const next = await invoke('failures', { action: 'ok', n: 1 });
      assert.equal(next.functionError, undefined);
      assert.deepEqual(payloadOf(next), { ok: true, n: 1 });
    }

    test('a thrown Error is {errorType, errorMessage, trace}', async () => {
      const result = await invoke('failures', { action: 'throws' });
      assert.equal(result.functionError, 'Unhandled');
      assert.equal(result.errorType, 'Error');
      assert.equal(result.errorMessage, 'thrown from handler');
      const body = payloadOf(result) as {
        errorType: string;
        errorMessage: string;
        trace: string[];
      };
      assert.deepEqual(Object.keys(body), ['errorType', 'errorMessage', 'trace']);
      assert.equal(body.trace[0], 'Error: thrown from handler');
      await assertRecovers();
    });

    test('a custom error name survives the thread boundary', async () => {
      const result = await invoke('failures', { action: 'throwsSync' });
      assert.equal(result.errorType, 'ValidationError');
      assert.equal(result.errorMessage, 'custom error name');
      await assertRecovers();
    });

    test('a rejected promise', async () => {
      const result = await invoke('failures', { action: 'rejects' });
      assert.equal(result.errorType, 'RangeError');
      assert.equal(result.errorMessage, 'rejected promise');
      await assertRecovers();
    });

    test('a thrown non-Error value: errorType is its typeof, trace is empty', async () => {
      const result = await invoke('failures', { action: 'throwsString' });
      assert.equal(
        result.payload,
        '{"errorType":"string","errorMessage":"a thrown string","trace":[]}',
      );
      await assertRecovers();
    });

    test('callback(err) and callback("string")', async () => {
      const withError = await invoke('callback-fails');
      assert.equal(withError.functionError, 'Unhandled');
      assert.equal(withError.errorType, 'Error');
      assert.equal(withError.errorMessage, 'callback failure');
      const withString = await invoke('callback-string');
      assert.equal(
        withString.payload,
        '{"errorType":"string","errorMessage":"plain string failure","trace":[]}',
      );
    });

    test('a result JSON cannot represent (circular, BigInt): "Unable to stringify response body"', async () => {
      for (const action of ['circular', 'bigint']) {
        const result = await invoke('failures', { action });
        assert.equal(result.functionError, 'Unhandled');
        assert.equal(result.errorType, 'Error');
        assert.equal(result.errorMessage, 'Unable to stringify response body');
      }
      await assertRecovers();
    });

    test('an error is logged as "Invoke Error" with the error as JSON', async () => {
      const result = await invoke('failures', { action: 'throws' });
      assert.match(
        result.logTail ?? '',
        new RegExp(
          `\\t${result.requestId}\\tERROR\\tInvoke Error \\t\\{"errorType":"Error","errorMessage":"thrown from handler","stack":\\["Error: thrown from handler",`,
        ),
      );
    });
  });

  describe('environments that end (https://docs.aws.amazon.com/lambda/latest/dg/troubleshooting-invocation.html)', () => {
    test('past Timeout: Sandbox.Timedout, the worker is replaced, earlier logs are kept', async () => {
      const result = await invoke('failures-1s', { action: 'hangs' }, 'req-hang');
      assert.equal(
        result.payload,
        '{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: req-hang Error: Task timed out after 1.00 seconds"}',
      );
      assert.equal(result.functionError, 'Unhandled');
      assert.equal(result.errorType, 'Sandbox.Timedout');
      const lines = (result.logTail ?? '').trimEnd().split('\n');
      assert.equal(lines[0], 'START RequestId: req-hang Version: $LATEST');
      assert.match(lines[1]!, /^\S+Z\treq-hang\tINFO\tbefore the hang$/);
      assert.match(lines[2]!, /^\S+Z req-hang Task timed out after 1\.00 seconds$/);
      assert.equal(lines[3], 'END RequestId: req-hang');
      assert.match(lines[4]!, /^REPORT RequestId: req-hang\tDuration: .*\tStatus: timeout$/);
      const next = await invoke('failures', { action: 'ok', n: 2 });
      assert.deepEqual(payloadOf(next), { ok: true, n: 2 });
    });

    test('a busy loop is stopped at the timeout too', async () => {
      const result = await invoke('failures-1s', { action: 'spins' });
      assert.equal(result.errorType, 'Sandbox.Timedout');
      assert.match(result.logTail ?? '', /INFO\tbefore the busy loop\n/);
      assert.deepEqual(payloadOf(await invoke('failures', { action: 'ok', n: 3 })), {
        ok: true,
        n: 3,
      });
    });

    test('a callback handler that never calls back runs until the timeout', async () => {
      const result = await invoke('failures-1s', { action: 'callbackNeverCalled' }, 'req-silent');
      assert.equal(result.errorType, 'Sandbox.Timedout');
      assert.equal(
        result.errorMessage,
        'RequestId: req-silent Error: Task timed out after 1.00 seconds',
      );
    });

    test('process.exit(2): Runtime.ExitError "Runtime exited with error: exit status 2"', async () => {
      const result = await invoke('failures', { action: 'exits' }, 'req-exit');
      assert.equal(
        result.payload,
        '{"errorType":"Runtime.ExitError","errorMessage":"RequestId: req-exit Error: Runtime exited with error: exit status 2"}',
      );
      assert.match(result.logTail ?? '', /\treq-exit\tINFO\tabout to exit\n/);
      assert.match(result.logTail ?? '', /\tStatus: error\tError Type: Runtime\.ExitError\n$/);
      assert.deepEqual(payloadOf(await invoke('failures', { action: 'ok', n: 4 })), {
        ok: true,
        n: 4,
      });
    });

    test('process.exit(0): Runtime.ExitError "Runtime exited without providing a reason"', async () => {
      const result = await invoke('failures', { action: 'exitsCleanly' }, 'req-exit0');
      assert.equal(result.errorType, 'Runtime.ExitError');
      assert.equal(
        result.errorMessage,
        'RequestId: req-exit0 Error: Runtime exited without providing a reason',
      );
      await invoke('failures', { action: 'ok' });
    });

    test('an exception thrown in a timer is the invocation’s error, then the environment is replaced', async () => {
      const result = await invoke('failures', { action: 'uncaughtAsync' });
      assert.equal(result.functionError, 'Unhandled');
      assert.equal(result.errorType, 'Error');
      assert.equal(result.errorMessage, 'thrown in a timer');
      assert.match(result.logTail ?? '', /\tERROR\tUncaught Exception \t\{"errorType":"Error"/);
      assert.deepEqual(payloadOf(await invoke('failures', { action: 'ok', n: 5 })), {
        ok: true,
        n: 5,
      });
    });

    test('an unhandled rejection is Runtime.UnhandledPromiseRejection', async () => {
      const result = await invoke('failures', { action: 'unhandledRejection' });
      assert.equal(result.errorType, 'Runtime.UnhandledPromiseRejection');
      assert.equal(result.errorMessage, 'Error: nobody handles this');
      assert.deepEqual(payloadOf(await invoke('failures', { action: 'ok', n: 6 })), {
        ok: true,
        n: 6,
      });
    });

    test('exceeding MemorySize: Runtime.OutOfMemory', async () => {
      const result = await invoke('failures', { action: 'outOfMemory' }, 'req-oom');
      assert.equal(
        result.payload,
        '{"errorType":"Runtime.OutOfMemory","errorMessage":"RequestId: req-oom Error: Runtime exited with error: signal: killed"}',
      );
      assert.deepEqual(payloadOf(await invoke('failures', { action: 'ok', n: 7 })), {
        ok: true,
        n: 7,
      });
    });
  });

  describe('init errors (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html)', () => {
    test('a module that throws while loading: its error, init logs under request id "undefined"', async () => {
      const result = await invoke('init-throws');
      assert.equal(result.functionError, 'Unhandled');
      assert.equal(result.errorType, 'TypeError');
      assert.equal(result.errorMessage, 'cannot initialise');
      assert.match(result.logTail ?? '', /Z\tundefined\tINFO\tinitialising\n/);
      // Each invocation retries the init in a fresh environment, as Lambda does.
      assert.equal((await invoke('init-throws')).errorType, 'TypeError');
    });

    test('a missing module: Runtime.ImportModuleError', async () => {
      const result = await invoke('missing-module');
      assert.equal(result.errorType, 'Runtime.ImportModuleError');
      assert.equal(
        result.errorMessage,
        "Error: Cannot find module 'nothere'\nRequire stack:\n- /var/runtime/index.mjs",
      );
    });

    test('a missing export: Runtime.HandlerNotFound', async () => {
      const result = await invoke('missing-export');
      assert.equal(result.errorType, 'Runtime.HandlerNotFound');
      assert.equal(result.errorMessage, 'index.missing is undefined or not exported');
    });
  });
});
