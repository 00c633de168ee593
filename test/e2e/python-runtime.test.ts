// Python functions through the real CLI and real HTTP: the walkthrough in Python, and Python
// handlers that fail in every way Lambda knows, each answered as AWS answers while the gateway
// keeps serving. https://docs.aws.amazon.com/lambda/latest/dg/lambda-python.html
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, eventually, run, serve, type Served } from './harness.js';

describe('examples/sayhello-python (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html)', () => {
  let s: Served;
  before(async () => {
    s = await serve(['--config', 'examples/sayhello-python', '--log-level', 'debug']);
  });
  after(async () => {
    assert.equal(await s.stop(), 0, 'stops cleanly on SIGTERM');
  });

  it('without the jwt_token header: 401 {"message":"Unauthorized"}', async () => {
    const r = await call(`${s.base}/dev/sayhello`);
    assert.equal(r.status, 401);
    assert.equal(r.body, '{"message":"Unauthorized"}');
    assert.equal(r.headers['x-amzn-errortype'], 'UnauthorizedException');
  });

  it('jwt_token: allow — the Python AuthPolicy allows, the Python function answers 200', async () => {
    const r = await call(`${s.base}/dev/sayhello`, { headers: { jwt_token: 'allow' } });
    assert.equal(r.status, 200);
    assert.equal(r.body, '{"message":"Hello from Lambda!","principalId":"user|allow"}');
    assert.equal(r.headers['content-type'], 'application/json');
  });

  it('jwt_token: deny — explicit deny, 403', async () => {
    const r = await call(`${s.base}/dev/sayhello`, { headers: { jwt_token: 'deny' } });
    assert.equal(r.status, 403);
    assert.equal(
      r.body,
      '{"Message":"User is not authorized to access this resource with an explicit deny"}',
    );
    assert.equal(r.headers['x-amzn-errortype'], 'AccessDeniedException');
  });

  it('jwt_token: unauthorized — raise Exception("Unauthorized") → 401', async () => {
    const r = await call(`${s.base}/dev/sayhello`, { headers: { jwt_token: 'unauthorized' } });
    assert.equal(r.status, 401);
    assert.equal(r.body, '{"message":"Unauthorized"}');
  });

  it('the Python function’s log lines carry the request id', async () => {
    const r = await call(`${s.base}/dev/sayhello`, { headers: { jwt_token: 'allow' } });
    const id = String(r.headers['x-amzn-requestid']);
    // The log is written asynchronously: poll for it.
    await eventually(() =>
      s.output().includes(`"requestId":"${id}","msg":"REPORT RequestId: ${id}`),
    );
  });
});

describe('misbehaving Python functions: 502 {"message":"Internal server error"}, and the gateway keeps serving', () => {
  let s: Served;
  before(async () => {
    s = await serve(['--config', 'test/fixtures/e2e-python']);
  });
  after(async () => {
    assert.equal(await s.stop(), 0);
  });
  const url = (path: string) => `${s.base}/test/misbehave/${path}`;

  // Each failure as the function's log shows it on Lambda.
  for (const [mode, errorType, logged] of [
    ['raise', 'ValidationError', '[ERROR] ValidationError: bad input'],
    ['sleep', 'Sandbox.Timedout', 'Task timed out after 1.00 seconds'],
    ['exit', 'Runtime.ExitError', 'Runtime exited with error: exit status 3'],
    ['set', 'Runtime.MarshalError', '[ERROR] Runtime.MarshalError: Unable to marshal response'],
  ] as const) {
    it(`${mode}: ${errorType} → 502, and the next call is served`, async () => {
      // Only 'sleep' waits for its Timeout, so only it goes to the 1 s copy.
      const r = await call(mode === 'sleep' ? `${s.base}/test/short-timeout/sleep` : url(mode));
      assert.equal(r.status, 502);
      assert.equal(r.body, '{"message":"Internal server error"}');
      assert.equal(r.headers['x-amzn-errortype'], 'InternalServerErrorException');
      const id = String(r.headers['x-amzn-requestid']);
      await eventually(() =>
        s
          .output()
          .split('\n')
          .some((l) => l.includes(`"requestId":"${id}"`) && l.includes(logged)),
      );
      const next = await call(url('fine'));
      assert.equal(next.status, 200);
      assert.equal(next.body, '{"ok": true}');
    });
  }

  it('a function that prints a lot still answers 200, every line logged', async () => {
    const r = await call(url('print'));
    assert.equal(r.status, 200);
    assert.equal(r.body, '{"printed": 5000}');
    const id = String(r.headers['x-amzn-requestid']);
    const count = () =>
      s
        .output()
        .split('\n')
        .filter((l) => l.includes(`"requestId":"${id}","msg":"line `)).length;
    await eventually(() => count() === 5000);
  });

  it('concurrent calls use several warm processes and never mix responses', async () => {
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => call(url(`slow?id=${i}`))),
    );
    const bodies = answers.map((a) => a.json() as { id: string; pid: number });
    assert.deepEqual(
      bodies.map((b) => b.id),
      ['0', '1', '2', '3', '4', '5', '6', '7'],
    );
    assert.ok(new Set(bodies.map((b) => b.pid)).size > 1, 'more than one process');
  });
});

describe('`sallyport invoke` with a Python function', () => {
  it('prints the payload; a function error sets X-Amz-Function-Error and exit code 1', async () => {
    const ok = await run([
      'invoke',
      'dispatch',
      '--config',
      'test/fixtures/e2e-python',
      '--payload',
      '{"action":"ok","n":7}',
    ]);
    assert.equal(ok.code, 0);
    assert.equal(ok.stdout, '{"ok": true, "n": 7}\n');
    const failed = await run([
      'invoke',
      'dispatch',
      '--config',
      'test/fixtures/e2e-python',
      '--payload',
      '{"action":"unauthorized"}',
    ]);
    assert.equal(failed.code, 1);
    const body = JSON.parse(failed.stdout) as Record<string, unknown>;
    assert.equal(body.errorMessage, 'Unauthorized');
    assert.equal(body.errorType, 'Exception');
    assert.match(failed.stderr, /X-Amz-Function-Error: Unhandled/);
  });
});
