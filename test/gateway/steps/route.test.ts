// steps/route.ts: resource + method, or AWS's 403 Missing Authentication Token.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-troubleshooting-errors.html
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MissingAuthenticationTokenError } from '../../../src/gateway/errors.js';
import { route } from '../../../src/gateway/steps/route.js';
import { gatewayRequest, method, snapshot, stageOf } from '../fixtures.js';

const stage = stageOf(
  snapshot({
    '/pets/{id}': [method(), method({ httpMethod: 'DELETE' })],
    '/any': [method({ httpMethod: 'ANY' })],
  }),
);

test('the matched method and its path parameters start the exchange', () => {
  const exchange = route(gatewayRequest({ url: '/pets/42' }), stage);
  assert.equal(exchange.method.resourcePath, '/pets/{id}');
  assert.equal(exchange.method.httpMethod, 'GET');
  assert.equal(exchange.pathParameters?.id, '42');
  assert.equal(exchange.authorizer, undefined);
  assert.equal(exchange.caller, undefined);
});

test('an ANY method answers every HTTP method its resource does not define', () => {
  const exchange = route(gatewayRequest({ method: 'PATCH', url: '/any' }), stage);
  assert.equal(exchange.method.httpMethod, 'ANY');
});

test('an unknown path or an undefined method is 403 Missing Authentication Token', () => {
  for (const request of [
    gatewayRequest({ url: '/nothing' }),
    gatewayRequest({ method: 'POST', url: '/pets/1' }),
  ])
    assert.throws(() => route(request, stage), MissingAuthenticationTokenError);
});

test('a path parameter value __proto__ is a plain value', () => {
  const params = route(gatewayRequest({ url: '/pets/__proto__' }), stage).pathParameters!;
  assert.ok(Object.hasOwn(params, 'id'));
  assert.equal(params.id, '__proto__');
});

test('another path can be routed for the same request (TestInvokeMethod falls back to it)', () => {
  const exchange = route(gatewayRequest({ url: '/elsewhere' }), stage, '/pets/9');
  assert.equal(exchange.pathParameters?.id, '9');
});
