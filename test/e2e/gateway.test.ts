// The data plane end to end through the real CLI and real HTTP: routing, the Lambda proxy
// event and response contract, TOKEN and REQUEST authorizers with their cache and policy rules,
// misbehaving functions, HTTP_PROXY, MOCK and gateway responses.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT, call, eventually, serve, tempProject, type Served } from './harness.js';

const FIXTURE = join(ROOT, 'test/fixtures/e2e');
const API = 'e2eapi0001';
const ARN_BASE = `arn:aws:execute-api:us-east-1:123456789012:${API}/e2e`;

interface Echo {
  event: {
    resource: string;
    path: string;
    httpMethod: string;
    headers: Record<string, string> | null;
    multiValueHeaders: Record<string, string[]> | null;
    queryStringParameters: Record<string, string> | null;
    multiValueQueryStringParameters: Record<string, string[]> | null;
    pathParameters: Record<string, string> | null;
    stageVariables: Record<string, string> | null;
    requestContext: Record<string, unknown> & {
      identity: Record<string, unknown>;
      authorizer?: Record<string, unknown>;
    };
    body: string | null;
    isBase64Encoded: boolean;
  };
  invocations: number;
  functionName: string;
  env: Record<string, string>;
}

let backend: Server;
let backendSeen: { url: string; method: string; headers: IncomingHttpHeaders; body: string }[] = [];
let s: Served;
const url = (path: string) => `${s.base}/restapis/${API}/e2e/_user_request_${path}`;
const customUrl = (path: string) => `${s.base}/restapis/custom0001/e2e/_user_request_${path}`;

before(async () => {
  backend = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      backendSeen.push({ url: req.url!, method: req.method!, headers: req.headers, body });
      res.writeHead(201, [
        ['X-Backend', 'yes'],
        ['Set-Cookie', 'c=1'],
        ['Set-Cookie', 'd=2'],
        ['Content-Type', 'text/plain'],
      ]);
      res.end(`backend saw ${req.method} ${req.url}`);
    });
  });
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
  const backendPort = (backend.address() as AddressInfo).port;
  // Timeouts no busy machine can race: only the functions that hang on purpose get 1 s.
  const fn = (name: string, timeout = 30, code = name) => `
  ${name}:
    Runtime: nodejs20.x
    Handler: index.handler
    Code: ${join(FIXTURE, 'functions', code)}
    Timeout: ${timeout}`;
  const dir = tempProject(`
functions:${fn('echo')}
    Environment:
      Variables: { GREETING: hi }${fn('token-auth', 5)}${fn('request-auth')}${fn('misbehave')}${fn('misbehave-1s', 1, 'misbehave')}
apis:
  - name: e2e-api
    id: ${API}
    openapi: ${join(FIXTURE, 'openapi.yaml')}
    stages:
      e2e:
        variables: { color: blue, backendPort: "${backendPort}" }
  - name: custom-responses
    id: custom0001
    openapi: ${join(FIXTURE, 'custom-responses.yaml')}
    stages:
      e2e:
        variables: { color: green }
`);
  s = await serve(['--config', dir, '--log-level', 'debug']);
});

after(async () => {
  await s.stop();
  await new Promise((r) => backend.close(r));
});

const echo = async (path: string, options: Parameters<typeof call>[1] = {}) => {
  const r = await call(url(path), options);
  assert.equal(r.status, 200, r.body);
  return r.json() as Echo;
};

describe('routing', () => {
  it('the root resource answers its own method (MOCK)', async () => {
    const r = await call(url('/'));
    assert.equal(r.status, 200);
    assert.equal(r.body, '{"root": true}');
  });

  it('x-amazon-apigateway-any-method answers every method', async () => {
    for (const method of ['GET', 'POST', 'DELETE', 'PATCH']) {
      const e = await echo('/open', { method });
      assert.equal(e.event.httpMethod, method);
    }
  });

  it('a greedy {proxy+} resource takes the rest of the path', async () => {
    const e = await echo('/files/a/b/c.txt');
    assert.equal(e.event.resource, '/files/{proxy+}');
    assert.deepEqual(e.event.pathParameters, { proxy: 'a/b/c.txt' });
  });

  it('an unknown method on a known resource: 403 Missing Authentication Token', async () => {
    const r = await call(url('/sayhello'), { method: 'POST' });
    assert.equal(r.status, 403);
    assert.equal(r.body, '{"message":"Missing Authentication Token"}');
    assert.equal(r.headers['x-amzn-errortype'], 'MissingAuthenticationTokenException');
  });

  it('an unknown API id: 403 Forbidden', async () => {
    const r = await call(`${s.base}/restapis/zzzzzzzzzz/e2e/_user_request_/open`);
    assert.equal(r.status, 403);
    assert.equal(r.body, '{"message":"Forbidden"}');
  });

  it('with two APIs deployed, the host-based URL selects one', async () => {
    const r = await call(`${s.base}/e2e/open`, {
      headers: { Host: `${API}.execute-api.localhost:${s.port}` },
    });
    assert.equal(r.status, 200);
  });
});

