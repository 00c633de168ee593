// responses.ts: every answer the gateway gives on its own behalf, AWS's defaults or the API's.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AccessDeniedError,
  AuthorizerConfigurationError,
  BadGatewayError,
  MissingAuthenticationTokenError,
  UnauthorizedError,
} from '../../src/gateway/errors.js';
import {
  GatewayResponses,
  renderGatewayError,
  renderInternalError,
} from '../../src/gateway/responses.js';
import { method, snapshot, stageOf } from './fixtures.js';

const ctx = { requestId: 'req-1', stage: 'prod', apiId: 'abcdef1234', stageVariables: { v: 'x' } };

test('defaults: AWS status, x-amzn-ErrorType and {"message": …}', () => {
  const r = new GatewayResponses().render(new MissingAuthenticationTokenError(), ctx);
  assert.deepEqual(r, {
    statusCode: 403,
    headers: {
      'Content-Type': 'application/json',
      'x-amzn-RequestId': 'req-1',
      'x-amzn-ErrorType': 'MissingAuthenticationTokenException',
    },
    body: '{"message":"Missing Authentication Token"}',
  });
});

test('an explicit deny answers with a capitalised Message key, as AWS does', () => {
  const r = new GatewayResponses().render(new AccessDeniedError(true), ctx);
  assert.equal(
    r.body,
    '{"Message":"User is not authorized to access this resource with an explicit deny"}',
  );
  assert.equal(r.statusCode, 403);
});

test('a configuration error renders message null', () => {
  const r = new GatewayResponses().render(new AuthorizerConfigurationError('why'), ctx);
  assert.deepEqual([r.statusCode, r.body], [500, '{"message":null}']);
});

test('a Lambda proxy failure is 502 through DEFAULT_5XX', () => {
  const r = new GatewayResponses().render(new BadGatewayError('bad'), ctx);
  assert.deepEqual(
    [r.statusCode, r.headers['x-amzn-ErrorType'], r.body],
    [502, 'InternalServerErrorException', '{"message":"Internal server error"}'],
  );
});

test("an API's override sets status, headers and template; others fall back to DEFAULT_4XX", () => {
  const responses = new GatewayResponses({
    UNAUTHORIZED: {
      responseType: 'UNAUTHORIZED',
      statusCode: '418',
      responseParameters: {
        'gatewayresponse.header.X-Stage': 'stageVariables.v',
        'gatewayresponse.header.X-Fixed': "'yes'",
      },
      responseTemplates: {
        'application/json': '{"m":$context.error.messageString,"t":"$context.error.responseType"}',
      },
    },
    DEFAULT_4XX: {
      responseType: 'DEFAULT_4XX',
      responseTemplates: { 'application/json': '{"four":true}' },
    },
  });
  const r = responses.render(new UnauthorizedError(), ctx);
  assert.equal(r.statusCode, 418);
  assert.equal(r.headers['X-Stage'], 'x');
  assert.equal(r.headers['X-Fixed'], 'yes');
  assert.equal(r.body, '{"m":"Unauthorized","t":"UNAUTHORIZED"}');
  const fallback = responses.render(new MissingAuthenticationTokenError(), ctx);
  assert.deepEqual([fallback.statusCode, fallback.body], [403, '{"four":true}']);
});

test('renderGatewayError uses the stage overrides, or the defaults when no stage was found', () => {
  const stage = stageOf(
    snapshot({ '/x': [method()] }, [], {
      UNAUTHORIZED: { responseType: 'UNAUTHORIZED', statusCode: '499' },
    }),
  );
  assert.equal(renderGatewayError(new UnauthorizedError(), stage, 'r').statusCode, 499);
  assert.equal(renderGatewayError(new UnauthorizedError(), undefined, 'r').statusCode, 401);
});

test('the last resort is AWS default 500, never a stack trace', () => {
  const r = renderInternalError('req-9');
  assert.deepEqual(r, {
    statusCode: 500,
    headers: {
      'Content-Type': 'application/json',
      'x-amzn-RequestId': 'req-9',
      'x-amzn-ErrorType': 'InternalServerErrorException',
    },
    body: '{"message":"Internal server error"}',
  });
});

test('every gateway error carries its own stable code', () => {
  assert.equal(new UnauthorizedError().code, 'ERR_UNAUTHORIZED');
  assert.equal(new AccessDeniedError(false).code, 'ERR_ACCESS_DENIED');
  assert.equal(new BadGatewayError('x').name, 'BadGatewayError');
});
