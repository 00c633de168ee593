// HTTP (non-proxy) integrations end to end, through `sallyport serve` and real HTTP: only what
// the mappings name reaches the backend; its status code selects the integration response.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/setup-http-integrations.html#set-up-http-custom-integrations
// https://docs.aws.amazon.com/apigateway/latest/developerguide/request-response-data-mappings.html
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT, call, serve, tempProject, type Served } from '../e2e/harness.js';

const FIXTURE = join(ROOT, 'test/fixtures/nonproxy');
let backend: Server;
let seen: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];
let s: Served;
const url = (path: string) => `${s.base}/np/${path}`;

before(async () => {
  backend = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      if (req.url === '/echo') return void res.end(body);
      const status = req.url!.includes('/missing') ? 404 : req.url!.includes('/broken') ? 500 : 200;
      res.writeHead(status, { 'Content-Type': 'application/json', 'X-Backend': 'backend-1' });
      res.end(status === 404 ? '{"reason":"no such item"}' : '{"stored":true}');
    });
  });
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
  const port = (backend.address() as AddressInfo).port;
  const dir = tempProject(`
apis:
  - name: nonproxy-http
    id: nonproxy02
    openapi: ${join(FIXTURE, 'http.yaml')}
    stages:
      np:
        variables: { color: blue, backendPort: "${port}" }
`);
  s = await serve(['--config', dir]);
});

after(async () => {
  assert.equal(await s.stop(), 0);
  await new Promise((r) => backend.close(r));
});

const send = (id: string) => {
  seen = [];
  return call(url(`items/${id}?q=find%20me&other=x`), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Client': 'client-1', 'X-Unmapped': 'no' },
    body: '{"n":1}',
  });
};

describe('the integration request is made of mappings only', () => {
  it('path, query string and headers from method.request.*, literals, context and stage variables', async () => {
    const r = await send('7');
    assert.equal(r.status, 200, r.body);
    const got = seen[0]!;
    assert.equal(got.method, 'PUT');
    // The client's own query string (other=x) and unmapped headers do not pass.
    assert.equal(got.url, '/backend/7?search=find%20me');
    assert.equal(got.headers['x-from-client'], 'client-1');
    assert.equal(got.headers['x-literal'], 'static value');
    assert.equal(got.headers['x-stage'], 'np');
    assert.equal(got.headers['x-color'], 'blue');
    assert.equal(got.headers['x-unmapped'], undefined);
    assert.deepEqual(JSON.parse(got.body), { wrapped: { n: 1 }, id: '7' });
  });
});

describe("the backend's status code selects the integration response", () => {
  it('2xx: the default response, its template and a header mapped from the backend', async () => {
    const r = await send('7');
    assert.equal(r.status, 200);
    assert.deepEqual(r.json(), { backend: { stored: true } });
    assert.equal(r.headers['x-backend-said'], 'backend-1');
    // Backend headers reach the client only through responseParameters.
    assert.equal(r.headers['x-backend'], undefined);
  });

  it('404 matches 4\\d{2}: status 400 and its template over the backend body', async () => {
    const r = await send('missing');
    assert.equal(r.status, 400);
    assert.deepEqual(r.json(), { rejected: 'no such item' });
  });

  it('500 matches 5\\d{2}: status 502, the backend body passed through', async () => {
    const r = await send('broken');
    assert.equal(r.status, 502);
    assert.equal(r.body, '{"stored":true}');
  });

  it('no template: the backend body passes through with the default response', async () => {
    seen = [];
    const r = await call(url('raw'));
    assert.equal(r.status, 200);
    assert.equal(r.body, '{"stored":true}');
    assert.equal(seen[0]!.url, '/raw');
  });
});

describe('contentHandling', () => {
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings-workflow.html
  it('CONVERT_TO_TEXT sends a binary payload base64-encoded; CONVERT_TO_BINARY decodes the answer', async () => {
    seen = [];
    const bytes = Buffer.from([0, 1, 2, 255, 254]);
    const r = await call(url('binary'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: bytes,
    });
    assert.equal(r.status, 200);
    assert.equal(seen[0]!.body, bytes.toString('base64'));
    assert.deepEqual(r.bodyBytes, bytes);
  });
});
