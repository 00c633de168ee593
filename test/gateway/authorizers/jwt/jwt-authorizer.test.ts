// The per-deployment authorizer: verified tokens cached for authorizerResultTtlInSeconds, never
// past their exp; identityValidationExpression matched against `aud`.
// https://docs.aws.amazon.com/apigateway/latest/api/API_Authorizer.html
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JwtAuthorizer } from '../../../../src/gateway/authorizers/jwt/jwt-authorizer.js';
import type { Authorizer } from '../../../../src/model/types.js';
import { ISSUER, T0, fakeIssuer, sec } from './helpers.js';

const authorizer = (extra: Partial<Authorizer> = {}): Authorizer => ({
  id: 'abc123',
  name: 'jwt',
  type: 'COGNITO_USER_POOLS',
  authorizerResultTtlInSeconds: 300,
  jwtConfiguration: { issuer: ISSUER, jwksUri: `${ISSUER}/jwks.json` },
  ...extra,
});

describe('JwtAuthorizer', () => {
  it('identity source defaults to the Authorization header', () => {
    assert.deepEqual(new JwtAuthorizer(authorizer()).identitySource.expressions, [
      'method.request.header.Authorization',
    ]);
  });

  it('caches a verified token for the TTL, but never past its exp', async () => {
    const idp = await fakeIssuer();
    const jwt = new JwtAuthorizer(authorizer(), { fetch: idp.fetch, maxAgeMs: 1_000 });
    const token = await idp.sign({ sub: 'u', exp: sec(T0) + 100 });
    assert.equal((await jwt.check(token, T0)).ok, true);
    idp.mode = 'fail';
    // Keys are stale after 1 s, but the cached result still answers…
    assert.equal((await jwt.check(token, T0 + 50_000)).ok, true);
    // …until the token's own exp, when it is verified again (and found expired).
    idp.mode = 'ok';
    const r = await jwt.check(token, T0 + 100_000);
    assert.equal(r.ok === false && r.expired, true);
  });

  it('TTL 0: every request verifies', async () => {
    const idp = await fakeIssuer();
    const jwt = new JwtAuthorizer(authorizer({ authorizerResultTtlInSeconds: 0 }), {
      fetch: idp.fetch,
      maxAgeMs: 1_000,
    });
    const token = await idp.sign({ sub: 'u', exp: sec(T0) + 100 });
    assert.equal((await jwt.check(token, T0)).ok, true);
    idp.mode = 'fail';
    assert.equal((await jwt.check(token, T0 + 50_000)).ok, false);
  });

  it('identityValidationExpression is matched against aud', async () => {
    const idp = await fakeIssuer();
    const jwt = new JwtAuthorizer(authorizer({ identityValidationExpression: '^web-' }), {
      fetch: idp.fetch,
    });
    const exp = sec(T0) + 100;
    assert.equal((await jwt.check(await idp.sign({ aud: 'web-app', exp }), T0)).ok, true);
    const r = await jwt.check(await idp.sign({ aud: 'cli', exp }), T0);
    assert.equal(r.ok ? '' : r.reason, 'aud does not match identityValidationExpression');
  });
});
