// integrations/http-proxy.ts: the request passes to an HTTP backend and its answer back.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/setup-http-integrations.html
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { Agent } from 'undici';
import {
  BadGatewayError,
  BadRequestPathError,
  IntegrationFailureError,
} from '../../../src/gateway/errors.js';
import { httpProxyIntegration } from '../../../src/gateway/integrations/http-proxy.js';
import type { Integration } from '../../../src/model/types.js';
import { exchangeFor, method, snapshot, stageOf } from '../fixtures.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let backend: Server;
let base: string;
const seen: Seen[] = [];
const dispatcher = new Agent();

before(async () => {
  backend = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      res.writeHead(207, [
        ['X-Backend', 'yes'],
        ['Set-Cookie', 'a=1'],
        ['Set-Cookie', 'b=2'],
        ['Connection', 'keep-alive'],
      ]);
      res.end('from backend');
    });
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
});
after(async () => {
  await dispatcher.close();
  await new Promise((resolve) => backend.close(resolve));
});

const stage = stageOf(snapshot({ '/p/{proxy+}': [method({ httpMethod: 'ANY' })] }));

function proxy(overrides: Partial<Integration> = {}) {
  return httpProxyIntegration(
    {
      type: 'HTTP_PROXY',
      httpMethod: 'ANY',
      uri: `${base}/up/{proxy}`,
      requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' },
      timeoutInMillis: 29_000,
      ...overrides,
    },
    dispatcher,
  );
}

test('method, path, query, headers and body reach the backend; its answer comes back untouched', async () => {
  seen.length = 0;
  const answer = await proxy()(
    exchangeFor(stage, {
      method: 'PUT',
      url: '/p/a/b?x=1&x=2',
      headers: [
        ['X-Custom', 'v'],
        ['Content-Type', 'text/plain'],
      ],
      body: 'payload',
    }),
  );
  assert.equal(answer.statusCode, 207);
  assert.equal(answer.body.toString(), 'from backend');
  assert.deepEqual(
    answer.headers.filter(([n]) => n === 'x-backend' || n === 'set-cookie'),
    [
      ['x-backend', 'yes'],
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'],
    ],
  );
  assert.ok(!answer.headers.some(([n]) => n === 'connection'), 'hop-by-hop headers stay behind');
  const got = seen[0]!;
  assert.equal(got.method, 'PUT');
  assert.equal(got.url, '/up/a/b?x=1&x=2');
  assert.equal(got.headers['x-custom'], 'v');
  assert.equal(got.headers['x-forwarded-for'], '127.0.0.1');
  assert.equal(got.body, 'payload');
});

test('a path value that would change the backend path is refused before any byte goes out', async () => {
  seen.length = 0;
  await assert.rejects(
    proxy()(exchangeFor(stage, { url: '/p/a/%2e%2e/admin' })),
    BadRequestPathError,
  );
  assert.equal(seen.length, 0);
});

test('a mapped header value no HTTP header can carry is a 502 before any byte goes out', async () => {
  seen.length = 0;
  const run = proxy({
    requestParameters: {
      'integration.request.path.proxy': 'method.request.path.proxy',
      'integration.request.header.X-Mapped': 'method.request.querystring.v',
    },
  });
  await assert.rejects(
    run(exchangeFor(stage, { url: '/p/a?v=%0d%0aX-Evil:%201' })),
    BadGatewayError,
  );
  assert.equal(seen.length, 0);
});

test('an unreachable backend is INTEGRATION_FAILURE', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const run = proxy({ uri: `http://127.0.0.1:${port}/{proxy}` });
  await assert.rejects(run(exchangeFor(stage, { url: '/p/x' })), IntegrationFailureError);
});
