// The CloudFront hop of an EDGE stage (src/gateway/http/edge-headers.ts), without a server.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-endpoint-types.html
import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import { edgeHeaders, newEdgeHop, viewerDevice } from '../../../src/gateway/http/edge-headers.js';
import { syntheticRequest } from '../../../src/gateway/synthetic-request.js';

const request = (rawHeaders: string[]) =>
  syntheticRequest({
    requestId: 'r',
    httpMethod: 'GET',
    pathWithQueryString: '/',
    rawHeaders,
    body: Buffer.alloc(0),
    sourceIp: '198.51.100.7',
    domainName: 'h',
    now: Date.now(),
  });

it('device flags from User-Agent: desktop unless a phone, tablet or TV says otherwise', () => {
  assert.equal(viewerDevice(undefined), 'Desktop');
  assert.equal(viewerDevice('curl/8.5.0'), 'Desktop');
  assert.equal(
    viewerDevice('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148'),
    'Mobile',
  );
  assert.equal(viewerDevice('Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile Safari'), 'Mobile');
  assert.equal(viewerDevice('Mozilla/5.0 (Linux; Android 13; SM-X200) Safari/537.36'), 'Tablet');
  assert.equal(viewerDevice('Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)'), 'Tablet');
  assert.equal(viewerDevice('Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0)'), 'SmartTV');
});

it('one spelling per name: values of `accept` and `Accept` merge under CloudFront`s case', () => {
  const h = edgeHeaders(
    request(['accept', 'a/b', 'Accept', 'c/d', 'Via', 'spoofed']),
    newEdgeHop(),
    80,
  );
  assert.deepEqual(h.multi.Accept, ['a/b', 'c/d']);
  assert.equal(h.single.Accept, 'c/d');
  assert.ok(!('accept' in h.multi));
  assert.match(h.single.Via!, /^1\.1 [0-9a-f]{32}\.cloudfront\.net \(CloudFront\)$/);
});

it('any headers: names sorted regardless of case, every CloudFront header once', () => {
  const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,12}$/);
  fc.assert(
    fc.property(fc.array(fc.tuple(name, fc.string({ maxLength: 8 }))), (pairs) => {
      const h = edgeHeaders(request(pairs.flat()), newEdgeHop(), 8080);
      const names = Object.keys(h.multi);
      const lower = names.map((n) => n.toLowerCase());
      assert.deepEqual(lower, [...lower].sort());
      assert.equal(new Set(lower).size, lower.length);
      assert.deepEqual(Object.keys(h.single), names);
      assert.equal(h.single['X-Forwarded-Port'], '8080');
      assert.equal(h.single['CloudFront-Forwarded-Proto'], 'http');
      assert.ok(h.single['X-Forwarded-For']!.endsWith('198.51.100.7'));
    }),
  );
});
