// Lambda custom (AWS, non-proxy) integrations end to end, through `sallyport serve` and real
// HTTP: request templates and their selection, passthrough behaviours, $input/$util/$context,
// integration responses chosen by the Lambda errorMessage, header mappings, bounded templates.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-custom-integrations.html
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT, call, serve, tempProject, type Served } from '../e2e/harness.js';

const FIXTURE = join(ROOT, 'test/fixtures/nonproxy');
let s: Served;
const url = (path: string) => `${s.base}/np/${path}`;
const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  call(url(path), {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'application/json', ...headers },
  });

before(async () => {
  const fn = (name: string, code = join(FIXTURE, 'functions', name), timeout = 30) => `
  ${name}:
    Runtime: nodejs20.x
    Handler: index.handler
    Code: ${code}
    Timeout: ${timeout}`;
  const dir = tempProject(`
functions:${fn('event-echo')}${fn('fail')}${fn('fail-1s', join(FIXTURE, 'functions/fail'), 1)}${fn('token-auth', join(ROOT, 'test/fixtures/e2e/functions/token-auth'))}
apis:
  - name: nonproxy
    id: nonproxy01
    openapi: ${join(FIXTURE, 'openapi.yaml')}
    stages:
      np:
        variables: { color: blue }
`);
  s = await serve(['--config', dir]);
});

after(async () => {
  assert.equal(await s.stop(), 0);
});

