// server.ts: the listener, with an injected pipeline and stages, over a real socket on port 0.
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import type { CompiledStage, HttpAnswer } from '../../src/gateway/compiled-api.js';
import { DeployedStages } from '../../src/gateway/deployments.js';
import { UnauthorizedError } from '../../src/gateway/errors.js';
import type { GatewayRequest } from '../../src/gateway/request.js';
import { createGatewayServer } from '../../src/gateway/server.js';
import { API_ID, method, silentLogger, snapshot, stageOf } from './fixtures.js';

const seen: GatewayRequest[] = [];
let answer: (request: GatewayRequest, stage: CompiledStage) => Promise<HttpAnswer>;
let server: Server;
let base: string;

before(async () => {
  const stages = new DeployedStages();
  stages.deploy(
    stageOf(
      snapshot({ '/x': [method()] }, [], {
        UNAUTHORIZED: { responseType: 'UNAUTHORIZED', statusCode: '499' },
      }),
    ),
  );
  server = createGatewayServer({
    stages,
    pipeline: (request, stage) => {
      seen.push(request);
      return answer(request, stage);
    },
    logger: silentLogger(),
    now: Date.now,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(resolve));
});

test("the pipeline's answer is sent with its headers, case and repeats kept, plus AWS's ids", async () => {
  seen.length = 0;
  answer = () =>
    Promise.resolve({
      statusCode: 201,
      headers: [
        ['X-Case', 'Kept'],
        ['Set-Cookie', 'a=1'],
        ['Set-Cookie', 'b=2'],
      ],
      body: 'made',
    });
  const res = await fetch(`${base}/prod/x?q=1`, {
    method: 'POST',
    body: 'in',
    headers: { 'X-Mine': 'v' },
  });
  assert.equal(res.status, 201);
  assert.equal(await res.text(), 'made');
  assert.equal(res.headers.get('x-case'), 'Kept');
  assert.deepEqual(res.headers.getSetCookie(), ['a=1', 'b=2']);
  assert.equal(res.headers.get('content-type'), 'application/json');
  const requestId = res.headers.get('x-amzn-requestid')!;
  assert.match(requestId, /^[0-9a-f-]{36}$/);
  const request = seen[0]!;
  assert.equal(request.requestId, requestId);
  assert.deepEqual(
    [request.httpMethod, request.path, request.rawQuery, request.target, request.body.toString()],
    ['POST', '/x', 'q=1', '/prod/x?q=1', 'in'],
  );
  assert.equal(request.headersLower.get('x-mine'), 'v');
});

test("a gateway response error is rendered with the stage's overrides", async () => {
  answer = () => Promise.reject(new UnauthorizedError());
  const res = await fetch(`${base}/prod/x`);
  assert.equal(res.status, 499);
  assert.equal(res.headers.get('x-amzn-errortype'), 'UnauthorizedException');
  assert.equal(await res.text(), '{"message":"Unauthorized"}');
});

test('a stage that is not deployed is 403 Forbidden, without the pipeline', async () => {
  seen.length = 0;
  const res = await fetch(`${base}/nostage/x`);
  assert.equal(res.status, 403);
  assert.equal(res.headers.get('x-amzn-errortype'), 'ForbiddenException');
  assert.equal(await res.text(), '{"message":"Forbidden"}');
  assert.equal(seen.length, 0);
});

test('the /restapis/{id}/{stage}/_user_request_/ form reaches the same stage', async () => {
  seen.length = 0;
  answer = () => Promise.resolve({ statusCode: 200, headers: [], body: '' });
  const res = await fetch(`${base}/restapis/${API_ID}/prod/_user_request_/x`);
  assert.equal(res.status, 200);
  assert.equal(seen[0]!.path, '/x');
});

/** Sends a request line as written: fetch would normalise the path first. */
function rawRequest(target: string): Promise<string> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () =>
      socket.write(`GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`),
    );
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString()));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

test('a path whose meaning depends on who reads it is refused before routing (400)', async () => {
  seen.length = 0;
  for (const target of ['/prod/a/../x', '/prod/a%2Fb', '/prod//x', '/prod/%zz']) {
    const text = await rawRequest(target);
    assert.match(text, /^HTTP\/1\.1 400 /, target);
    assert.match(text, /\{"message":"Bad Request"\}$/, target);
  }
  assert.equal(seen.length, 0);
});

test('an unexpected failure is the default 500 through responses.ts, the server lives on', async () => {
  answer = () => Promise.reject(new TypeError('bug'));
  const res = await fetch(`${base}/prod/x`);
  assert.equal(res.status, 500);
  assert.equal(res.headers.get('x-amzn-errortype'), 'InternalServerErrorException');
  assert.match(res.headers.get('x-amzn-requestid')!, /^[0-9a-f-]{36}$/);
  assert.equal(await res.text(), '{"message":"Internal server error"}');
  answer = () => Promise.resolve({ statusCode: 204, headers: [], body: '' });
  assert.equal((await fetch(`${base}/prod/x`)).status, 204);
});
