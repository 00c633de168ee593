// https://docs.aws.amazon.com/apigateway/latest/api/API_Authorizer.html (authorizerResultTtlInSeconds)
// https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html
import { describe, it } from 'node:test';
import fc from 'fast-check';
import assert from 'node:assert/strict';
import {
  AuthorizerCache,
  authorizerCacheKey,
  authorizerCachePrefix,
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_ENTRIES,
  ENTRY_OVERHEAD_BYTES,
} from '../../../src/gateway/authorizers/cache.js';
import { parsePositiveInteger } from '../../../src/cli/options.js';
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

describe('authorizer cache: the documented maximum (serve --authorizer-cache-entries/-mib)', () => {
  /** Bytes an entry is counted as: two per character of key and payload, plus the overhead. */
  const sizeOf = (key: string, payload: string) =>
    2 * (key.length + payload.length) + ENTRY_OVERHEAD_BYTES;

  it('defaults: 10,000 entries and 64 MiB', () => {
    const cache = new AuthorizerCache();
    assert.equal(cache.maxEntries, DEFAULT_MAX_ENTRIES);
    assert.equal(DEFAULT_MAX_ENTRIES, 10_000);
    assert.equal(cache.maxBytes, DEFAULT_MAX_BYTES);
    assert.equal(DEFAULT_MAX_BYTES, 64 * 2 ** 20);
  });

  it('100,000 distinct tokens leave at most maxEntries entries, the newest ones', () => {
    const cache = new AuthorizerCache({ now: () => 0 });
    const value = result('u');
    const key = (i: number) => authorizerCacheKey('api', 'prod', 'auth', [`token-${i}`]);
    for (let i = 0; i < 100_000; i++) cache.set(key(i), value, 300, '{}');
    assert.equal(cache.size, DEFAULT_MAX_ENTRIES);
    assert.equal(cache.get(key(0)), undefined);
    assert.equal(cache.get(key(89_999)), undefined);
    assert.equal(cache.get(key(90_000)), value);
    assert.equal(cache.get(key(99_999)), value);
    assert.ok(cache.bytes <= cache.maxBytes);
  });

  it('evicts the oldest entries when the next one would pass maxBytes', () => {
    const payload = 'x'.repeat(100);
    const one = sizeOf('a', payload);
    const cache = new AuthorizerCache({ now: () => 0, maxBytes: 2 * one });
    cache.set('a', result('a'), 60, payload);
    cache.set('b', result('b'), 60, payload);
    assert.equal(cache.bytes, 2 * one);
    cache.set('c', result('c'), 60, payload);
    assert.equal(cache.size, 2);
    assert.equal(cache.bytes, 2 * one);
    assert.equal(cache.get('a'), undefined);
    assert.equal(cache.get('c')?.principalId, 'c');
    // A bigger answer pushes out as many old entries as it needs.
    cache.set('d', result('d'), 60, payload + payload);
    assert.equal(cache.size, 1);
    assert.equal(cache.get('d')?.principalId, 'd');
  });

  it('an answer bigger than the whole bound is not kept, and evicts nothing', () => {
    const cache = new AuthorizerCache({ now: () => 0, maxBytes: 4096 });
    cache.set('a', result('a'), 60, '{}');
    cache.set('big', result('big'), 60, 'x'.repeat(4096));
    assert.equal(cache.get('big'), undefined);
    assert.equal(cache.get('a')?.principalId, 'a');
  });

  it('the TTL still holds for entries that survive evictions', () => {
    const clock = fakeClock();
    const cache = new AuthorizerCache({ now: clock.now, maxEntries: 2 });
    cache.set('a', result('a'), 10);
    cache.set('b', result('b'), 1);
    cache.set('c', result('c'), 10);
    clock.advance(1_000);
    assert.equal(cache.get('b'), undefined);
    assert.equal(cache.get('c')?.principalId, 'c');
    clock.advance(9_000);
    assert.equal(cache.get('c'), undefined);
  });

  it('flush gives back the bytes, so the bound counts only what is held', () => {
    const cache = new AuthorizerCache({ now: () => 0 });
    cache.set(authorizerCacheKey('api', 'prod', 'a', ['t']), result('1'), 60, '{"p":1}');
    cache.set(authorizerCacheKey('api', 'dev', 'a', ['t']), result('2'), 60, '{"p":2}');
    cache.flush(authorizerCachePrefix('api', 'prod'));
    assert.equal(cache.bytes, sizeOf(authorizerCacheKey('api', 'dev', 'a', ['t']), '{"p":2}'));
    cache.flush();
    assert.equal(cache.bytes, 0);
  });

  it('an answer set with TTL 0 replaces an older entry of its key: the older one is not served', () => {
    // The property below found it (seed -2124118634): set k (TTL 1), set k (TTL 0), get k.
    const cache = new AuthorizerCache({ now: fakeClock().now });
    cache.set('k', result('old'), 1, '');
    cache.set('k', result('new'), 0, '');
    assert.equal(cache.get('k'), undefined);
    assert.equal(cache.size, 0);
  });

  it('property: within both bounds, a get answers the last set of its key until its TTL, else nothing', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('set' as const),
        key: fc.integer({ min: 0, max: 7 }),
        ttl: fc.integer({ min: 0, max: 5 }),
        size: fc.integer({ min: 0, max: 300 }),
      }),
      fc.record({ kind: fc.constant('get' as const), key: fc.integer({ min: 0, max: 7 }) }),
      fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 3000 }) }),
      fc.record({ kind: fc.constant('flush' as const) }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: ENTRY_OVERHEAD_BYTES, max: 4 * ENTRY_OVERHEAD_BYTES }),
        fc.array(op, { maxLength: 60 }),
        (maxEntries, maxBytes, ops) => {
          const clock = fakeClock();
          const cache = new AuthorizerCache({ now: clock.now, maxEntries, maxBytes });
          // What was last set per key and until when: a hit must be exactly that, still fresh.
          const model = new Map<string, { value: AuthorizerResult; until: number }>();
          for (const o of ops) {
            if (o.kind === 'tick') clock.advance(o.ms);
            else if (o.kind === 'flush') {
              cache.flush();
              model.clear();
            } else if (o.kind === 'set') {
              const value = result(`v${o.key}`);
              cache.set(`k${o.key}`, value, o.ttl, 'p'.repeat(o.size));
              if (o.ttl > 0) model.set(`k${o.key}`, { value, until: clock.now() + o.ttl * 1000 });
              else model.delete(`k${o.key}`);
            } else {
              const got = cache.get(`k${o.key}`);
              const want = model.get(`k${o.key}`);
              if (got !== undefined) {
                assert.equal(got, want?.value);
                assert.ok(clock.now() < want!.until, 'served past its TTL');
              }
            }
            assert.ok(cache.size <= maxEntries);
            assert.ok(cache.bytes <= maxBytes);
          }
        },
      ),
    );
  });

  it('serve reads the bounds as whole numbers of at least 1', () => {
    assert.equal(parsePositiveInteger('--authorizer-cache-entries', '50000'), 50_000);
    for (const bad of ['0', '-1', '1.5', 'lots', ''])
      assert.throws(
        () => parsePositiveInteger('--authorizer-cache-entries', bad),
        /--authorizer-cache-entries: expected a whole number of at least 1/,
      );
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
