// The JWT verifier and its key set, with a fake clock and a fake JWKS endpoint.
// https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { SignJWT, base64url } from 'jose';
import type { ResolvedJwtConfig } from '../../../../src/gateway/authorizers/jwt/config.js';
import { JwtVerifier, methodAccepts } from '../../../../src/gateway/authorizers/jwt/verifier.js';
import { ISSUER, T0, fakeIssuer, sec, type FakeIssuer } from './helpers.js';

const config = (extra: Partial<ResolvedJwtConfig> = {}): ResolvedJwtConfig => ({
  issuers: [{ issuer: ISSUER, jwksUri: `${ISSUER}/jwks.json` }],
  audience: new Set(['client-a']),
  algorithms: ['RS256', 'ES256'],
  clockSkewSeconds: 0,
  ...extra,
});
const tuning = (idp: FakeIssuer) => ({
  fetch: idp.fetch,
  timeoutMs: 50,
  maxAgeMs: 60_000,
  cooldownMs: 10_000,
});
const claims = (extra: Record<string, unknown> = {}) => ({
  sub: 'u',
  aud: 'client-a',
  iat: sec(T0),
  exp: sec(T0) + 3600,
  ...extra,
});

let idp: FakeIssuer;
let verifier: JwtVerifier;
beforeEach(async () => {
  idp = await fakeIssuer();
  verifier = new JwtVerifier(config(), tuning(idp));
});

const reasonOf = (r: Awaited<ReturnType<JwtVerifier['verify']>>) => (r.ok ? 'ok' : r.reason);

describe('JwtVerifier: claims', () => {
  it('a valid RS256 or ES256 token verifies; its claims come back', async () => {
    for (const alg of ['RS256', 'ES256'] as const) {
      const r = await verifier.verify(await idp.sign(claims(), { alg }), T0);
      assert.deepEqual(r.ok && r.claims.sub, 'u');
    }
  });

  it('exp is judged by the injected clock, with the configured skew', async () => {
    const token = await idp.sign(claims());
    const late = T0 + 3600_000 + 30_000;
    assert.deepEqual(await verifier.verify(token, late), {
      ok: false,
      expired: true,
      reason: 'token expired',
    });
    const lenient = new JwtVerifier(config({ clockSkewSeconds: 60 }), tuning(idp));
    assert.equal((await lenient.verify(token, late)).ok, true);
  });

  it('nbf in the future is refused (not as "expired")', async () => {
    const r = await verifier.verify(await idp.sign(claims({ nbf: sec(T0) + 60 })), T0);
    assert.equal(r.ok || r.expired, false);
    assert.match(reasonOf(r), /nbf/);
  });

  it('audience: aud (string or list), else client_id, must be accepted', async () => {
    const ok = async (c: Record<string, unknown>) =>
      (await verifier.verify(await idp.sign(claims(c)), T0)).ok;
    assert.equal(await ok({ aud: ['x', 'client-a'] }), true);
    assert.equal(await ok({ aud: 'x' }), false);
    assert.equal(await ok({ aud: undefined, client_id: 'client-a' }), true);
    assert.equal(await ok({ aud: undefined, client_id: 'x' }), false);
  });

  it('an untrusted issuer is refused before any key fetch', async () => {
    const r = await verifier.verify(await idp.sign(claims({ iss: 'https://evil' })), T0);
    assert.equal(reasonOf(r), 'issuer https://evil not trusted');
    assert.deepEqual(idp.calls, []);
  });
});

describe('JwtVerifier: algorithms', () => {
  it('alg none is refused before any key fetch', async () => {
    const enc = (o: object) => base64url.encode(JSON.stringify(o));
    const r = await verifier.verify(
      `${enc({ alg: 'none' })}.${enc({ ...claims(), iss: ISSUER })}.`,
      T0,
    );
    assert.equal(reasonOf(r), 'alg none not allowed');
    assert.deepEqual(idp.calls, []);
  });

  it('HS256 with the RSA public key as the secret is refused (no alg confusion)', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(idp.publicJwk('RS256')));
    const token = await new SignJWT({ ...claims(), iss: ISSUER })
      .setProtectedHeader({ alg: 'HS256', kid: 'rs-1' })
      .sign(secret);
    assert.equal(reasonOf(await verifier.verify(token, T0)), 'alg HS256 not allowed');
  });

  it('an algorithm off the allowlist is refused even when the key exists', async () => {
    const rsOnly = new JwtVerifier(config({ algorithms: ['RS256'] }), tuning(idp));
    const r = await rsOnly.verify(await idp.sign(claims(), { alg: 'ES256' }), T0);
    assert.equal(reasonOf(r), 'alg ES256 not allowed');
  });

  it('garbage is "not a JWT"', async () => {
    assert.equal(reasonOf(await verifier.verify('allow', T0)), 'not a JWT');
  });
});

