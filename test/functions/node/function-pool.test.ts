// The Node.js function plane end to end: real worker threads running the fixture functions.
// https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  EventNotJsonError,
  ResourceNotFoundError,
  TooManyRequestsError,
} from '../../../src/functions/invoker.js';
import { FunctionPool } from '../../../src/functions/node/function-pool.js';
import { FunctionsInvoker } from '../../../src/functions/functions-invoker.js';
import type { FunctionConfig } from '../../../src/model/types.js';
import { capturingLogger, fixtures, fn, payloadOf, settings, threadsInvoker } from './helpers.js';
import { TSX_WORKER_SCRIPT } from './tsx-worker-script.js';

const functions: FunctionConfig[] = [
  fn('cjs', 'cjs', 'index.handler'),
  fn('nested-export', 'cjs', 'index.deep.nested.handler'),
  fn('mjs', 'esm-mjs', 'app.handler'),
  fn('type-module', 'esm-type-module', 'index.handler'),
  fn('nested-dir', 'nested-dir', 'src/app.handler'),
  fn('callback', 'callback', 'index.succeeds'),
  fn('context-succeed', 'callback', 'index.contextSucceed'),
  fn('first-wins', 'callback', 'index.firstCompletionWins'),
  fn('env', 'introspect', 'index.env', {
    MemorySize: 256,
    Environment: { Variables: { GREETING: 'hello', AWS_REGION: 'mars-1', LANG: 'fr_FR.UTF-8' } },
  }),
  fn('context', 'introspect', 'index.context'),
  fn('console', 'introspect', 'index.console'),
  fn('chatty', 'introspect', 'index.chatty'),
  fn('undefined-result', 'introspect', 'index.returnsUndefined'),
  fn('json-events', 'cjs', 'index.handler'),
];