describe('the request: templates and passthrough', () => {
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/integration-passthrough-behaviors.html
  it('no templates (WHEN_NO_MATCH by default): the JSON body is the event, passed through whole', async () => {
    const r = await post('passthrough', '{"a":[1,{"b":null}]}');
    assert.equal(r.status, 200);
    assert.equal(r.body, '{"a":[1,{"b":null}]}');
    // "Content-Type: application/json" is what a non-proxy method response carries by default.
    assert.equal(r.headers['content-type'], 'application/json');
  });

  it('a request without a body gives the function the event {}', async () => {
    const r = await call(url('passthrough'));
    assert.equal(r.status, 200);
    assert.equal(r.body, '{}');
  });

  it('a passthrough payload that is not JSON: 400 Could not parse request body into json', async () => {
    const r = await post('notjson', 'name=x', { 'Content-Type': 'text/plain' });
    assert.equal(r.status, 400);
    assert.match(r.body, /^\{"message":"Could not parse request body into json: /);
  });

  it('WHEN_NO_TEMPLATES with templates defined: an unmatched Content-Type is refused with 415', async () => {
    const r = await post('templated/7', 'hello', { 'Content-Type': 'text/plain' });
    assert.equal(r.status, 415);
    assert.equal(r.body, '{"message":"Unsupported Media Type"}');
  });

  it('NEVER with no templates at all: 415 Unsupported Media Type', async () => {
    const r = await post('never', '{}');
    assert.equal(r.status, 415);
    assert.equal(r.body, '{"message":"Unsupported Media Type"}');
  });

  // The behaviours' table: "WHEN_NO_MATCH passes the method request body through the integration
  // request to the back end without transformation when the method request content type does not
  // match any content types associated with the mapping templates"; "WHEN_NO_TEMPLATES passes the
  // method request body through … when there are no mapping templates defined"; "NEVER rejects the
  // method request with an HTTP 415 Unsupported Media Type response when … the content type does
  // not match" (integration-passthrough-behaviors.html).
  it('WHEN_NO_MATCH with templates defined: an unmatched Content-Type passes through', async () => {
    const r = await post('when-no-match', '{"raw":1}');
    assert.equal(r.status, 200);
    assert.equal(r.body, '{"raw":1}');
    const templated = await post('when-no-match', '<x/>', { 'Content-Type': 'application/xml' });
    assert.deepEqual(templated.json(), { fromTemplate: true });
  });

  it('WHEN_NO_TEMPLATES with no templates at all: the payload passes through', async () => {
    const r = await post('when-no-templates-none', '{"raw":2}', { 'Content-Type': 'text/plain' });
    assert.equal(r.status, 200);
    assert.equal(r.body, '{"raw":2}');
  });

  it('NEVER with a template: a matching Content-Type renders, another is refused with 415', async () => {
    const r = await post('never-templated', '{"n":3}');
    assert.equal(r.status, 200);
    assert.deepEqual(r.json(), { fromTemplate: 3 });
    const refused = await post('never-templated', '{"n":3}', { 'Content-Type': 'text/plain' });
    assert.equal(refused.status, 415);
    assert.equal(refused.body, '{"message":"Unsupported Media Type"}');
  });

  it('the template is chosen by Content-Type (application/xml here)', async () => {
    const r = await post('templated/7', '<a>1</a>', { 'Content-Type': 'application/xml' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json(), { xml: '<a>1</a>' });
  });

  it('no Content-Type: API Gateway uses the application/json template', async () => {
    const body = '{"name":"n","tags":["x"],"items":[]}';
    const r = await call(url('templated/7'), { method: 'POST', body });
    assert.equal(r.status, 200);
    assert.equal((r.json() as { name: string }).name, 'n');
  });
});

describe('VTL as API Gateway runs it: $input, $util, $context, $stageVariables', () => {
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
  let event: Record<string, unknown>;
  before(async () => {
    const r = await call(url('templated/42?q=search%20me'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8', 'X-Custom': 'custom-value' },
      body: JSON.stringify({
        name: 'Zoë',
        tags: ['t1', 't2'],
        items: [{ id: 1 }, { id: 2 }],
        quote: 'he said "hi" / ok',
      }),
    });
    assert.equal(r.status, 200, r.body);
    event = r.json() as Record<string, unknown>;
  });

  it('$input.json, $input.path (definite and indefinite JSONPath), $input.body', () => {
    assert.deepEqual(event.body, {
      name: 'Zoë',
      tags: ['t1', 't2'],
      items: [{ id: 1 }, { id: 2 }],
      quote: 'he said "hi" / ok',
    });
    assert.equal(event.name, 'Zoë');
    assert.equal(event.firstTag, 't1');
    assert.equal(event.tagCount, 2);
    assert.deepEqual(event.allIds, [1, 2]);
    // escapeJavaScript writes non-ASCII as \uXXXX, which the JSON reader turns back.
    assert.equal(
      event.raw,
      JSON.stringify({
        name: 'Zoë',
        tags: ['t1', 't2'],
        items: [{ id: 1 }, { id: 2 }],
        quote: 'he said "hi" / ok',
      }),
    );
  });

  it('$input.params(name) searches path, query string, header; $input.params() is the three maps', () => {
    assert.equal(event.id, '42');
    assert.equal(event.q, 'search me');
    assert.equal(event.header, 'custom-value');
    assert.equal(event.paramKinds, 'path,querystring,header');
    assert.equal(event.queryFromMap, 'search me');
  });

  it('$context.requestId, identity.sourceIp, httpMethod, resourcePath, stage; $stageVariables', () => {
    assert.match(String(event.requestId), /^[0-9a-f-]{36}$/);
    assert.equal(event.sourceIp, '127.0.0.1');
    assert.equal(event.httpMethod, 'POST');
    assert.equal(event.resourcePath, '/templated/{id}');
    assert.equal(event.stage, 'np');
    assert.equal(event.color, 'blue');
  });

  it('$util: escapeJavaScript, urlEncode (Java: space is +), urlDecode, base64, parseJson', () => {
    assert.equal(event.escaped, 'he said "hi" / ok');
    assert.equal(event.encoded, 'a+b%26c');
    assert.equal(event.decoded, 'a b&c');
    assert.equal(event.b64, 'aGkgdGhlcmU=');
    assert.equal(event.unb64, 'hi there');
    assert.equal(event.parsed, 2);
  });

  it('a reference to nothing renders as an empty string (API Gateway, not Java Velocity)', () => {
    assert.equal(event.missing, '');
  });

  it("the authorizer's principalId and context reach the template", async () => {
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html#context-variable-reference
    const r = await call(url('whoami'), { headers: { Authorization: 'allow' } });
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(r.json(), { principalId: 'user-allow', token: 'allow', admin: 'false' });
  });
});

describe('the response: integration responses', () => {
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/handle-errors-in-lambda-integration.html
  it('an errorMessage matching a selectionPattern selects its status, template and headers', async () => {
    const r = await post(
      'errors',
      '{"message":"[BadRequest] name is required","type":"InputError"}',
    );
    assert.equal(r.status, 400);
    assert.deepEqual(r.json(), { error: '[BadRequest] name is required', type: 'InputError' });
    assert.equal(r.headers['x-error-type'], 'InputError');
    assert.equal(r.headers['x-stage'], 'np');
    assert.equal(r.headers['x-fixed'], 'fixed');
  });

  it('the pattern must match the whole errorMessage; another pattern selects 404', async () => {
    const r = await post('errors', '{"message":"pet not found here"}');
    assert.equal(r.status, 404);
    assert.deepEqual(r.json(), { notFound: true });
  });

  it('the Accept type selects the response template and is the Content-Type', async () => {
    const r = await post('errors', '{"message":"pet not found here"}', { Accept: 'text/plain' });
    assert.equal(r.status, 404);
    assert.equal(r.body, 'not found, plainly');
    assert.equal(r.headers['content-type'], 'text/plain');
  });

  it('an error no pattern matches takes the default response: 200 with the error document', async () => {
    // "Otherwise, Lambda errors are returned as 200 OK responses by default"
    const r = await post('errors', '{"message":"something else"}');
    assert.equal(r.status, 200);
    const error = r.json() as Record<string, unknown>;
    assert.equal(error.errorMessage, 'something else');
    assert.equal(error.errorType, 'Error');
  });

  it("the platform's own errors are mapped too: a timeout's errorMessage selects 504", async () => {
    // Lambda reports "Task timed out after 1.00 seconds" as the errorMessage.
    const r = await post('timeout', '{"hang":true}');
    assert.equal(r.status, 504);
    assert.deepEqual(r.json(), { timedOut: true });
  });

  it('a success is shaped by the default response: status, header from the body, template', async () => {
    const r = await post('shaped', '{}');
    assert.equal(r.status, 201);
    assert.equal(r.headers['x-greeting'], 'hello');
    assert.deepEqual(r.json(), { said: 'hello', count: 123 });
  });
});

describe('contentHandling with a Lambda function', () => {
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings-workflow.html
  // (binary payload, a template, CONVERT_TO_TEXT: "converted to a Base64-encoded string before
  // the mapping template is applied"; text answer, CONVERT_TO_BINARY: "a binary blob decoded
  // from the Base64-encoded string resulting from the mapping")
  it('CONVERT_TO_TEXT hands the template base64; CONVERT_TO_BINARY decodes the mapped answer', async () => {
    const bytes = Buffer.from([0, 1, 2, 255, 254, 10]);
    const r = await call(url('binary-event'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream', Accept: 'application/octet-stream' },
      body: bytes,
    });
    assert.equal(r.status, 200, r.body);
    assert.equal(r.headers['content-type'], 'application/octet-stream');
    assert.deepEqual(r.bodyBytes, bytes);
  });
});

describe('MOCK on the same machinery', () => {
  // "the integration request template … {"statusCode": 200} … the status code selects the
  // integration response" (how-to-mock-integration.html); selectionPattern matches the status.
  it('the status the request template names selects the integration response', async () => {
    const ok = await call(url('mock/200'));
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.json(), { ok: true });
    assert.equal(ok.headers['x-mocked'], undefined);
    const missing = await call(url('mock/404'));
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.json(), { missing: true });
    assert.equal(missing.headers['x-mocked'], 'yes');
    // A MOCK answer has no backend trace (API Gateway returns none).
    assert.equal(missing.headers['x-amzn-trace-id'], undefined);
  });
});

describe('a template that grows without bound', () => {
  it('fails within its budget: 500 Internal server error, and the gateway keeps serving', async () => {
    const r = await post('runaway', '{}');
    assert.equal(r.status, 500);
    assert.equal(r.body, '{"message":"Internal server error"}');
    assert.equal((await post('passthrough', '{"ok":1}')).body, '{"ok":1}');
  });
});

// API Gateway answers a request template it cannot apply with 500 Internal server error
// ("Execution failed due to configuration error: Unable to transform request" in the execution
// log): https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
describe('a template that loops or fails to render', () => {
  it('a loop of 81 million steps stops at the budget: 500, and the gateway keeps serving', async () => {
    const r = await post('looping', '{}');
    assert.equal(r.status, 500);
    assert.equal(r.body, '{"message":"Internal server error"}');
    assert.equal((await post('passthrough', '{"ok":2}')).body, '{"ok":2}');
  });

  it('$util.parseJson of a body that is not JSON: 500; the same template renders a JSON body', async () => {
    const r = await post('unrenderable', 'not json');
    assert.equal(r.status, 500);
    assert.equal(r.body, '{"message":"Internal server error"}');
    const ok = await post('unrenderable', '{"a": 7}');
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.json(), { parsed: 7 });
  });
});
