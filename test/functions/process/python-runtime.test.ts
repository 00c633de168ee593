// Unchanged Python handlers through Sallyport's bootstrap, answered as Lambda's Python runtime
// answers: the context object, the environment, error documents and init errors.
// https://docs.aws.amazon.com/lambda/latest/dg/python-handler.html
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FunctionsInvoker } from '../../../src/functions/functions-invoker.js';
import { capturingLogger, fn, settings } from '../node/helpers.js';
import { pyFn } from './helpers.js';
import { TSX_WORKER_SCRIPT } from '../node/tsx-worker-script.js';

const { logger, records } = capturingLogger();
const invoker = new FunctionsInvoker({
  workerScript: TSX_WORKER_SCRIPT,
  functions: [
    pyFn('hello', 'app', 'app.hello', { Environment: { Variables: { GREETING: 'hi' } } }),
    pyFn('dispatch', 'app', 'app.dispatch'),
    pyFn('slashed', 'packaged', 'pkg/sub/mod.handler'),
    pyFn('dotted', 'packaged', 'pkg.sub.mod.handler'),
    pyFn('import-error', 'broken', 'imports_missing.handler'),
    pyFn('syntax-error', 'broken', 'syntax.handler'),
    pyFn('no-handler', 'broken', 'no_handler.handler'),
    pyFn('raises-at-import', 'broken', 'raises_at_import.handler'),
    fn('node-process', 'cjs', 'index.handler', { Isolation: 'process' }),
    {
      ...pyFn('provided', '', 'function.handler', { Runtime: 'provided.al2023' }),
      Code: join(import.meta.dirname, '../../../examples/provided/function'),
    },
  ],
  settings,
  logger,
});
after(() => invoker.close());

const invoke = async (functionName: string, event: unknown = {}, requestId?: string) => {
  const result = await invoker.invoke(
    requestId ? { functionName, event, requestId } : { functionName, event },
  );
  return { result, body: JSON.parse(result.payload) as Record<string, unknown> };
};

describe('Python context object (https://docs.aws.amazon.com/lambda/latest/dg/python-context.html)', () => {
  it('has AWS’s attributes and get_remaining_time_in_millis()', async () => {
    const { body } = await invoke('hello', { a: 1 }, 'ctx-1');
    const context = body.context as Record<string, unknown>;
    assert.deepEqual(body.event, { a: 1 });
    assert.equal(context.aws_request_id, 'ctx-1');
    assert.equal(context.function_name, 'hello');
    assert.equal(context.function_version, '$LATEST');
    assert.equal(
      context.invoked_function_arn,
      'arn:aws:lambda:eu-west-1:123456789012:function:hello',
    );
    assert.equal(context.memory_limit_in_mb, '128');
    assert.equal(context.log_group_name, '/aws/lambda/hello');
    assert.match(
      String(context.log_stream_name),
      /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/,
    );
    // Counts down from the 3 s Timeout; how far it got depends on load, so no lower bound past 0.
    assert.ok((context.remaining as number) > 0 && (context.remaining as number) <= 3000);
    assert.equal(context.client_context, null);
    assert.deepEqual(context.identity, [null, null]);
  });

  it('sees the reserved environment variables, its own, and cwd = LAMBDA_TASK_ROOT (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html)', async () => {
    const { body } = await invoke('hello');
    const env = body.env as Record<string, string>;
    assert.equal(env._HANDLER, 'app.hello');
    assert.equal(env.AWS_EXECUTION_ENV, 'AWS_Lambda_python3.12');
    assert.equal(env.AWS_LAMBDA_FUNCTION_NAME, 'hello');
    assert.equal(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, '128');
    assert.equal(env.AWS_LAMBDA_FUNCTION_VERSION, '$LATEST');
    assert.equal(env.AWS_LAMBDA_INITIALIZATION_TYPE, 'on-demand');
    assert.equal(env.AWS_REGION, 'eu-west-1');
    assert.match(env.AWS_LAMBDA_RUNTIME_API!, /^127\.0\.0\.1:\d+$/);
    assert.match(
      env._X_AMZN_TRACE_ID!,
      /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/,
    );
    assert.equal(env.LAMBDA_TASK_ROOT, body.cwd);
    assert.ok(env.LAMBDA_RUNTIME_DIR);
    assert.equal(env.TZ, ':UTC');
    assert.equal(env.GREETING, 'hi');
    assert.equal(env.AWS_ACCESS_KEY_ID, undefined);
  });

  it('packages in subfolders: pkg/sub/mod.handler and pkg.sub.mod.handler', async () => {
    assert.deepEqual((await invoke('slashed')).body, { module: 'pkg.sub.mod' });
    assert.deepEqual((await invoke('dotted')).body, { module: 'pkg.sub.mod' });
  });
});

