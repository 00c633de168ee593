// The walkthrough's answers (docs/walkthrough.md), asserted the same way for every project format
// that reproduces it: no header → 401, `allow` → the function's answer, `deny` → explicit-deny 403.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { call } from './harness.js';

/** Registers the walkthrough's cases against `url()` (the stage's /sayhello URL). */
export function itAnswersTheWalkthrough(url: () => string): void {
  it('without the jwt_token header: 401 {"message":"Unauthorized"} (identity source missing)', async () => {
    const r = await call(url());
    assert.equal(r.status, 401);
    assert.equal(r.body, '{"message":"Unauthorized"}');
    assert.equal(r.headers['x-amzn-errortype'], 'UnauthorizedException');
    assert.equal(r.headers['content-type'], 'application/json');
    assert.match(String(r.headers['x-amzn-requestid']), /^[0-9a-f-]{36}$/);
  });

  it('jwt_token: allow reaches the function through AWS_PROXY', async () => {
    const r = await call(url(), { headers: { jwt_token: 'allow' } });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json(), { message: 'Hello from Lambda!', principalId: 'user|allow' });
    assert.match(String(r.headers['x-amzn-requestid']), /^[0-9a-f-]{36}$/);
  });

  it('jwt_token: deny answers the explicit-deny 403', async () => {
    const r = await call(url(), { headers: { jwt_token: 'deny' } });
    assert.equal(r.status, 403);
    assert.equal(
      r.body,
      '{"Message":"User is not authorized to access this resource with an explicit deny"}',
    );
    assert.equal(r.headers['x-amzn-errortype'], 'AccessDeniedException');
  });

  it('jwt_token: unauthorized — the authorizer throws Error("Unauthorized") → 401', async () => {
    const r = await call(url(), { headers: { jwt_token: 'unauthorized' } });
    assert.equal(r.status, 401);
    assert.equal(r.body, '{"message":"Unauthorized"}');
  });
}
