// steps/authorize-lambda.ts: the Lambda (CUSTOM) authorizer, as API Gateway runs it.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
import assert from 'node:assert/strict';
import { collectingTrace } from '../../../src/gateway/execution-trace.js';
import { test } from 'node:test';
import type { InvokeRequest } from '../../../src/functions/invoker.js';
import type { CompiledAuthorizer, CompiledStage } from '../../../src/gateway/compiled-api.js';
import {
  AccessDeniedError,
  AuthorizerConfigurationError,
  UnauthorizedError,
} from '../../../src/gateway/errors.js';
import {
  createAuthorizeLambdaStep,
  createLambdaAuthorizerRunner,
} from '../../../src/gateway/steps/authorize-lambda.js';
import {
  authorizeDeps,
  exchangeFor,
  method,
  ScriptedInvoker,
  snapshot,
  stageOf,
  tokenAuthorizer,
} from '../fixtures.js';

const ARN = 'arn:aws:execute-api:us-east-1:123456789012:abcdef1234/prod';

function policy(effect: string, resource: string, principalId = 'user-1') {
  return JSON.stringify({
    principalId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }],
    },
    context: { tier: 'gold' },
  });
}

function setup(answer: (request: InvokeRequest) => string | { error: string }, ttl = 300) {
  const invoker = new ScriptedInvoker((request) => {
    const out = answer(request);
    return typeof out === 'string'
      ? { requestId: 'a', payload: out }
      : {
          requestId: 'a',
          payload: JSON.stringify({ errorMessage: out.error }),
          functionError: 'Unhandled',
          errorType: 'Error',
          errorMessage: out.error,
        };
  });
  const stage = stageOf(
    snapshot({ '/admin': [method({ authorizationType: 'CUSTOM', authorizerId: 'auth01' })] }, [
      tokenAuthorizer({ authorizerResultTtlInSeconds: ttl }),
    ]),
    invoker,
  );
  const deps = authorizeDeps(invoker);
  return {
    invoker,
    stage,
    step: createAuthorizeLambdaStep(deps),
    run: createLambdaAuthorizerRunner(deps),
  };
}

const authorizerOf = (stage: CompiledStage): CompiledAuthorizer => {
  const a = stage.router.match('/admin')!.target.methods.get('GET')!.authorization;
  assert.equal(a.kind, 'lambda');
  return (a as { authorizer: CompiledAuthorizer }).authorizer;
};

const withToken = (token: string, url = '/admin') => ({
  url,
  headers: [['Authorization', token]] as [string, string][],
});

test('an Allow fills exchange.authorizer with principalId and context', async () => {
  const { stage, step } = setup(() => policy('Allow', `${ARN}/GET/admin`));
  const exchange = exchangeFor(stage, withToken('good'));
  await step(exchange, authorizerOf(stage));
  assert.deepEqual(
    { ...exchange.authorizer, context: { ...exchange.authorizer!.context } },
    { principalId: 'user-1', context: { tier: 'gold' }, integrationLatency: 0 },
  );
});

test('the method ARN names the matched resource: /admin/ is …/GET/admin, no trailing slash', async () => {
  // A Deny on …/GET/admin cannot be stepped around with a trailing slash.
  const { stage, step, invoker } = setup(() => policy('Deny', `${ARN}/GET/admin`));
  const exchange = exchangeFor(stage, withToken('t', '/admin/'));
  await assert.rejects(step(exchange, authorizerOf(stage)), AccessDeniedError);
  const event = invoker.calls[0]!.event as { methodArn: string; type: string };
  assert.equal(event.methodArn, `${ARN}/GET/admin`);
  assert.equal(event.type, 'TOKEN');
});

test('an explicit Deny and a policy that allows nothing else are both 403 ACCESS_DENIED', async () => {
  const { stage, step } = setup(() => policy('Allow', `${ARN}/GET/other`));
  const error = await step(exchangeFor(stage, withToken('t')), authorizerOf(stage)).catch(
    (e: unknown) => e,
  );
  assert.ok(error instanceof AccessDeniedError);
  assert.equal(error.messageString, 'User is not authorized to access this resource');
});

test('a missing identity source is 401 without invoking the function', async () => {
  const { stage, step, invoker } = setup(() => policy('Allow', '*'));
  await assert.rejects(
    step(exchangeFor(stage, { url: '/admin' }), authorizerOf(stage)),
    UnauthorizedError,
  );
  assert.equal(invoker.calls.length, 0);
});

test('a function failing with "Unauthorized" is 401; any other failure is a 500 configuration error', async () => {
  const unauthorized = setup(() => ({ error: 'Unauthorized' }));
  await assert.rejects(
    unauthorized.step(
      exchangeFor(unauthorized.stage, withToken('t')),
      authorizerOf(unauthorized.stage),
    ),
    UnauthorizedError,
  );
  const broken = setup(() => ({ error: 'boom' }));
  await assert.rejects(
    broken.step(exchangeFor(broken.stage, withToken('t')), authorizerOf(broken.stage)),
    AuthorizerConfigurationError,
  );
  const garbage = setup(() => 'not json');
  await assert.rejects(
    garbage.step(exchangeFor(garbage.stage, withToken('t')), authorizerOf(garbage.stage)),
    AuthorizerConfigurationError,
  );
});

test('a cached policy is evaluated against each new method ARN, without invoking again', async () => {
  const { stage, step, invoker } = setup(() => policy('Allow', `${ARN}/GET/admin`));
  await step(exchangeFor(stage, withToken('same')), authorizerOf(stage));
  await step(exchangeFor(stage, withToken('same')), authorizerOf(stage));
  assert.equal(invoker.calls.length, 1);
});

test('TTL 0 invokes every time', async () => {
  const { stage, step, invoker } = setup(() => policy('Allow', '*'), 0);
  await step(exchangeFor(stage, withToken('same')), authorizerOf(stage));
  await step(exchangeFor(stage, withToken('same')), authorizerOf(stage));
  assert.equal(invoker.calls.length, 2);
});

test('the runner answers before the policy is evaluated, and traces what it did', async () => {
  const { stage, run } = setup(() => policy('Deny', '*', 'user-deny'), 0);
  const seen: string[] = [];
  const exchange = exchangeFor(stage, withToken('token-0123456789'));
  exchange.request.executionLog = collectingTrace((line) => seen.push(line));
  const { result } = await run(exchange, authorizerOf(stage), `${ARN}/GET/`);
  assert.equal(result.principalId, 'user-deny');
  // The execution log's authorizer lines, in the order recorded TestInvokeAuthorizer logs show.
  assert.deepEqual(
    seen.map((line) => line.split(':')[0]),
    [
      'Starting authorizer',
      'Incoming identity',
      'Endpoint request URI',
      'Endpoint request headers',
      'Endpoint request body after transformations',
      'Sending request to https',
      'Authorizer result body before parsing',
      'Using valid authorizer policy for principal',
      'Successfully completed authorizer execution',
    ],
  );
  assert.ok(!seen.join('\n').includes('token-0123456789'), 'the token is never written whole');
});
