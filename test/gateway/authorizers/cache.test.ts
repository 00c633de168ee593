// https://docs.aws.amazon.com/apigateway/latest/api/API_Authorizer.html (authorizerResultTtlInSeconds)
// https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AuthorizerCache,
  authorizerCacheKey,
  authorizerCachePrefix,
} from '../../../src/gateway/authorizers/cache.js';
import type { AuthorizerResult } from '../../../src/gateway/authorizers/output.js';
import { compilePolicy } from '../../../src/gateway/authorizers/policy.js';

function result(principalId: string): AuthorizerResult {
  const policy = compilePolicy({ Statement: { Effect: 'Allow', Action: '*', Resource: '*' } });
  return { principalId, policy, context: {} };
}

function fakeClock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('authorizer cache: TTL', () => {
  it('a cached result is returned until its TTL elapses, then expires', () => {
    const clock = fakeClock();
    const cache = new AuthorizerCache({ now: clock.now });
    const value = result('u1');
    cache.set('k', value, 300);
    assert.equal(cache.get('k'), value);
    clock.advance(299_999);
    assert.equal(cache.get('k'), value);
    clock.advance(1);
    assert.equal(cache.get('k'), undefined);
    assert.equal(cache.size, 0);
  });

  it('"If it equals 0, authorization caching is disabled": set() stores nothing', () => {
    const cache = new AuthorizerCache({ now: () => 0 });
    cache.set('k', result('u'), 0);
    assert.equal(cache.get('k'), undefined);
    assert.equal(cache.size, 0);
  });

  it('setting a key again replaces the value and restarts its TTL', () => {
    const clock = fakeClock();
    const cache = new AuthorizerCache({ now: clock.now });
    cache.set('k', result('a'), 10);
    clock.advance(9_000);
    const b = result('b');
    cache.set('k', b, 10);
    clock.advance(9_000);
    assert.equal(cache.get('k'), b);
    assert.equal(cache.size, 1);
  });
});

describe('authorizer cache: bounds and flush', () => {
  it('evicts the oldest entry when full', () => {
    const cache = new AuthorizerCache({ now: () => 0, maxEntries: 2 });
    cache.set('a', result('a'), 60);
    cache.set('b', result('b'), 60);
    cache.set('c', result('c'), 60);
    assert.equal(cache.size, 2);
    assert.equal(cache.get('a'), undefined);
    assert.equal(cache.get('b')?.principalId, 'b');
    assert.equal(cache.get('c')?.principalId, 'c');
  });

  it('re-setting a key makes it the newest, so it survives the next eviction', () => {
    const cache = new AuthorizerCache({ now: () => 0, maxEntries: 2 });
    cache.set('a', result('a'), 60);
    cache.set('b', result('b'), 60);
    cache.set('a', result('a2'), 60);
    cache.set('c', result('c'), 60);
    assert.equal(cache.get('b'), undefined);
    assert.equal(cache.get('a')?.principalId, 'a2');
  });

  it('flush(prefix) drops one stage of one API (FlushStageAuthorizersCache), flush() drops all', () => {
    const cache = new AuthorizerCache({ now: () => 0 });
    cache.set(authorizerCacheKey('api1', 'prod', 'auth1', ['t']), result('1'), 60);
    cache.set(authorizerCacheKey('api1', 'prod', 'auth2', ['t']), result('2'), 60);
    cache.set(authorizerCacheKey('api1', 'dev', 'auth1', ['t']), result('3'), 60);
    cache.set(authorizerCacheKey('api2', 'prod', 'auth1', ['t']), result('4'), 60);
    cache.flush(authorizerCachePrefix('api1', 'prod'));
    assert.equal(cache.size, 2);
    assert.equal(cache.get(authorizerCacheKey('api1', 'dev', 'auth1', ['t']))?.principalId, '3');
    cache.flush(authorizerCachePrefix('api2'));
    assert.equal(cache.size, 1);
    cache.flush();
    assert.equal(cache.size, 0);
  });

  it('a stage prefix does not match a longer stage name (prod vs prod2)', () => {
    const cache = new AuthorizerCache({ now: () => 0 });
    cache.set(authorizerCacheKey('api', 'prod2', 'a', ['t']), result('x'), 60);
    cache.flush(authorizerCachePrefix('api', 'prod'));
    assert.equal(cache.size, 1);
  });
});

describe('authorizer cache key', () => {
  it('TOKEN: keyed by the token, per API, stage and authorizer', () => {
    const k = authorizerCacheKey('api', 'prod', 'auth', ['Bearer x']);
    assert.equal(k, authorizerCacheKey('api', 'prod', 'auth', ['Bearer x']));
    assert.notEqual(k, authorizerCacheKey('api', 'prod', 'auth', ['Bearer y']));
    assert.notEqual(k, authorizerCacheKey('api', 'dev', 'auth', ['Bearer x']));
    assert.notEqual(k, authorizerCacheKey('api', 'prod', 'other', ['Bearer x']));
  });

  it('REQUEST: keyed by all identity source values; values cannot run into each other', () => {
    assert.notEqual(
      authorizerCacheKey('api', 's', 'a', ['ab', 'c']),
      authorizerCacheKey('api', 's', 'a', ['a', 'bc']),
    );
    assert.notEqual(
      authorizerCacheKey('api', 's', 'a', ['1:x']),
      authorizerCacheKey('api', 's', 'a', ['1', 'x']),
    );
  });
});
