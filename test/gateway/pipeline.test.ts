// pipeline.ts: route → authorize → integrate, each step able to end the request.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AccessDeniedError,
  MissingAuthenticationTokenError,
  UnauthorizedError,
} from '../../src/gateway/errors.js';
import { createPipeline } from '../../src/gateway/pipeline.js';
import {
  authorizeDeps,
  gatewayRequest,
  method,
  proxyTo,
  ScriptedInvoker,
  snapshot,
  stageOf,
  tokenAuthorizer,
} from './fixtures.js';

function setup(authorizerPayload = '{}') {
  const invoker = new ScriptedInvoker(({ functionName }) =>
    functionName === 'auth'
      ? { requestId: 'a', payload: authorizerPayload }
      : { requestId: 'f', payload: '{"statusCode":201,"body":"made"}' },
  );
  const api = snapshot(
    {
      '/open': [method({ methodIntegration: proxyTo('fn') })],
      '/guarded': [
        method({
          authorizationType: 'CUSTOM',
          authorizerId: 'auth01',
          methodIntegration: proxyTo('fn'),
        }),
      ],
      '/signed': [method({ authorizationType: 'AWS_IAM', methodIntegration: proxyTo('fn') })],
    },
    [tokenAuthorizer()],
  );
  const pipeline = createPipeline(authorizeDeps(invoker));
  return { invoker, pipeline, stage: stageOf(api, invoker) };
}

const allow = (effect: string) =>
  JSON.stringify({
    principalId: 'p',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: '*' }],
    },
  });

test('a method without authorization goes straight to its integration', async () => {
  const { pipeline, stage, invoker } = setup();
  const answer = await pipeline(gatewayRequest({ url: '/open' }), stage);
  assert.equal(answer.statusCode, 201);
  assert.equal(answer.body, 'made');
  assert.deepEqual(
    invoker.calls.map((c) => c.functionName),
    ['fn'],
  );
});

test('routing ends an unknown path before anything is invoked', async () => {
  const { pipeline, stage, invoker } = setup();
  await assert.rejects(
    pipeline(gatewayRequest({ url: '/nowhere' }), stage),
    MissingAuthenticationTokenError,
  );
  assert.equal(invoker.calls.length, 0);
});

test('authorization runs before the integration, and a refusal ends the request there', async () => {
  const denied = setup(allow('Deny'));
  const request = gatewayRequest({ url: '/guarded', headers: [['Authorization', 't']] });
  await assert.rejects(denied.pipeline(request, denied.stage), AccessDeniedError);
  assert.deepEqual(
    denied.invoker.calls.map((c) => c.functionName),
    ['auth'],
  );

  const allowed = setup(allow('Allow'));
  const answer = await allowed.pipeline(request, allowed.stage);
  assert.equal(answer.statusCode, 201);
  assert.deepEqual(
    allowed.invoker.calls.map((c) => c.functionName),
    ['auth', 'fn'],
  );
  const event = allowed.invoker.calls[1]!.event as {
    requestContext: { authorizer: { principalId: string } };
  };
  assert.equal(event.requestContext.authorizer.principalId, 'p');
});

test('an AWS_IAM method refuses an unsigned request before its integration', async () => {
  const { pipeline, stage, invoker } = setup();
  await assert.rejects(
    pipeline(gatewayRequest({ url: '/signed' }), stage),
    (e: unknown) =>
      e instanceof Error &&
      (e as { responseType?: string }).responseType === 'MISSING_AUTHENTICATION_TOKEN',
  );
  assert.equal(invoker.calls.length, 0);
  await assert.rejects(pipeline(gatewayRequest({ url: '/guarded' }), stage), UnauthorizedError);
});