describe('Node.js functions in worker threads (https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html)', () => {
  const { logger, records } = capturingLogger();
  // One worker per function: sequential invocations always reach the same warm environment.
  const invoker = threadsInvoker(functions, logger);
  after(() => invoker.close());

  const invoke = (functionName: string, event: unknown = {}, requestId?: string) =>
    invoker.invoke(requestId ? { functionName, event, requestId } : { functionName, event });

  describe('handlers (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html)', () => {
    test('a CommonJS async handler returns its value as JSON', async () => {
      const result = await invoke('cjs', { hello: 'world' }, 'req-cjs');
      assert.equal(result.requestId, 'req-cjs');
      assert.equal(result.functionError, undefined);
      assert.deepEqual(payloadOf(result), { echo: { hello: 'world' }, invocations: 1 });
    });

    test('module state persists across warm invocations (execution environment reuse)', async () => {
      // https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
      const second = await invoke('cjs', 2);
      const third = await invoke('cjs', 3);
      assert.deepEqual(payloadOf(second), { echo: 2, invocations: 2 });
      assert.deepEqual(payloadOf(third), { echo: 3, invocations: 3 });
    });

    test('a nested export path file.a.b.handler', async () => {
      assert.equal((await invoke('nested-export')).payload, '"nested export"');
    });

    test('an ES module by .mjs extension and by package.json "type": "module"', async () => {
      assert.deepEqual(payloadOf(await invoke('mjs', 1)), { module: 'mjs', echo: 1 });
      assert.deepEqual(payloadOf(await invoke('type-module', 2)), {
        module: 'type-module',
        echo: 2,
      });
    });

    test('a handler in a subfolder: src/app.handler', async () => {
      assert.deepEqual(payloadOf(await invoke('nested-dir')), { from: 'src/app.js' });
    });

    test('undefined result is the JSON null payload', async () => {
      assert.equal((await invoke('undefined-result')).payload, 'null');
    });

    test('a callback handler answers with callback(null, result)', async () => {
      assert.deepEqual(payloadOf(await invoke('callback', 7)), { callback: true, echo: 7 });
    });

    test('context.succeed still completes the invocation (deprecated)', async () => {
      assert.deepEqual(payloadOf(await invoke('context-succeed')), { via: 'context.succeed' });
    });

    test('only the first of callback/succeed/fail counts', async () => {
      assert.equal((await invoke('first-wins')).payload, '"first"');
    });
  });

  describe('environment variables (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime)', () => {
    test('reserved variables are set and win over the function’s; unreserved ones can be overridden', async () => {
      const env = payloadOf(await invoke('env')) as Record<string, string | null>;
      const { AWS_LAMBDA_LOG_STREAM_NAME: stream, ...rest } = env;
      assert.match(stream ?? '', /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
      assert.deepEqual(rest, {
        _HANDLER: 'index.env',
        AWS_REGION: 'eu-west-1',
        AWS_DEFAULT_REGION: 'eu-west-1',
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
        AWS_LAMBDA_FUNCTION_NAME: 'env',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
        AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/env',
        LAMBDA_TASK_ROOT: join(fixtures, 'introspect'),
        TZ: ':UTC',
        LANG: 'fr_FR.UTF-8',
        GREETING: 'hello',
        AWS_ACCESS_KEY_ID: null,
      });
    });
  });

  describe('context (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html)', () => {
    test('carries the request id, function identity and remaining time', async () => {
      const context = payloadOf(await invoke('context', {}, 'req-ctx')) as Record<string, unknown>;
      const { logStreamName, envLogStreamName, ...rest } = context;
      assert.equal(logStreamName, envLogStreamName);
      assert.match(String(logStreamName), /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
      assert.deepEqual(rest, {
        keys: [
          'callbackWaitsForEmptyEventLoop',
          'succeed',
          'fail',
          'done',
          'functionVersion',
          'functionName',
          'memoryLimitInMB',
          'logGroupName',
          'logStreamName',
          'invokedFunctionArn',
          'clientContext',
          'identity',
          'awsRequestId',
          'getRemainingTimeInMillis',
        ],
        awsRequestId: 'req-ctx',
        functionName: 'context',
        functionVersion: '$LATEST',
        invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:context',
        memoryLimitInMB: '128',
        logGroupName: '/aws/lambda/context',
        callbackWaitsForEmptyEventLoop: true,
        remainingIsPositive: true,
        remainingWithinTimeout: true,
      });
    });
  });

  describe('logs (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html)', () => {
    test('console output becomes "<time>\\t<request id>\\t<LEVEL>\\t<message>" between START and END/REPORT', async () => {
      const result = await invoke('console', { x: 1 }, 'req-log');
      const lines = (result.logTail ?? '').trimEnd().split('\n');
      const time = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z';
      assert.equal(lines.length, 9);
      assert.equal(lines[0], 'START RequestId: req-log Version: $LATEST');
      assert.match(lines[1]!, new RegExp(`^${time}\\treq-log\\tINFO\\tlog { n: 1 }$`));
      assert.match(lines[2]!, new RegExp(`^${time}\\treq-log\\tINFO\\tinfo formatted$`));
      assert.match(lines[3]!, new RegExp(`^${time}\\treq-log\\tWARN\\twarn$`));
      assert.match(lines[4]!, new RegExp(`^${time}\\treq-log\\tERROR\\terror$`));
      assert.match(lines[5]!, new RegExp(`^${time}\\treq-log\\tDEBUG\\tdebug$`));
      assert.equal(lines[6], 'raw stdout');
      assert.equal(lines[7], 'END RequestId: req-log');
      assert.match(
        lines[8]!,
        /^REPORT RequestId: req-log\tDuration: \d+\.\d{2} ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d{2} ms$/,
      );
    });

    test('every line reaches the gateway logger with function name and request id, in order', async () => {
      const result = await invoke('console', {}, 'req-logger');
      const mine = records.filter((r) => r.requestId === 'req-logger');
      assert.ok(mine.every((r) => r.functionName === 'console'));
      assert.equal(mine.map((r) => r.msg).join('\n') + '\n', result.logTail);
    });

    test('the tail keeps the last 4 KB, ending with REPORT', async () => {
      const result = await invoke('chatty', { lines: 100 });
      const tail = result.logTail ?? '';
      assert.equal(Buffer.byteLength(tail), 4096);
      assert.match(tail, /END RequestId: [^\n]+\nREPORT RequestId: [^\n]+\n$/);
    });
  });

  test('an unknown function is ResourceNotFoundException', async () => {
    assert.equal(invoker.has('nope'), false);
    await assert.rejects(invoke('nope'), ResourceNotFoundError);
  });

  // A non-proxy integration's event travels as JSON text and is parsed in the worker; Lambda's
  // Invoke refuses a payload that is not JSON (InvalidRequestContentException) without running
  // the function. https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html#API_Invoke_Errors
  describe('events as JSON text', () => {
    const invokeJson = (eventJson: string, requestId: string) =>
      invoker.invoke({ functionName: 'json-events', eventJson, requestId });

    test('are parsed where the function runs: the handler gets the value', async () => {
      const result = await invokeJson('{"a":[1,{"b":null}]}', 'req-json-1');
      assert.deepEqual(payloadOf(result), { echo: { a: [1, { b: null }] }, invocations: 1 });
    });

    test('text that is not JSON is InvalidRequestContentException; the function never starts and no line is logged', async () => {
      const refused = await invokeJson('{"a":', 'req-json-bad').then(
        () => assert.fail('an event that is not JSON was run'),
        (error: unknown) => error,
      );
      assert.ok(refused instanceof EventNotJsonError);
      assert.equal(refused.code, 'InvalidRequestContentException');
      assert.match(refused.message, /^Could not parse request body into json: .*JSON/);
      assert.deepEqual(
        records.filter((r) => r.requestId === 'req-json-bad'),
        [],
      );
      // The same environment goes on: module state shows the refused event never ran.
      const next = await invokeJson('2', 'req-json-2');
      assert.deepEqual(payloadOf(next), { echo: 2, invocations: 2 });
      assert.match(next.logTail ?? '', /^START RequestId: req-json-2 Version: \$LATEST\n/);
    });

    test('refusals among invocations sent ahead to one worker: each answered in order', async () => {
      const sent = ['3', 'nope', '4', '', '5'].map((text, i) => invokeJson(text, `req-ahead-${i}`));
      const settled = await Promise.allSettled(sent);
      assert.deepEqual(
        settled.map((s) =>
          s.status === 'fulfilled' ? payloadOf(s.value) : (s.reason as Error).name,
        ),
        [
          { echo: 3, invocations: 3 },
          'InvalidRequestContentException',
          { echo: 4, invocations: 4 },
          'InvalidRequestContentException',
          { echo: 5, invocations: 5 },
        ],
      );
    });
  });
});

describe('worker threads: two workers per function', () => {
  const { logger } = capturingLogger();
  const invoker = threadsInvoker([fn('echo', 'failures', 'index.dispatch')], logger, 2);
  after(() => invoker.close());

  test('concurrent invocations never mix results', async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, n) =>
        invoker.invoke({ functionName: 'echo', event: { action: 'ok', n }, requestId: `r${n}` }),
      ),
    );
    results.forEach((result, n) => {
      assert.equal(result.requestId, `r${n}`);
      assert.deepEqual(payloadOf(result), { ok: true, n });
    });
  });

  test('a crash in one worker does not fail the other’s invocation', async () => {
    const [crashed, ok] = await Promise.all([
      invoker.invoke({ functionName: 'echo', event: { action: 'exits' } }),
      invoker.invoke({ functionName: 'echo', event: { action: 'ok', n: 1 } }),
    ]);
    assert.equal(crashed.errorType, 'Runtime.ExitError');
    assert.deepEqual(payloadOf(ok), { ok: true, n: 1 });
  });
});