describe('RemoteKeySet: fetching, rotation, outages', () => {
  it('keys are fetched once and reused; concurrent first requests share one fetch', async () => {
    const token = await idp.sign(claims());
    const results = await Promise.all([1, 2, 3].map(() => verifier.verify(token, T0)));
    assert.ok(results.every((r) => r.ok));
    await verifier.verify(token, T0 + 1000);
    assert.deepEqual(idp.calls, [`${ISSUER}/jwks.json`]);
  });

  it('without a jwksUri, OIDC discovery finds it', async () => {
    const discovering = new JwtVerifier(
      config({ issuers: [{ issuer: ISSUER, jwksUri: undefined }] }),
      tuning(idp),
    );
    assert.equal((await discovering.verify(await idp.sign(claims()), T0)).ok, true);
    assert.deepEqual(idp.calls, [`${ISSUER}/.well-known/openid-configuration`, `${ISSUER}/keys`]);
  });

  it('a kid miss refreshes once, rate-limited by the cooldown', async () => {
    await verifier.verify(await idp.sign(claims()), T0);
    await idp.rotate();
    const rotated = await idp.sign(claims());
    // Within the cooldown of the first fetch: no refetch, the unknown kid is refused.
    assert.match(reasonOf(await verifier.verify(rotated, T0 + 5_000)), /NO_MATCHING_KEY/);
    assert.equal(idp.calls.length, 1);
    // After it: one refetch, and the new key verifies.
    assert.equal((await verifier.verify(rotated, T0 + 10_000)).ok, true);
    assert.equal(idp.calls.length, 2);
    // A flood of unknown kids right after costs no more fetches.
    for (let i = 0; i < 5; i++)
      await verifier.verify(await idp.sign(claims(), { kid: `x${i}` }), T0 + 11_000);
    assert.equal(idp.calls.length, 2);
  });

  it('JWKS down: cached keys serve until maxAge, then refusals say why', async () => {
    const token = await idp.sign(claims());
    assert.equal((await verifier.verify(token, T0)).ok, true);
    idp.mode = 'fail';
    assert.equal((await verifier.verify(token, T0 + 59_999)).ok, true);
    const r = await verifier.verify(token, T0 + 60_000);
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.keySetUnavailable, true);
    assert.match(reasonOf(r), /unavailable: .*HTTP 503/);
    // The failed attempt starts a cooldown: no fetch per request while the endpoint is down.
    await verifier.verify(token, T0 + 61_000);
    assert.equal(idp.calls.length, 2);
    // Back up after the cooldown: keys again.
    idp.mode = 'ok';
    assert.equal((await verifier.verify(token, T0 + 70_000)).ok, true);
  });

  it('a JWKS endpoint that hangs costs one timeout, never a hang', async () => {
    idp.mode = 'hang';
    // AbortSignal.timeout's timer does not hold the event loop open; a server's socket would.
    const keepAlive = setTimeout(() => undefined, 120_000);
    // A hang would never answer at all; an answer naming the abort is the fetch deadline at work.
    const r = await verifier.verify(await idp.sign(claims()), T0);
    clearTimeout(keepAlive);
    assert.equal(!r.ok && r.keySetUnavailable, true);
    assert.match(reasonOf(r), /aborted|timeout/i);
  });
});

describe('methodAccepts: token type and authorizationScopes', () => {
  // https://docs.aws.amazon.com/apigateway/latest/api/API_Method.html#apigw-Type-Method-authorizationScopes
  it('no scopes on the method: an ID token (or a token without token_use)', () => {
    assert.equal(methodAccepts({ token_use: 'id' }, undefined), undefined);
    assert.equal(methodAccepts({}, []), undefined);
    assert.equal(
      methodAccepts({ token_use: 'access' }, undefined),
      'token_use "access": ID token expected',
    );
  });

  it('scopes on the method: an access token holding any one of them', () => {
    const scopes = ['a/read', 'a/write'];
    assert.equal(methodAccepts({ token_use: 'access', scope: 'x a/write' }, scopes), undefined);
    assert.equal(methodAccepts({ scp: ['a/read'] }, scopes), undefined);
    assert.equal(
      methodAccepts({ token_use: 'access', scope: 'x' }, scopes),
      'none of the method scopes granted',
    );
    assert.equal(
      methodAccepts({ token_use: 'id', scope: 'a/read' }, scopes),
      'token_use "id": access token expected',
    );
  });
});
