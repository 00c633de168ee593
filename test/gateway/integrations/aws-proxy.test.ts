// integrations/aws-proxy.ts: the Lambda proxy integration, against a scripted invoker.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-output-format
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InvokeResult } from '../../../src/functions/invoker.js';
import { BadGatewayError, IntegrationTimeoutError } from '../../../src/gateway/errors.js';
import { awsProxyIntegration } from '../../../src/gateway/integrations/aws-proxy.js';
import { NOT_ENFORCED } from '../../../src/gateway/invoke-permissions.js';
import { exchangeFor, method, ScriptedInvoker, snapshot, stageOf } from '../fixtures.js';

const stage = stageOf(snapshot({ '/items/{id}': [method({ httpMethod: 'POST' })] }));
const exchange = () =>
  exchangeFor(stage, {
    method: 'POST',
    url: '/items/7?q=1',
    headers: [['Content-Type', 'text/plain']],
    body: 'hi',
  });

function integration(answer: () => Promise<InvokeResult> | InvokeResult, timeout?: number) {
  const invoker = new ScriptedInvoker(answer);
  return { invoker, run: awsProxyIntegration(invoker, 'fn', timeout, NOT_ENFORCED) };
}

const payload = (value: unknown) => ({ requestId: 'r', payload: JSON.stringify(value) });

test('the function gets the 1.0 proxy event with this request id, and its answer is sent', async () => {
  const { invoker, run } = integration(() =>
    payload({
      statusCode: 201,
      headers: { 'X-One': 'a' },
      multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] },
      body: 'made',
    }),
  );
  const answer = await run(exchange());
  assert.deepEqual(answer, {
    statusCode: 201,
    headers: [
      ['Set-Cookie', 'a=1'],
      ['Set-Cookie', 'b=2'],
      ['X-One', 'a'],
    ],
    body: 'made',
    // API Gateway answers with the trace it called the function under.
    traceRoot: 'Root=1-6553f100-000000000000000000000000',
  });
  const call = invoker.calls[0]!;
  assert.match(call.traceId ?? '', /^Root=1-6553f100-0{24};Parent=[0-9a-f]{16};Sampled=0$/);
  assert.equal(call.functionName, 'fn');
  assert.equal(call.requestId, '00000000-0000-4000-8000-000000000000');
  const event = call.event as Record<string, unknown>;
  assert.equal(event.resource, '/items/{id}');
  assert.equal(event.path, '/items/7');
  assert.equal(event.httpMethod, 'POST');
  assert.deepEqual({ ...(event.pathParameters as object) }, { id: '7' });
  assert.equal(event.body, 'hi');
});

test('a function error, a non-object answer and an unknown key are 502 Internal server error', async () => {
  const answers: (() => InvokeResult)[] = [
    () => ({ requestId: 'r', payload: '{}', functionError: 'Unhandled', errorType: 'Error' }),
    () => ({ requestId: 'r', payload: '[1]' }),
    () => ({ requestId: 'r', payload: 'not json' }),
    () => payload({ statusCode: 200, extra: true }),
    () => payload({ statusCode: 'abc' }),
    () => payload({ body: 5 }),
  ];
  for (const answer of answers) {
    const error = await integration(answer)
      .run(exchange())
      .catch((e: unknown) => e);
    assert.ok(error instanceof BadGatewayError, String(error));
    assert.equal(error.statusOverride, 502);
    assert.equal(error.messageString, 'Internal server error');
  }
});

test('an integration timeout shorter than the function timeout is 504 INTEGRATION_TIMEOUT', async () => {
  const never = () => new Promise<InvokeResult>(() => {});
  await assert.rejects(integration(never, 1).run(exchange()), IntegrationTimeoutError);
});

test('an invoker failure is a 502, not a crash', async () => {
  const { run } = integration(() => Promise.reject(new Error('pool gone')));
  await assert.rejects(run(exchange()), BadGatewayError);
});