describe('FunctionsInvoker.setFunctions (thread functions)', () => {
  const { logger } = capturingLogger();
  let invoker: FunctionsInvoker;
  before(() => {
    invoker = threadsInvoker([fn('env', 'introspect', 'index.env')], logger);
  });
  after(() => invoker.close());

  test('a changed function gets a fresh environment; a removed one is gone', async () => {
    const before = payloadOf(await invoker.invoke({ functionName: 'env', event: {} }));
    assert.equal((before as { GREETING: string | null }).GREETING, null);
    invoker.setFunctions([
      fn('env', 'introspect', 'index.env', { Environment: { Variables: { GREETING: 'new' } } }),
      fn('cjs', 'cjs', 'index.handler'),
    ]);
    const after = payloadOf(await invoker.invoke({ functionName: 'env', event: {} }));
    assert.equal((after as { GREETING: string | null }).GREETING, 'new');
    assert.equal(invoker.has('cjs'), true);
    invoker.setFunctions([fn('cjs', 'cjs', 'index.handler')]);
    assert.equal(invoker.has('env'), false);
  });
});

describe('FunctionPool queue (https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html)', () => {
  test('beyond its workers and its queue, an invocation is refused with TooManyRequestsException', async () => {
    const { logger } = capturingLogger();
    const pool = new FunctionPool({
      config: fn('never', 'callback', 'index.neverCalls', { Timeout: 60 }),
      settings,
      logger,
      maxThreads: 1,
      maxQueue: 2,
      workerScript: TSX_WORKER_SCRIPT,
    });
    // One runs, two wait (sent ahead or queued: not started either way), the fourth is refused.
    const accepted = ['a', 'b', 'c'].map((id) =>
      pool.invoke(id, { event: {} }).catch((e: unknown) => e),
    );
    await assert.rejects(pool.invoke('d', { event: {} }), (error: unknown) => {
      assert.ok(error instanceof TooManyRequestsError);
      assert.equal(error.code, 'TooManyRequestsException');
      return true;
    });
    await pool.destroy();
    for (const outcome of await Promise.all(accepted)) assert.ok(outcome instanceof Error);
  });
});