describe('Lambda proxy integration: the 1.0 event', () => {
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
  it('carries path, headers (case and repeats kept), query strings, stage variables and requestContext', async () => {
    const e = await echo('/open?x=1&x=2&y=a%20b', {
      headers: [
        ['X-Mixed-Case', 'one'],
        ['X-Mixed-Case', 'two'],
        ['User-Agent', 'e2e-test'],
      ],
    });
    const ev = e.event;
    assert.equal(ev.resource, '/open');
    assert.equal(ev.path, '/open');
    assert.equal(ev.httpMethod, 'GET');
    assert.equal(ev.headers!['X-Mixed-Case'], 'two');
    assert.deepEqual(ev.multiValueHeaders!['X-Mixed-Case'], ['one', 'two']);
    assert.deepEqual(ev.queryStringParameters, { x: '2', y: 'a b' });
    assert.deepEqual(ev.multiValueQueryStringParameters, { x: ['1', '2'], y: ['a b'] });
    assert.equal(ev.pathParameters, null);
    assert.deepEqual(ev.stageVariables, {
      color: 'blue',
      backendPort: ev.stageVariables!.backendPort,
    });
    assert.equal(ev.body, null);
    assert.equal(ev.isBase64Encoded, false);
    const ctx = ev.requestContext;
    assert.equal(ctx.resourcePath, '/open');
    assert.equal(ctx.httpMethod, 'GET');
    assert.equal(ctx.path, '/e2e/open');
    assert.equal(ctx.stage, 'e2e');
    assert.equal(ctx.accountId, '123456789012');
    assert.equal(ctx.apiId, API);
    assert.equal(ctx.protocol, 'HTTP/1.1');
    assert.equal(typeof ctx.requestTimeEpoch, 'number');
    assert.match(String(ctx.requestTime), /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    assert.match(String(ctx.requestId), /^[0-9a-f-]{36}$/);
    assert.equal(ctx.identity.sourceIp, '127.0.0.1');
    assert.equal(ctx.identity.userAgent, 'e2e-test');
    assert.equal(ctx.authorizer, undefined);
    assert.equal(e.functionName, 'echo');
    assert.deepEqual(e.env, { AWS_LAMBDA_FUNCTION_NAME: 'echo', GREETING: 'hi' });
  });

  it('passes a text body as is, and a binary media type base64-encoded', async () => {
    const text = await echo('/open', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"a":1}',
    });
    assert.equal(text.event.body, '{"a":1}');
    assert.equal(text.event.isBase64Encoded, false);
    const bin = await echo('/open', {
      method: 'POST',
      headers: { 'Content-Type': 'image/png' },
      body: Buffer.from([0, 255, 1]),
    });
    assert.equal(bin.event.body, Buffer.from([0, 255, 1]).toString('base64'));
    assert.equal(bin.event.isBase64Encoded, true);
  });

  it("the response keeps the function's headers and multiValueHeaders", async () => {
    const r = await call(url('/open'));
    assert.equal(r.headers['x-echo'], 'yes');
    assert.deepEqual(r.headers['set-cookie'], ['a=1', 'b=2']);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.match(String(r.headers['x-amzn-requestid']), /^[0-9a-f-]{36}$/);
  });

  it('statusCode and headers of the function reach the client', async () => {
    const r = await call(url('/misbehave/status'));
    assert.equal(r.status, 418);
    assert.equal(r.body, 'teapot');
    assert.equal(r.headers['x-custom'], 'a');
  });

  it('isBase64Encoded bodies are decoded when the client Accepts a binary media type', async () => {
    const binary = await call(url('/misbehave/base64'), { headers: { Accept: 'image/png' } });
    assert.deepEqual([...binary.bodyBytes], [1, 2, 3]);
    const text = await call(url('/misbehave/base64'));
    assert.equal(text.body, Buffer.from([1, 2, 3]).toString('base64'));
  });
});

