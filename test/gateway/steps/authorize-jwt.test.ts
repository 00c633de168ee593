// steps/authorize-jwt.ts: COGNITO_USER_POOLS methods; every refusal is 401 UNAUTHORIZED.
// https://repost.aws/knowledge-center/api-gateway-cognito-401-unauthorized
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type {
  JwtAuthorizer,
  TokenOutcome,
} from '../../../src/gateway/authorizers/jwt/jwt-authorizer.js';
import { compileIdentitySource } from '../../../src/gateway/authorizers/identity-source.js';
import { UnauthorizedError } from '../../../src/gateway/errors.js';
import {
  createAuthorizeJwtStep,
  ExpiredTokenError,
} from '../../../src/gateway/steps/authorize-jwt.js';
import { exchangeFor, method, silentLogger, snapshot, stageOf } from '../fixtures.js';

const stage = stageOf(snapshot({ '/x': [method()] }));
const step = createAuthorizeJwtStep({ logger: silentLogger(), now: () => 0 });

/** A JwtAuthorizer whose verdict is scripted; records the tokens it was asked about. */
function authorizer(outcome: TokenOutcome, seen: string[] = []): JwtAuthorizer {
  return {
    id: 'pool01',
    name: 'pool',
    identitySource: compileIdentitySource('method.request.header.Authorization', 'TOKEN'),
    check: (token: string) => {
      seen.push(token);
      return Promise.resolve(outcome);
    },
  } as unknown as JwtAuthorizer;
}

const VALID: TokenOutcome = {
  ok: true,
  token: { claims: { sub: 'u-1', scope: 'read write' }, awsClaims: { sub: 'u-1' } },
} as unknown as TokenOutcome;

const jwt = (a: JwtAuthorizer, scopes?: string[]) => ({
  kind: 'jwt' as const,
  authorizer: a,
  scopes,
});
const bearer = (value: string) => ({
  url: '/x',
  headers: [['Authorization', value]] as [string, string][],
});

test('a valid token, raw or after "Bearer ", fills the claims', async () => {
  const seen: string[] = [];
  for (const value of ['tok', 'Bearer tok', 'bearer   tok']) {
    const exchange = exchangeFor(stage, bearer(value));
    await step(exchange, jwt(authorizer(VALID, seen)));
    assert.equal(exchange.authorizer?.principalId, 'u-1');
    assert.deepEqual(exchange.authorizer?.claims, { sub: 'u-1' });
  }
  assert.deepEqual(seen, ['tok', 'tok', 'tok']);
});

test('no token is 401 without checking anything', async () => {
  const seen: string[] = [];
  await assert.rejects(
    step(exchangeFor(stage, { url: '/x' }), jwt(authorizer(VALID, seen))),
    UnauthorizedError,
  );
  assert.deepEqual(seen, []);
});

test('an expired token is 401 "The incoming token has expired"; a bad one 401 "Unauthorized"', async () => {
  const expired = await step(
    exchangeFor(stage, bearer('t')),
    jwt(authorizer({ ok: false, reason: 'exp', expired: true } as unknown as TokenOutcome)),
  ).catch((e: unknown) => e);
  assert.ok(expired instanceof ExpiredTokenError);
  assert.deepEqual(
    [expired.responseType, expired.messageString],
    ['UNAUTHORIZED', 'The incoming token has expired'],
  );
  await assert.rejects(
    step(
      exchangeFor(stage, bearer('t')),
      jwt(authorizer({ ok: false, reason: 'sig' } as unknown as TokenOutcome)),
    ),
    (e: unknown) => e instanceof UnauthorizedError && e.messageString === 'Unauthorized',
  );
});

test('a token without one of the method scopes is 401', async () => {
  await assert.rejects(
    step(exchangeFor(stage, bearer('t')), jwt(authorizer(VALID), ['admin'])),
    UnauthorizedError,
  );
  const exchange = exchangeFor(stage, bearer('t'));
  await step(exchange, jwt(authorizer(VALID), ['admin', 'write']));
  assert.equal(exchange.authorizer?.principalId, 'u-1');
});
