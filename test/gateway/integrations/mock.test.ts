// integrations/mock.ts: API Gateway answers by itself.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-mock-integration.html
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiConfigurationError } from '../../../src/gateway/errors.js';
import { mockIntegration } from '../../../src/gateway/integrations/mock.js';
import type { Integration } from '../../../src/model/types.js';
import { exchangeFor, method, snapshot, stageOf } from '../fixtures.js';

const stage = stageOf(snapshot({ '/m': [method()] }));

const mock = (requestTemplate: string): Integration => ({
  type: 'MOCK',
  requestTemplates: { 'application/json': requestTemplate },
  integrationResponses: {
    '200': {
      statusCode: '200',
      responseTemplates: { 'application/json': '{"ok":true}' },
      responseParameters: { 'method.response.header.X-Mode': "'mocked'" },
    },
    '404': {
      statusCode: '404',
      selectionPattern: '404',
      responseTemplates: { 'application/json': '{"where":"$context.stage"}' },
    },
  },
  timeoutInMillis: 29_000,
});

test('a constant template selects the default response, its template and headers', async () => {
  const answer = await mockIntegration(mock('{"statusCode": 200}'))(
    exchangeFor(stage, { url: '/m' }),
  );
  assert.deepEqual(answer, {
    statusCode: 200,
    headers: [
      ['Content-Type', 'application/json'],
      ['X-Mode', 'mocked'],
    ],
    body: '{"ok":true}',
  });
});

test('the status the template renders selects the response whose selectionPattern matches', async () => {
  const run = mockIntegration(
    mock('#if($input.params("v") == "missing"){"statusCode": 404}#else{"statusCode": 200}#end'),
  );
  const missing = await run(exchangeFor(stage, { url: '/m?v=missing' }));
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.body, '{"where":"prod"}');
  assert.equal((await run(exchangeFor(stage, { url: '/m?v=here' }))).statusCode, 200);
});

test('a template that renders no JSON, or a status nothing selects, is API_CONFIGURATION_ERROR', async () => {
  await assert.rejects(
    mockIntegration(mock('$input.params("v")'))(exchangeFor(stage, { url: '/m?v=x' })),
    ApiConfigurationError,
  );
  const noFallback = mock('{"statusCode": 500}');
  delete noFallback.integrationResponses!['200'];
  await assert.rejects(
    mockIntegration(noFallback)(exchangeFor(stage, { url: '/m' })),
    ApiConfigurationError,
  );
});