describe('misbehaving functions are contained: 502 {"message": "Internal server error"}, and the gateway keeps serving', () => {
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-output-format
  for (const mode of [
    'throws',
    'hangs',
    'exits',
    'not-json',
    'body-object',
    'extra-field',
    'circular',
  ]) {
    it(`a handler that ${mode}`, async () => {
      // Only 'hangs' waits for its function's Timeout, so only it goes to the 1 s copy.
      const r = await call(url(mode === 'hangs' ? '/short-timeout/hangs' : `/misbehave/${mode}`));
      assert.equal(r.status, 502);
      assert.equal(r.body, '{"message":"Internal server error"}');
      assert.equal(r.headers['x-amzn-errortype'], 'InternalServerErrorException');
      const next = await call(url('/misbehave/fine'));
      assert.equal(next.status, 200);
      assert.equal(next.body, 'fine');
    });
  }

  it('a function slower than the integration timeout: 504 Endpoint request timed out', async () => {
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html (integration timeout)
    const r = await call(url('/slow/hangs'));
    assert.equal(r.status, 504);
    assert.equal(r.body, '{"message":"Endpoint request timed out"}');
    assert.equal(r.headers['x-amzn-errortype'], 'InternalServerErrorException');
    // The gateway keeps serving: asked through a route whose 300 ms a busy machine cannot eat.
    assert.equal((await call(url('/misbehave/fine'))).status, 200);
  });

  it('function output goes to the gateway log with the request id, and START/END/REPORT at --log-level debug', async () => {
    const r = await call(url('/misbehave/fine'));
    const id = String(r.headers['x-amzn-requestid']);
    await eventually(() => s.output().includes(`REPORT RequestId: ${id}`));
    assert.ok(s.output().includes(`START RequestId: ${id}`));
    assert.match(s.output(), new RegExp(`${id}\\\\tINFO\\\\tmisbehave mode fine`));
  });
});

describe('TOKEN authorizer', () => {
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html
  it('gets {type, authorizationToken, methodArn}; its principalId and context reach the function (as strings)', async () => {
    const e = await echo('/sayhello', { headers: { jwt_token: 'allow' } });
    const a = e.event.requestContext.authorizer!;
    assert.equal(a.principalId, 'user-allow');
    assert.equal(a.token, 'allow');
    assert.equal(a.admin, 'false');
    assert.equal(a.eventType, 'TOKEN');
    assert.equal(a.eventKeys, 'authorizationToken,methodArn,type');
    assert.equal(a.methodArn, `${ARN_BASE}/GET/sayhello`);
    assert.equal(typeof a.integrationLatency, 'number');
  });

  it('a missing token source: 401 without invoking the authorizer', async () => {
    const r = await call(url('/sayhello'));
    assert.equal(r.status, 401);
    assert.equal(r.body, '{"message":"Unauthorized"}');
    assert.equal(r.headers['x-amzn-errortype'], 'UnauthorizedException');
  });

  it('a token failing identityValidationExpression: 401 without invoking', async () => {
    const bad = await call(url('/validated'), { headers: { Authorization: 'nope' } });
    assert.equal(bad.status, 401);
    assert.equal(bad.body, '{"message":"Unauthorized"}');
    const good = await call(url('/validated'), { headers: { Authorization: 'allow' } });
    assert.equal(good.status, 200);
  });

  it('an explicit Deny: 403 with AccessDeniedException', async () => {
    const r = await call(url('/sayhello'), { headers: { jwt_token: 'deny' } });
    assert.equal(r.status, 403);
    assert.equal(
      r.body,
      '{"Message":"User is not authorized to access this resource with an explicit deny"}',
    );
    assert.equal(r.headers['x-amzn-errortype'], 'AccessDeniedException');
  });

  it('explicit Deny wins over Allow, only where it matches', async () => {
    const secret = await call(url('/secret'), { headers: { jwt_token: 'deny-secret' } });
    assert.equal(secret.status, 403);
    assert.equal(
      secret.body,
      '{"Message":"User is not authorized to access this resource with an explicit deny"}',
    );
    const hello = await call(url('/sayhello'), { headers: { jwt_token: 'deny-secret' } });
    assert.equal(hello.status, 200);
  });

  it('no statement matching the Action: 403 not authorized (implicit deny)', async () => {
    const r = await call(url('/sayhello'), { headers: { jwt_token: 'wrong-action' } });
    assert.equal(r.status, 403);
    assert.equal(r.body, '{"Message":"User is not authorized to access this resource"}');
    assert.equal(r.headers['x-amzn-errortype'], 'AccessDeniedException');
  });

  it('the authorizer failing with "Unauthorized": 401', async () => {
    const r = await call(url('/sayhello'), { headers: { jwt_token: 'unauthorized' } });
    assert.equal(r.status, 401);
    assert.equal(r.body, '{"message":"Unauthorized"}');
  });

  for (const token of ['boom', 'garbage', 'nested-context', 'hang']) {
    it(`an authorizer answering "${token}": 500 {"message":null} AuthorizerConfigurationException`, async () => {
      const r = await call(url('/sayhello'), { headers: { jwt_token: token } });
      assert.equal(r.status, 500);
      assert.equal(r.body, '{"message":null}');
      assert.equal(r.headers['x-amzn-errortype'], 'AuthorizerConfigurationException');
    });
  }

  it('Resource wildcards: ? matches exactly one character', async () => {
    assert.equal(
      (await call(url('/pets/1'), { headers: { jwt_token: 'question-mark' } })).status,
      200,
    );
    assert.equal(
      (await call(url('/pets/12'), { headers: { jwt_token: 'question-mark' } })).status,
      403,
    );
  });

  it('Action and Resource may be arrays', async () => {
    assert.equal(
      (await call(url('/pets/5'), { method: 'POST', headers: { jwt_token: 'array-fields' } }))
        .status,
      200,
    );
    assert.equal(
      (await call(url('/pets/5'), { headers: { jwt_token: 'array-fields' } })).status,
      200,
    );
    assert.equal(
      (await call(url('/sayhello'), { headers: { jwt_token: 'array-fields' } })).status,
      403,
    );
  });
});

