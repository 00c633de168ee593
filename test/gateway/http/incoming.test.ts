// http/incoming.ts: a node:http request becomes the pipeline's view of it, once.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { ownValue } from '../../../src/gateway/any-key-map.js';
import { RequestTooLargeError } from '../../../src/gateway/errors.js';
import {
  headerMaps,
  queryMaps,
  readBody,
  toGatewayRequest,
} from '../../../src/gateway/http/incoming.js';

test('headers keep the client name case and order; the lower-case map keeps the last value', () => {
  const { headers, lower } = headerMaps(['X-A', '1', 'x-a', '2', 'Host', 'h']);
  assert.deepEqual({ ...headers.single }, { 'X-A': '1', 'x-a': '2', Host: 'h' });
  assert.deepEqual({ ...headers.multi }, { 'X-A': ['1'], 'x-a': ['2'], Host: ['h'] });
  assert.equal(lower.get('x-a'), '2');
});

test('a header or query key named __proto__ or constructor is a plain key (any-key maps)', () => {
  const { headers } = headerMaps(['__proto__', 'p', 'constructor', 'c']);
  const inheritsNothing = (map: object) =>
    ['hasOwnProperty', 'valueOf', 'isPrototypeOf'].every((name) => !(name in map));
  assert.ok(inheritsNothing(headers.single) && inheritsNothing(headers.multi));
  assert.equal(headers.single.__proto__, 'p');
  assert.deepEqual(headers.multi.constructor, ['c']);
  const query = queryMaps('__proto__=1&toString=2');
  assert.ok(inheritsNothing(query.single));
  assert.equal(query.single.__proto__, '1');
  assert.equal(ownValue(query.single, 'toString'), '2');
});

test('query values are decoded, + is a space, a bad escape stays as sent, repeats keep order', () => {
  const q = queryMaps('a=1&a=2&b=x+y&c=%E2%82%AC&d=%zz&e&=f&&');
  assert.deepEqual({ ...q.single }, { a: '2', b: 'x y', c: '€', d: '%zz', e: '', '': 'f' });
  assert.deepEqual(q.multi.a, ['1', '2']);
});

function fakeRequest(chunks: string[]) {
  const stream = new PassThrough();
  for (const c of chunks) stream.write(c);
  stream.end();
  return stream as unknown as IncomingMessage;
}

test('a body is read whole; one over the limit is refused with REQUEST_TOO_LARGE', async () => {
  assert.equal((await readBody(fakeRequest(['ab', 'cd']))).toString(), 'abcd');
  await assert.rejects(readBody(fakeRequest(['abc', 'def']), 5), RequestTooLargeError);
});

test('toGatewayRequest keeps the request target as sent and the client address without ::ffff:', () => {
  const req = {
    rawHeaders: ['Host', 'api.example', 'X-Amz-Date', 'd'],
    method: 'POST',
    url: '/prod/a%2Fb?x=1',
    httpVersion: '1.1',
    socket: { remoteAddress: '::ffff:10.0.0.1' },
  } as unknown as IncomingMessage;
  const request = toGatewayRequest(req, Buffer.from('b'), '/a', 'x=1', 'id-1', 5);
  assert.equal(request.target, '/prod/a%2Fb?x=1');
  assert.equal(request.sourceIp, '10.0.0.1');
  assert.equal(request.domainName, 'api.example');
  assert.equal(request.protocol, 'HTTP/1.1');
  assert.equal(request.headersLower.get('x-amz-date'), 'd');
  assert.equal(request.query.single.x, '1');
  assert.equal(request.requestTimeEpoch, 5);
});
