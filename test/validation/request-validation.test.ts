// Request validation over real HTTP through the built CLI: validators, models and required
// parameters from OpenAPI 3 and Swagger 2 files in sallyport.yaml, each answer as AWS gives it.
// Sources: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html
// ("included and not blank", "If no matching content type is found, request validation is not
// performed"), and LocalStack's AWS-validated snapshots
// (tests/aws/services/apigateway/test_apigateway_common.py: `{"message": "Missing required request
// parameters: [x]"}`, `{"message": "Invalid request body"}`).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeFileSync } from 'node:fs';
import { ROOT, call, run, serve, tempProject, type Served } from '../e2e/harness.js';

const FIXTURE = join(ROOT, 'test/fixtures/validation');
let s: Served;
const url = (api: string, path: string) => `${s.base}/restapis/${api}/v1/_user_request_${path}`;

before(async () => {
  const dir = tempProject(`
functions:
  token-auth:
    Runtime: nodejs20.x
    Handler: index.handler
    Code: ${join(ROOT, 'test/fixtures/e2e/functions/token-auth')}
    Timeout: 30
apis:
  - name: validation
    id: valid00001
    openapi: ${join(FIXTURE, 'openapi.yaml')}
    stages: { v1: {} }
  - name: validation-swagger
    id: valid00002
    openapi: ${join(FIXTURE, 'swagger.yaml')}
    stages: { v1: {} }
`);
  s = await serve(['--config', dir]);
});
after(() => s.stop());