describe('FunctionPool idle timeout (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html)', () => {
  test('an environment idle past idleTimeoutMs is ended: the next invocation starts a new one', async () => {
    const { logger } = capturingLogger();
    const pool = new FunctionPool({
      config: fn('cjs', 'cjs', 'index.handler'),
      settings,
      logger,
      maxThreads: 1,
      idleTimeoutMs: 50,
      workerScript: TSX_WORKER_SCRIPT,
    });
    try {
      const invocations = async () =>
        (payloadOf(await pool.invoke('r', { event: {} })) as { invocations: number }).invocations;
      assert.equal(await invocations(), 1);
      // Left idle (no invocation resets its clock while waiting), the worker is ended: eventually
      // an invocation finds fresh module state.
      let seen = 0;
      for (let tries = 0; tries < 50 && seen !== 1; tries++) {
        await new Promise((r) => setTimeout(r, 200));
        seen = await invocations();
      }
      assert.equal(seen, 1, 'the idle worker was never ended');
    } finally {
      await pool.destroy();
    }
  });
});

describe('FunctionsInvoker.setFunctions compares configurations as canonical JSON', () => {
  const { logger } = capturingLogger();
  const config = fn('context', 'introspect', 'index.context');
  const invoker = threadsInvoker([config], logger);
  after(() => invoker.close());

  test('the same configuration with its keys in another order keeps the warm environment', async () => {
    const streamOf = async () =>
      (
        payloadOf(await invoker.invoke({ functionName: 'context', event: {} })) as {
          logStreamName: string;
        }
      ).logStreamName;
    const first = await streamOf();
    const reordered = Object.fromEntries(Object.entries(config).reverse()) as typeof config;
    invoker.setFunctions([reordered]);
    assert.equal(await streamOf(), first);
  });
});