describe('authorizer result cache', () => {
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html
  it('a cached result serves later requests without invoking the authorizer', async () => {
    const first = await echo('/pets/1', { headers: { jwt_token: 'allow' } });
    const second = await echo('/pets/2', { headers: { jwt_token: 'allow' } });
    assert.equal(
      second.event.requestContext.authorizer!.invocations,
      first.event.requestContext.authorizer!.invocations,
    );
    assert.deepEqual(second.event.pathParameters, { petId: '2' });
  });

  it('the cached policy is evaluated against each new method ARN', async () => {
    const get = await echo('/pets/3', { headers: { jwt_token: 'get-pets-only' } });
    assert.equal(get.event.requestContext.authorizer!.principalId, 'user');
    const post = await call(url('/pets/3'), {
      method: 'POST',
      headers: { jwt_token: 'get-pets-only' },
    });
    assert.equal(post.status, 403);
    assert.equal(post.body, '{"Message":"User is not authorized to access this resource"}');
  });

  it('TTL 0 invokes the authorizer on every request', async () => {
    const a = await echo('/sayhello', { headers: { jwt_token: 'allow' } });
    const b = await echo('/sayhello', { headers: { jwt_token: 'allow' } });
    assert.notEqual(
      a.event.requestContext.authorizer!.invocations,
      b.event.requestContext.authorizer!.invocations,
    );
  });

  it('a cached result expires after its TTL', async () => {
    const first = await echo('/short', { headers: { jwt_token: 'allow' } });
    const n = first.event.requestContext.authorizer!.invocations;
    const again = await echo('/short', { headers: { jwt_token: 'allow' } });
    assert.equal(
      again.event.requestContext.authorizer!.invocations,
      n,
      'served from the cache within the TTL',
    );
    let later = n;
    const deadline = Date.now() + 30_000;
    while (later === n && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      later = (await echo('/short', { headers: { jwt_token: 'allow' } })).event.requestContext
        .authorizer!.invocations;
    }
    assert.notEqual(later, n, 'invoked again once the TTL passed');
  });
});