const JSON_HEADERS = { 'Content-Type': 'application/json' };
const post = (api: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  call(url(api, path), {
    method: 'POST',
    headers: { ...JSON_HEADERS, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('required request parameters (validateRequestParameters)', () => {
  it('a missing header and query string are listed, in AWS order, with 400 BadRequestException', async () => {
    const r = await post('valid00001', '/pets', { name: 'Rex', type: 'dog' });
    assert.equal(r.status, 400);
    assert.equal(r.headers['x-amzn-errortype'], 'BadRequestException');
    // Header expressions sort before querystring ones (LocalStack's recorded AWS answer).
    assert.deepEqual(r.json(), {
      message: 'Missing required request parameters: [x-tenant, dryRun]',
    });
  });

  it('a blank value counts as missing ("included and not blank")', async () => {
    const r = await call(url('valid00001', '/pets?type=%20'), { headers: {} });
    assert.equal(r.status, 400);
    assert.deepEqual(r.json(), { message: 'Missing required request parameters: [type]' });
  });

  it('header names match case-insensitively; optional parameters are not required', async () => {
    const r = await post(
      'valid00001',
      '/pets?dryRun=1',
      { name: 'Rex', type: 'dog' },
      { 'X-TENANT': 't' },
    );
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(r.json(), { passed: true });
  });

  it('the API-level validator applies to a method without its own', async () => {
    assert.equal((await call(url('valid00001', '/pets'))).status, 400);
    assert.equal((await call(url('valid00001', '/pets?type=dog'))).status, 200);
  });

  it('a body-only validator does not check parameters', async () => {
    const r = await call(url('valid00001', '/pets/7'), {
      method: 'PUT',
      headers: JSON_HEADERS,
      body: '{"price": 10}',
    });
    assert.equal(r.status, 200, r.body);
  });

  it('parameters are checked before the body (the same request fails on its parameters)', async () => {
    const r = await post('valid00001', '/pets', '{}');
    assert.deepEqual(r.json(), {
      message: 'Missing required request parameters: [x-tenant, dryRun]',
    });
  });

  it('Swagger 2: a missing header', async () => {
    const r = await post('valid00002', '/orders', { quantity: 1 });
    assert.equal(r.status, 400);
    assert.deepEqual(r.json(), { message: 'Missing required request parameters: [X-Key]' });
  });
});

describe('body models (validateRequestBody)', () => {
  const ok = { 'x-tenant': 't' };
  const pets = (body: unknown, headers: Record<string, string> = {}) =>
    post('valid00001', '/pets?dryRun=1', body, { ...ok, ...headers });

  it('a body that matches the model (with a $ref to another model) passes', async () => {
    const r = await pets({ name: 'Rex', type: 'dog', owner: { email: 'a@b' } });
    assert.equal(r.status, 200, r.body);
  });

  it('a body that does not match: the API override renders 422 with validationErrorString', async () => {
    // BAD_REQUEST_BODY is overridden in the fixture: status 422, template with
    // $context.error.message and $context.error.validationErrorString.
    const r = await pets({ name: 'Rex' });
    assert.equal(r.status, 422);
    assert.deepEqual(r.json(), {
      error: 'Invalid request body',
      details: '[object has missing required properties (["type"])]',
    });
  });

  it('enum and nested model failures are each reported', async () => {
    const r = await pets({ name: 'Rex', type: 'bird', owner: {} });
    const { details } = r.json() as { details: string };
    assert.match(
      details,
      /instance value \("bird"\) not found in enum \(possible values: \["dog","cat","fish"\]\)/,
    );
    assert.match(details, /object has missing required properties \(\["email"\]\)/);
  });

  it('text that is not JSON is an invalid body', async () => {
    const r = await pets('{not json');
    assert.equal(r.status, 422);
    assert.deepEqual(r.json(), {
      error: 'Invalid request body',
      details: '[the request body is not valid JSON]',
    });
  });

  it('AWS default BAD_REQUEST_BODY: 400 {"message": "Invalid request body"} (Swagger 2 body parameter)', async () => {
    const r = await post('valid00002', '/orders', { quantity: 0 }, { 'X-Key': 'k' });
    assert.equal(r.status, 400);
    assert.equal(r.headers['x-amzn-errortype'], 'BadRequestException');
    assert.deepEqual(r.json(), { message: 'Invalid request body' });
    const good = await post('valid00002', '/orders', { quantity: 2 }, { 'X-Key': 'k' });
    assert.equal(good.status, 200, good.body);
  });

  it('an inline requestBody schema is a model of its own', async () => {
    const put = (body: string) =>
      call(url('valid00001', '/pets/7'), { method: 'PUT', headers: JSON_HEADERS, body });
    assert.equal((await put('{"price": 501}')).status, 422);
    const r = await put('{"price": 501}');
    assert.equal(
      (r.json() as { details: string }).details,
      '[numeric instance is greater than the required maximum (maximum: 500, found: 501)]',
    );
  });

  it('a content type without a model is not validated; $default covers any content type', async () => {
    const text = await pets('whatever', { 'Content-Type': 'text/plain' });
    assert.equal(text.status, 200, text.body);
    const owners = (body: string, type: string) =>
      call(url('valid00001', '/owners'), {
        method: 'POST',
        headers: { 'Content-Type': type },
        body,
      });
    assert.equal((await owners('{}', 'application/xml')).status, 422);
    assert.equal((await owners('{"email": "x"}', 'application/xml')).status, 200);
  });

  it('the media type is matched without its parameters, case-insensitively', async () => {
    const r = await pets({ name: 'Rex' }, { 'Content-Type': 'Application/JSON; charset=utf-8' });
    assert.equal(r.status, 422);
  });

  it('an empty body is validated as {}', async () => {
    const r = await call(url('valid00001', '/pets?dryRun=1'), {
      method: 'POST',
      headers: { ...JSON_HEADERS, ...ok },
    });
    assert.equal(r.status, 422);
    assert.equal(
      (r.json() as { details: string }).details,
      '[object has missing required properties (["name","type"])]',
    );
  });
});

describe('order in the pipeline', () => {
  it('the authorizer answers before validation: no token → 401, not 400', async () => {
    const r = await post('valid00001', '/secure', {});
    assert.equal(r.status, 401);
    assert.deepEqual(r.json(), { message: 'Unauthorized' });
  });

  it('an authorized request is then validated', async () => {
    const r = await post('valid00001', '/secure', {}, { Authorization: 'allow' });
    assert.equal(r.status, 400);
    assert.deepEqual(r.json(), { message: 'Missing required request parameters: [needed]' });
    const good = await post('valid00001', '/secure?needed=1', {}, { Authorization: 'allow' });
    assert.equal(good.status, 200, good.body);
  });
});

describe('deploy time', () => {
  it('serve refuses a project whose model does not compile, naming the model', async () => {
    const dir = tempProject(`
apis:
  - name: bad
    openapi: openapi.yaml
    stages: { v1: {} }
`);
    writeFileSync(
      join(dir, 'openapi.yaml'),
      JSON.stringify({
        openapi: '3.0.1',
        info: { title: 'bad' },
        paths: {
          '/x': {
            get: {
              'x-amazon-apigateway-integration': {
                type: 'mock',
                requestTemplates: { 'application/json': '{"statusCode": 200}' },
              },
            },
          },
        },
        components: { schemas: { Broken: { type: 'nonsense' } } },
      }),
    );
    const r = await run([
      'serve',
      '--config',
      dir,
      '--port',
      '0',
      '--no-admin',
      '--store',
      'memory',
    ]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /model Broken: invalid schema/);
  });
});