describe('Python errors (https://docs.aws.amazon.com/lambda/latest/dg/python-exceptions.html)', () => {
  it('a raised exception: {errorMessage, errorType, requestId, stackTrace}', async () => {
    const { result, body } = await invoke('dispatch', { action: 'raise' }, 'err-1');
    assert.equal(result.functionError, 'Unhandled');
    assert.equal(result.errorType, 'ValidationError');
    assert.equal(result.errorMessage, 'bad input');
    assert.deepEqual(Object.keys(body), ['errorMessage', 'errorType', 'requestId', 'stackTrace']);
    assert.equal(body.requestId, 'err-1');
    const trace = body.stackTrace as string[];
    assert.equal(trace.length, 1, 'the runtime’s own frames are left out');
    assert.match(
      trace[0]!,
      /^ {2}File ".*app\.py", line \d+, in dispatch\n {4}raise ValidationError\("bad input"\)\n$/,
    );
    assert.match(
      result.logTail!,
      /\[ERROR\] ValidationError: bad input\rTraceback \(most recent call last\):\r/,
    );
  });

  it('raise Exception("Unauthorized") gives errorMessage exactly "Unauthorized" (the authorizer’s 401)', async () => {
    const { result } = await invoke('dispatch', { action: 'unauthorized' });
    assert.equal(result.errorType, 'Exception');
    assert.equal(result.errorMessage, 'Unauthorized');
  });

  it('a value json cannot serialise: Runtime.MarshalError', async () => {
    const { body } = await invoke('dispatch', { action: 'set' }, 'm-1');
    assert.deepEqual(body, {
      errorMessage: 'Unable to marshal response: Object of type set is not JSON serializable',
      errorType: 'Runtime.MarshalError',
      requestId: 'm-1',
      stackTrace: [],
    });
  });

  it('a response over 6 MB: Function.ResponseSizeTooLarge, and the process serves on', async () => {
    const { body } = await invoke('dispatch', { action: 'big' });
    assert.deepEqual(body, {
      errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
      errorType: 'Function.ResponseSizeTooLarge',
    });
    assert.deepEqual((await invoke('dispatch', { action: 'ok', n: 2 })).body, { ok: true, n: 2 });
  });

  const initErrors: [string, Record<string, unknown>][] = [
    [
      'import-error',
      {
        errorMessage:
          "Unable to import module 'imports_missing': No module named 'not_a_module_anywhere'",
        errorType: 'Runtime.ImportModuleError',
        requestId: '',
        stackTrace: [],
      },
    ],
    [
      'no-handler',
      {
        errorMessage: "Handler 'handler' missing on module 'no_handler'",
        errorType: 'Runtime.HandlerNotFound',
        requestId: '',
        stackTrace: [],
      },
    ],
  ];
  for (const [name, expected] of initErrors) {
    it(`init error ${String(expected.errorType)} via /runtime/init/error`, async () => {
      const { result, body } = await invoke(name);
      assert.equal(result.functionError, 'Unhandled');
      assert.deepEqual(body, expected);
    });
  }

  it('init error Runtime.UserCodeSyntaxError, with the offending line', async () => {
    const { body } = await invoke('syntax-error');
    assert.equal(body.errorType, 'Runtime.UserCodeSyntaxError');
    assert.match(String(body.errorMessage), /^Syntax error in module 'syntax': /);
    assert.match(
      (body.stackTrace as string[])[0]!,
      /syntax\.py" Line 1\n {4}def handler\(event, context\)/,
    );
  });

  it('an exception raised while the module loads: its own type, as an init error', async () => {
    const { body } = await invoke('raises-at-import');
    assert.equal(body.errorType, 'RuntimeError');
    assert.equal(body.errorMessage, 'cannot start');
  });
});

describe('Python logs (https://docs.aws.amazon.com/lambda/latest/dg/python-logging.html)', () => {
  it('print() and logging lines reach the log with the request id, between START and END', async () => {
    const { body, result } = await invoke('dispatch', { action: 'print', lines: 2000 }, 'log-1');
    assert.deepEqual(body, { printed: 2000 });
    const lines = records.filter((r) => r.requestId === 'log-1').map((r) => r.msg);
    assert.equal(lines[0], 'START RequestId: log-1 Version: $LATEST');
    assert.equal(lines.filter((l) => l.startsWith('line ')).length, 2000);
    assert.ok(
      lines.some((l) =>
        /^\[INFO\]\t\d{4}-\d\d-\d\dT[\d:.]+Z\tlog-1\tlogged with the request id$/.test(l),
      ),
    );
    assert.match(lines.at(-1)!, /^REPORT RequestId: log-1\t/);
    assert.match(result.logTail!, /REPORT RequestId: log-1/);
  });
});

describe('other process runtimes', () => {
  it('Node.js with Isolation: process runs the same handler behind the Runtime API', async () => {
    const { body, result } = await invoke('node-process', { x: 1 });
    assert.equal(result.functionError, undefined);
    assert.deepEqual(body, { echo: { x: 1 }, invocations: 1 });
  });

  it('provided.al2023 runs Code/bootstrap (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-custom.html)', async () => {
    const { body } = await invoke('provided', { path: '/hello' });
    assert.equal(body.statusCode, 200);
    assert.equal(body.body, '{"message":"Hello from a custom runtime!"}');
  });

  it('an unknown function: ResourceNotFoundException', async () => {
    await assert.rejects(
      invoker.invoke({ functionName: 'nope', event: {} }),
      /Function not found: nope/,
    );
  });
});
