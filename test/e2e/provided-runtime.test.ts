// A custom runtime through the real CLI: the function's own `bootstrap` (a shell script with
// curl) speaks the Runtime API. https://docs.aws.amazon.com/lambda/latest/dg/runtimes-custom.html
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, serve, type Served } from './harness.js';

describe('examples/provided (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-walkthrough.html)', () => {
  let s: Served;
  before(async () => {
    s = await serve(['--config', 'examples/provided']);
  });
  after(async () => {
    assert.equal(await s.stop(), 0);
  });

  it('GET /dev/hello: 200 with the bootstrap’s answer, twice from one warm process', async () => {
    for (let i = 0; i < 2; i++) {
      const r = await call(`${s.base}/dev/hello`);
      assert.equal(r.status, 200);
      assert.equal(r.body, '{"message":"Hello from a custom runtime!"}');
      assert.equal(r.headers['content-type'], 'application/json');
    }
  });

  it('a handler failure posted to /invocation/{id}/error: 502, then it serves again', async () => {
    const r = await call(`${s.base}/dev/hello?fail=true`);
    assert.equal(r.status, 502);
    assert.equal(r.body, '{"message":"Internal server error"}');
    assert.equal((await call(`${s.base}/dev/hello`)).status, 200);
  });
});