describe('REQUEST authorizer', () => {
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html
  it('gets the request event and allows with the right parameters', async () => {
    const e = await echo('/req/7?key=letmein', { headers: { 'X-Tenant': 'acme' } });
    const a = e.event.requestContext.authorizer!;
    assert.equal(a.principalId, 'tenant-acme');
    assert.equal(a.n, '7');
    assert.equal(a.ok, 'true');
    const ev = JSON.parse(String(a.event)) as Echo['event'] & { type: string; methodArn: string };
    assert.equal(ev.type, 'REQUEST');
    assert.equal(ev.methodArn, `${ARN_BASE}/GET/req/7`);
    assert.equal(ev.resource, '/req/{id}');
    assert.equal(ev.path, '/req/7');
    assert.equal(ev.httpMethod, 'GET');
    assert.equal(ev.headers!['X-Tenant'], 'acme');
    assert.deepEqual(ev.queryStringParameters, { key: 'letmein' });
    assert.deepEqual(ev.pathParameters, { id: '7' });
    assert.equal(ev.stageVariables!.color, 'blue');
    assert.equal(ev.requestContext.stage, 'e2e');
    assert.equal(ev.requestContext.authorizer, undefined);
  });

  it('a missing identity source: 401 without invoking', async () => {
    const r = await call(url('/req/7?key=letmein'));
    assert.equal(r.status, 401);
    assert.equal(r.body, '{"message":"Unauthorized"}');
  });

  it('a Deny for other parameter values: 403', async () => {
    const r = await call(url('/req/7?key=wrong'), { headers: { 'X-Tenant': 'acme' } });
    assert.equal(r.status, 403);
  });
});

describe('request limits', () => {
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html: payload size 10 MB
  it('a body over 10 MB: 413 and the gateway keeps serving', async () => {
    const r = await call(url('/open'), {
      method: 'POST',
      body: Buffer.alloc(10 * 1024 * 1024 + 1, 97),
    });
    assert.equal(r.status, 413);
    assert.equal(r.headers['x-amzn-errortype'], 'RequestTooLargeException');
    assert.equal((await call(url('/open'))).status, 200);
  });
});

describe('HTTP_PROXY integration', () => {
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/setup-http-integrations.html
  it("forwards method, path, query, headers and body, and returns the backend's answer", async () => {
    backendSeen = [];
    const r = await call(url('/backend/a/b?q=1'), {
      method: 'PUT',
      headers: { 'X-From-Client': 'c' },
      body: 'payload',
    });
    assert.equal(r.status, 201);
    assert.equal(r.body, 'backend saw PUT /upstream/a/b?q=1');
    assert.equal(r.headers['x-backend'], 'yes');
    assert.deepEqual(r.headers['set-cookie'], ['c=1', 'd=2']);
    assert.equal(backendSeen[0]!.headers['x-from-client'], 'c');
    assert.equal(backendSeen[0]!.body, 'payload');
    assert.equal(backendSeen[0]!.headers['x-forwarded-for'], '127.0.0.1');
  });
});

describe('MOCK integration', () => {
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-mock-integration.html
  it('answers from its templates, with $context and $stageVariables', async () => {
    const r = await call(url('/mock'));
    assert.equal(r.status, 200);
    assert.equal(r.body, '{"stage": "e2e", "color": "blue"}');
    assert.equal(r.headers['x-mock'], 'mocked');
  });

  it('selects the integration response by the statusCode the request template gives', async () => {
    const r = await call(url('/mock?fail=yes'));
    assert.equal(r.status, 500);
    assert.equal(r.body, '{"failed": true}');
  });
});

describe('gateway responses from x-amazon-apigateway-gateway-responses', () => {
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-gateway-responses.html
  it('UNAUTHORIZED renders its template and headers', async () => {
    const r = await call(customUrl('/hello'));
    assert.equal(r.status, 401);
    assert.equal(r.headers['www-authenticate'], 'Bearer');
    assert.equal(r.headers['x-stage-color'], 'green');
    const body = r.json() as Record<string, string>;
    assert.equal(body.error, 'Unauthorized');
    assert.equal(body.type, 'UNAUTHORIZED');
    assert.equal(body.requestId, r.headers['x-amzn-requestid']);
  });

  it('a type without an override falls back to DEFAULT_4XX', async () => {
    const r = await call(customUrl('/nowhere'));
    assert.equal(r.status, 403);
    assert.equal(r.headers['access-control-allow-origin'], '*');
    assert.equal(r.body, '{"message":"Missing Authentication Token"}');
  });
});
