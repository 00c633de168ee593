// responseParameters that read the integration's answer body (`integration.response.body.X`):
// several mappings share one reading of the payload; a payload that is not JSON, or a path that
// finds nothing, leaves the header out; values that are not strings are written as JSON.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/request-response-data-mappings.html
// ("integration.response.body.JSONPath_EXPRESSION": JSONPath_EXPRESSION is a JSONPath
// expression for a JSON field of the response body)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileIntegrationResponses } from '../../../src/gateway/mapping/integration-responses.js';
import { exchangeFor, method, snapshot, stageOf } from '../fixtures.js';
import { parsesOf } from '../../support/count-parses.js';

const exchange = exchangeFor(stageOf(snapshot({ '/r': [method()] })), { url: '/r' });

/** One default integration response (200) with these mappings and templates. */
const responsesWith = (
  responseParameters: Record<string, string>,
  responseTemplates?: Record<string, string>,
) =>
  compileIntegrationResponses(
    {
      type: 'AWS',
      timeoutInMillis: 29_000,
      integrationResponses: {
        '200': { statusCode: '200', responseParameters, responseTemplates },
      },
    },
    'GET /r',
  );

const responses = responsesWith({
  'method.response.header.X-Name': 'integration.response.body.pet.name',
  'method.response.header.X-Tags': 'integration.response.body.pet.tags',
  'method.response.header.X-Null': 'integration.response.body.pet.none',
  'method.response.header.X-Missing': 'integration.response.body.nothing.here',
  'method.response.header.X-Whole': 'integration.response.body',
  'method.response.header.X-Literal': "'fixed'",
});

const headersOf = (body: string) =>
  Object.fromEntries(responses.answer(exchange, undefined, { body }).headers);

describe('responseParameters from the answer body', () => {
  it('each mapping reads its own field of the one payload', () => {
    const body = '{"pet":{"name":"Rex","tags":["a",1],"none":null}}';
    assert.deepEqual(headersOf(body), {
      'Content-Type': 'application/json',
      'X-Name': 'Rex',
      'X-Tags': '["a",1]',
      'X-Whole': body,
      'X-Literal': 'fixed',
    });
  });

  it('a payload that is not JSON: the body-path headers are left out, the others stay', () => {
    assert.deepEqual(headersOf('not json'), {
      'Content-Type': 'application/json',
      'X-Whole': 'not json',
      'X-Literal': 'fixed',
    });
  });

  it('a JSON payload that is not an object (null): nothing is found under it', () => {
    assert.deepEqual(headersOf('null'), {
      'Content-Type': 'application/json',
      'X-Whole': 'null',
      'X-Literal': 'fixed',
    });
  });

  it('each answer reads its own payload (nothing is kept between answers)', () => {
    assert.equal(headersOf('{"pet":{"name":"A"}}')['X-Name'], 'A');
    assert.equal(headersOf('{"pet":{"name":"B"}}')['X-Name'], 'B');
  });
});

describe('a response template beside body mappings', () => {
  const templated = responsesWith(
    { 'method.response.header.X-Name': 'integration.response.body.pet.name' },
    { 'application/json': `{"name": $input.json('$.pet.name'), "all": $input.json('$')}` },
  );

  it('reads the payload the mappings parsed: one parse for both', async () => {
    const body = '{"pet": {"name": "Rex"}}';
    const { result, parses } = await parsesOf(body, () =>
      templated.answer(exchange, undefined, { body }),
    );
    assert.equal(parses, 1);
    assert.deepEqual(Object.fromEntries(result.headers)['X-Name'], 'Rex');
    assert.equal(result.body, '{"name": "Rex", "all": {"pet":{"name":"Rex"}}}');
  });

  it('an empty payload: the mappings find nothing, the template reads it as {}', () => {
    const answer = templated.answer(exchange, undefined, { body: '' });
    assert.equal(Object.fromEntries(answer.headers)['X-Name'], undefined);
    assert.equal(answer.body, '{"name": , "all": {}}');
  });
});
