// The Runtime API spoken by hand, every header and status code checked against AWS's reference.
// https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { RuntimeApiClient, parseAnswer } from '../../../src/functions/node/runtime-api-client.js';
import {
  RuntimeApiServer,
  type RuntimeInvocation,
} from '../../../src/functions/runtime-api/runtime-api-server.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function http(
  api: RuntimeApiServer,
  method: string,
  path: string,
  body?: string | Buffer,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(`http://${api.address}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode!,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

const NEXT = '/2018-06-01/runtime/invocation/next';
const INIT_ERROR = '/2018-06-01/runtime/init/error';
const result = (id: string, kind: 'response' | 'error') =>
  `/2018-06-01/runtime/invocation/${id}/${kind}`;

const invocation = (
  requestId: string,
  extra: Partial<RuntimeInvocation> = {},
): RuntimeInvocation => ({
  requestId,
  event: '{"hello":"world"}',
  timeoutMs: 3000,
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:fn',
  traceId: 'Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1',
  ...extra,
});

describe('Runtime API (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html)', () => {
  let api: RuntimeApiServer;
  beforeEach(async () => {
    api = await RuntimeApiServer.listen();
  });
  afterEach(() => api.close());

  it('listens on loopback: AWS_LAMBDA_RUNTIME_API is host:port', () => {
    assert.match(api.address, /^127\.0\.0\.1:\d+$/);
  });

  it('GET invocation/next long-polls, then answers 200 with the event and the documented headers', async () => {
    const next = http(api, 'GET', NEXT);
    const before = Date.now();
    const outcome = api.invoke(
      invocation('8476a536-e9f4-11e8-9739-2dfe598c3fcd', {
        clientContext: '{"custom":{"a":"b"}}',
        cognitoIdentity: '{"cognitoIdentityId":"id","cognitoIdentityPoolId":"pool"}',
      }),
    );
    const reply = await next;
    assert.equal(reply.status, 200);
    assert.equal(reply.body, '{"hello":"world"}');
    assert.equal(reply.headers['content-type'], 'application/json');
    assert.equal(
      reply.headers['lambda-runtime-aws-request-id'],
      '8476a536-e9f4-11e8-9739-2dfe598c3fcd',
    );
    const deadline = Number(reply.headers['lambda-runtime-deadline-ms']);
    assert.ok(
      deadline >= before + 3000 && deadline <= Date.now() + 3000,
      'deadline: now + Timeout, epoch ms',
    );
    assert.equal(
      reply.headers['lambda-runtime-invoked-function-arn'],
      'arn:aws:lambda:us-east-1:123456789012:function:fn',
    );
    assert.equal(
      reply.headers['lambda-runtime-trace-id'],
      'Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1',
    );
    assert.equal(reply.headers['lambda-runtime-client-context'], '{"custom":{"a":"b"}}');
    assert.equal(
      reply.headers['lambda-runtime-cognito-identity'],
      '{"cognitoIdentityId":"id","cognitoIdentityPoolId":"pool"}',
    );

    const posted = await http(
      api,
      'POST',
      result('8476a536-e9f4-11e8-9739-2dfe598c3fcd', 'response'),
      'SUCCESS',
    );
    assert.equal(posted.status, 202);
    assert.equal(posted.body, '{"status":"OK"}');
    const done = await outcome;
    assert.equal(done.kind, 'response');
    assert.equal(done.kind === 'response' && done.payload.toString(), 'SUCCESS');
  });

  it('Client-Context and Cognito-Identity are absent when not set', async () => {
    void api.invoke(invocation('a'));
    const reply = await http(api, 'GET', NEXT);
    assert.equal(reply.headers['lambda-runtime-client-context'], undefined);
    assert.equal(reply.headers['lambda-runtime-cognito-identity'], undefined);
  });

  it('POST invocation/{id}/error: 202, the body and Lambda-Runtime-Function-Error-Type reach the caller', async () => {
    const outcome = api.invoke(invocation('r1'));
    await http(api, 'GET', NEXT);
    const body =
      '{"errorMessage":"Error parsing event data.","errorType":"InvalidEventDataException","stackTrace":[]}';
    const posted = await http(api, 'POST', result('r1', 'error'), body, {
      'Lambda-Runtime-Function-Error-Type': 'Unhandled',
    });
    assert.equal(posted.status, 202);
    assert.equal(posted.body, '{"status":"OK"}');
    const done = await outcome;
    assert.deepEqual(done.kind === 'error' ? [done.errorType, done.payload.toString()] : done, [
      'Unhandled',
      body,
    ]);
  });

  it('a response for another request id: 400 InvalidRequestID, and the invocation still waits for its own', async () => {
    const outcome = api.invoke(invocation('right'));
    await http(api, 'GET', NEXT);
    const wrong = await http(api, 'POST', result('wrong', 'response'), '1');
    assert.equal(wrong.status, 400);
    assert.deepEqual(JSON.parse(wrong.body), {
      errorMessage: 'Invalid request ID',
      errorType: 'InvalidRequestID',
    });
    assert.equal((await http(api, 'POST', result('right', 'response'), '2')).status, 202);
    const done = await outcome;
    assert.equal(done.kind === 'response' && done.payload.toString(), '2');
  });

  it('a second response for one invocation: 403 InvalidStateTransition', async () => {
    void api.invoke(invocation('once'));
    await http(api, 'GET', NEXT);
    assert.equal((await http(api, 'POST', result('once', 'response'), '1')).status, 202);
    const again = await http(api, 'POST', result('once', 'response'), '1');
    assert.equal(again.status, 403);
    assert.deepEqual(JSON.parse(again.body), {
      errorMessage:
        'State transition from RuntimeResponseSent to InvocationResponse failed for runtime. Error: State transition is not allowed',
      errorType: 'InvalidStateTransition',
    });
  });

  it('a response over 6 MB: 413 RequestEntityTooLarge; the caller gets Function.ResponseSizeTooLarge', async () => {
    // https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html (6 MB each way)
    const outcome = api.invoke(invocation('big'));
    await http(api, 'GET', NEXT);
    const reply = await http(api, 'POST', result('big', 'response'), Buffer.alloc(6291557, 0x61));
    assert.equal(reply.status, 413);
    assert.deepEqual(JSON.parse(reply.body), {
      errorMessage: 'Exceeded maximum allowed payload size (6291556 bytes).',
      errorType: 'RequestEntityTooLarge',
    });
    assert.deepEqual(await outcome, { kind: 'tooLarge' });
    // The runtime lives on: its next poll gets the next event.
    const next = http(api, 'GET', NEXT);
    void api.invoke(invocation('after'));
    assert.equal((await next).headers['lambda-runtime-aws-request-id'], 'after');
  });

  it('a response of exactly 6291556 bytes is accepted', async () => {
    const outcome = api.invoke(invocation('max'));
    await http(api, 'GET', NEXT);
    const reply = await http(api, 'POST', result('max', 'response'), Buffer.alloc(6291556, 0x61));
    assert.equal(reply.status, 202);
    const done = await outcome;
    assert.equal(done.kind === 'response' && done.payload.length, 6291556);
  });

  it('POST init/error before the first next: 202, and the pending invocation gets the error', async () => {
    const outcome = api.invoke(invocation('first'));
    const body =
      '{"errorMessage":"Failed to load function.","errorType":"InvalidFunctionException"}';
    const posted = await http(api, 'POST', INIT_ERROR, body, {
      'Lambda-Runtime-Function-Error-Type': 'Unhandled',
    });
    assert.equal(posted.status, 202);
    assert.equal(posted.body, '{"status":"OK"}');
    const done = await outcome;
    assert.deepEqual(done.kind === 'initError' ? [done.errorType, done.payload.toString()] : done, [
      'Unhandled',
      body,
    ]);
  });

  it('POST init/error after init (the first next): 403 InvalidStateTransition', async () => {
    void api.invoke(invocation('x'));
    await http(api, 'GET', NEXT);
    const late = await http(api, 'POST', INIT_ERROR, '{}');
    assert.equal(late.status, 403);
    assert.equal(
      (JSON.parse(late.body) as { errorType: string }).errorType,
      'InvalidStateTransition',
    );
  });

  it('next while an invocation is unanswered: 403 InvalidStateTransition', async () => {
    void api.invoke(invocation('busy'));
    await http(api, 'GET', NEXT);
    const again = await http(api, 'GET', NEXT);
    assert.equal(again.status, 403);
    assert.equal(
      (JSON.parse(again.body) as { errorMessage: string }).errorMessage,
      'State transition from Running to Ready failed for runtime. Error: State transition is not allowed',
    );
  });

  it('an unknown path: 404', async () => {
    assert.equal((await http(api, 'GET', '/2018-06-01/runtime/nothing')).status, 404);
  });

  it('a result and the next `next` in one write (pipelined): 202, then the next event, in order', async () => {
    const client = new RuntimeApiClient(api.address);
    void api.invoke(invocation('first'));
    const [first] = client.send(client.next());
    assert.equal((await first!).headers['lambda-runtime-aws-request-id'], 'first');
    const [accepted, following] = client.send(
      client.post('/invocation/first/response', '"one"'),
      client.next(),
    );
    assert.equal((await accepted!).status, 202);
    const second = api.invoke(invocation('second'));
    const next = await following!;
    assert.equal(next.status, 200);
    assert.equal(next.headers['lambda-runtime-aws-request-id'], 'second');
    assert.equal(next.body, '{"hello":"world"}');
    const [posted] = client.send(client.post('/invocation/second/error', '{"errorType":"E"}'));
    assert.equal((await posted!).status, 202);
    assert.equal((await second).kind, 'error');
  });
});

describe('the Node.js runtime reads the Runtime API answers by hand', () => {
  const answer = 'HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\n';
  it('Content-Length and chunked bodies; an answer cut short waits for the rest', () => {
    const sized = Buffer.from(`${answer}Content-Length: 15\r\n\r\n{"status":"OK"}`);
    assert.deepEqual(parseAnswer(sized)?.answer.body, '{"status":"OK"}');
    assert.equal(parseAnswer(sized)?.size, sized.length);
    assert.equal(parseAnswer(sized.subarray(0, sized.length - 1)), undefined);
    const chunked = Buffer.from(
      `${answer}Transfer-Encoding: chunked\r\n\r\n3\r\n{"s\r\nc\r\ntatus":"OK"}\r\n0\r\n\r\nHTTP/1.1`,
    );
    const parsed = parseAnswer(chunked)!;
    assert.equal(parsed.answer.status, 202);
    assert.equal(parsed.answer.headers['content-type'], 'application/json');
    assert.equal(parsed.answer.body, '{"status":"OK"}');
    assert.equal(chunked.subarray(parsed.size).toString(), 'HTTP/1.1');
    assert.equal(parseAnswer(chunked.subarray(0, 70)), undefined);
  });
});
