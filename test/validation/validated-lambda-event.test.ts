// A validated body is parsed once: a request template's `$input` reads the value validation read.
// These pin that the event is still exactly what AWS hands the function — the request's JSON
// (`{}` for an empty body), a template's output when a template applies, the converted payload
// under contentHandling — and that refusals are unchanged.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/integration-passthrough-behaviors.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequestBodyError } from '../../src/gateway/errors.js';
import { lambdaInvocationUri } from '../../src/model/arn.js';
import { DEFAULT_SETTINGS, type Integration, type Model } from '../../src/model/types.js';
import { ScriptedInvoker, exchangeFor, method, snapshot, stageOf } from '../gateway/fixtures.js';
import { parsesOf } from '../support/count-parses.js';

const PET: Model = {
  id: 'pet001',
  name: 'Pet',
  contentType: 'application/json',
  schema: JSON.stringify({
    type: 'object',
    required: ['name'],
    properties: { name: { type: 'string' }, tags: { type: 'array' } },
  }),
};

const lambda = (overrides: Partial<Integration> = {}): Integration => ({
  type: 'AWS',
  httpMethod: 'POST',
  uri: lambdaInvocationUri(DEFAULT_SETTINGS, 'fn'),
  timeoutInMillis: 29_000,
  integrationResponses: { '200': { statusCode: '200' } },
  ...overrides,
});

/**
 * POST /pets validated against `model` (Pet; body only), integrated with `integration`; no
 * Content-Type header when `contentType` is null.
 */
async function send(
  integration: Integration,
  body: string,
  {
    contentType = 'application/json',
    model = PET,
  }: { contentType?: string | null; model?: Model } = {},
) {
  const invoker = new ScriptedInvoker(() => ({ requestId: 'r', payload: '"ok"' }));
  const api = snapshot({
    '/pets': [
      method({
        httpMethod: 'POST',
        requestValidatorId: 'body',
        requestModels: { 'application/json': 'Pet' },
        methodIntegration: integration,
      }),
    ],
  });
  api.models = [model];
  api.requestValidators = [
    { id: 'body', validateRequestBody: true, validateRequestParameters: false },
  ];
  const stage = stageOf(api, invoker);
  const exchange = exchangeFor(stage, {
    method: 'POST',
    url: '/pets',
    headers: contentType === null ? [] : [['Content-Type', contentType]],
    body,
  });
  exchange.method.validateRequest?.(exchange);
  await exchange.method.integrate(exchange);
  assert.equal(invoker.calls.length, 1);
  return invoker.calls[0]!.event;
}

describe('a validated body passed through to a Lambda custom integration', () => {
  it('is the event, value for value', async () => {
    const body = '{"name":"Rex","tags":[1,{"a":null}],"x":"\\u00e9"}';
    assert.deepEqual(await send(lambda(), body), JSON.parse(body));
  });

  it('an empty body is validated as {} and the event is {}', async () => {
    const empty: Model = { ...PET, schema: '{"type":"object"}' };
    assert.deepEqual(await send(lambda(), '', { contentType: null, model: empty }), {});
  });

  it('a request template shapes the event, reading the validated body: one parse', async () => {
    const body = '{"name": "Rex", "tags": [1]}';
    const template = '{"wrapped": $input.json(\'$.name\'), "tags": $input.path(\'$.tags\').size()}';
    const { result, parses } = await parsesOf(body, () =>
      send(lambda({ requestTemplates: { 'application/json': template } }), body),
    );
    assert.deepEqual(result, { wrapped: 'Rex', tags: 1 });
    assert.equal(parses, 1);
  });

  it('CONVERT_TO_BINARY decodes the payload first: the event is what the decoding gives', async () => {
    const inner = Buffer.from('{"decoded":true}').toString('base64');
    const invoker = new ScriptedInvoker(() => ({ requestId: 'r', payload: '"ok"' }));
    const api = snapshot({
      '/pets': [
        method({
          httpMethod: 'POST',
          requestValidatorId: 'body',
          requestModels: { 'application/json': 'Pet' },
          methodIntegration: lambda({ contentHandling: 'CONVERT_TO_BINARY' }),
        }),
      ],
    });
    api.models = [{ ...PET, schema: '{"type":"string"}' }];
    api.requestValidators = [
      { id: 'body', validateRequestBody: true, validateRequestParameters: false },
    ];
    const exchange = exchangeFor(stageOf(api, invoker), {
      method: 'POST',
      url: '/pets',
      headers: [['Content-Type', 'application/json']],
      body: JSON.stringify(inner),
    });
    exchange.method.validateRequest?.(exchange);
    await exchange.method.integrate(exchange);
    // Validation read a JSON string; the function gets the decoded document, not that string.
    assert.deepEqual(invoker.calls[0]!.event, { decoded: true });
  });

  it('an invalid body is refused before the function runs', async () => {
    await assert.rejects(send(lambda(), '{"name":1}'), BadRequestBodyError);
  });

  it('a content type without a model is not validated: its payload is parsed as the event', async () => {
    assert.deepEqual(await send(lambda(), '{"name":1}', { contentType: 'application/x-other' }), {
      name: 1,
    });
  });
});
