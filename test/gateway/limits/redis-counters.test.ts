// RedisCounters and the fallback policy against a real Redis (SALLYPORT_TEST_REDIS), reached
// through a TCP proxy this test can stop: atomic spends from two clients, an outage mid-run served
// on local counts (seeded from Redis's last count) or refused, and the catch-up afterwards.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { LimitsUnavailableError } from '../../../src/gateway/errors.js';
import { FallbackCounters } from '../../../src/gateway/limits/fallback-counters.js';
import { MemoryCounters } from '../../../src/gateway/limits/memory-counters.js';
import { RedisCounters } from '../../../src/gateway/limits/redis-counters.js';
import { quotaWindow } from '../../../src/model/quota-period.js';
import { createLogger } from '../../../src/observability/logger.js';
import { RedisProxy } from '../../e2e/redis-proxy.js';

const REDIS = process.env.SALLYPORT_TEST_REDIS;
const SKIP = REDIS ? false : 'skipped: set SALLYPORT_TEST_REDIS to run';
// Noon, two days from now: Redis expires quota keys at their window's real end (PEXPIREAT), so a
// fixed date would make every count vanish once that day has passed.
const T0 = Math.floor(Date.now() / 86_400_000 + 2) * 86_400_000 + 12 * 3_600_000;
const WINDOW = quotaWindow({ period: 'DAY', offset: 0 }, T0);
const prefix = () => `sallyport-test-${process.pid}-${Math.random().toString(36).slice(2)}:`;

const logged: string[] = [];
const logger = createLogger({
  level: 'info',
  destination: new Writable({
    write(chunk: Buffer, _enc, done) {
      logged.push(chunk.toString());
      done();
    },
  }),
});

const clients: { close(): Promise<void> }[] = [];
after(async () => {
  for (const c of clients) await c.close().catch(() => {});
});

async function redisCounters(url: string, p: string, onState?: (ready: boolean) => void) {
  const counters = new RedisCounters({
    url,
    prefix: p,
    commandTimeoutMs: 300,
    ...(onState ? { onState } : {}),
  });
  clients.push(counters);
  await counters.connect();
  return counters;
}

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('Redis counters', { skip: SKIP }, () => {
  it('two clients racing for one quota spend it exactly, never past the last unit', async () => {
    const p = prefix();
    const a = await redisCounters(REDIS!, p);
    const b = await redisCounters(REDIS!, p);
    const quota = { limit: 37, window: WINDOW };
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).spend('plan:key', quota, T0)),
    );
    assert.equal(results.filter(Boolean).length, 37);
    assert.equal(await a.used('plan:key', WINDOW), 37);
    assert.deepEqual(await b.daily('plan:key', [WINDOW.start]), [37]);
  });

  it('two clients share one token bucket: burst at once, then the rate (injected clock)', async () => {
    const p = prefix();
    const a = await redisCounters(REDIS!, p);
    const b = await redisCounters(REDIS!, p);
    const throttle = { burstLimit: 10, rateLimit: 4 };
    const round = async (now: number) =>
      (
        await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            (i % 2 ? a : b).take([{ name: 'bk', throttle }], now),
          ),
        )
      ).filter(Boolean).length;
    assert.equal(await round(T0), 10);
    assert.equal(await round(T0 + 1000), 4);
    assert.equal(await round(T0 + 1250), 1);
  });

  it('a method and the account bucket in one script: the first empty one refuses', async () => {
    const c = await redisCounters(REDIS!, prefix());
    const method = { name: 'stage:a/prod/x/GET', throttle: { burstLimit: 2, rateLimit: 0.001 } };
    const account = { name: 'account', throttle: { burstLimit: 3, rateLimit: 0.001 } };
    const taken = [];
    for (let i = 0; i < 4; i++) taken.push(await c.take([method, account], T0));
    assert.deepEqual(taken, [true, true, false, false]);
    // The method's bucket refused first, so the account's third token is still there.
    assert.equal(await c.take([account], T0), true);
    assert.equal(await c.take([account], T0), false);
  });

  it('the Lua buckets admit exactly what the in-memory arithmetic admits (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            bucket: fc.constantFrom('x' as const, 'y' as const),
            gap: fc.integer({ min: 0, max: 1500 }),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        async (steps) => {
          const redis = await redisCounters(REDIS!, prefix());
          const memory = new MemoryCounters();
          const throttles = {
            x: { burstLimit: 3, rateLimit: 2 },
            y: { burstLimit: 1, rateLimit: 0.5 },
          };
          let now = T0;
          for (const { bucket, gap } of steps) {
            now += gap;
            const buckets = [{ name: bucket, throttle: throttles[bucket] }];
            assert.equal(await redis.take(buckets, now), memory.takeNow(buckets, now));
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('an outage mid-run: local counts seeded from Redis, caught up when it returns', async () => {
    const relay = new RedisProxy(new URL(REDIS!));
    await relay.start();
    const p = prefix();
    const holder: { fallback?: FallbackCounters } = {};
    const redis = await redisCounters(`redis://127.0.0.1:${relay.port}`, p, (ready) =>
      holder.fallback?.onState(ready),
    );
    const fallback = new FallbackCounters(redis, 'local', logger);
    holder.fallback = fallback;
    const quota = { limit: 10, window: WINDOW };
    for (let i = 0; i < 4; i++) assert.equal(await fallback.spend('m', quota, T0), true);

    await relay.stop();
    // While Redis is away: 6 more admitted (10 − the 4 Redis counted), then refused; never a hang.
    const during = await Promise.all(
      Array.from({ length: 9 }, () => fallback.spend('m', quota, T0)),
    );
    assert.equal(during.filter(Boolean).length, 6);
    assert.equal(fallback.degraded, true);
    assert.ok(logged.some((line) => line.includes('Redis unavailable')));

    await relay.start();
    await until(() => !fallback.degraded);
    const direct = await redisCounters(REDIS!, p);
    assert.equal(await direct.used('m', WINDOW), 10);
    assert.deepEqual(await direct.daily('m', [WINDOW.start]), [10]);
    assert.equal(await fallback.spend('m', quota, T0), false);
    assert.ok(logged.some((line) => line.includes('Redis is back')));
    await relay.stop();
  });

  it('policy refuse: a metered request during the outage is LimitsUnavailableError (503), a stage throttle counts locally', async () => {
    const relay = new RedisProxy(new URL(REDIS!));
    await relay.start();
    const redis = await redisCounters(`redis://127.0.0.1:${relay.port}`, prefix());
    const fallback = new FallbackCounters(redis, 'refuse', logger);
    assert.equal(await fallback.spend('m', undefined, T0), true);
    await relay.stop();
    await assert.rejects(fallback.spend('m', undefined, T0), LimitsUnavailableError);
    const throttle = { burstLimit: 1, rateLimit: 0.001 };
    await assert.rejects(
      fallback.take([{ name: 'b', throttle, perKey: true }], T0),
      LimitsUnavailableError,
    );
    // A stage's or the account's bucket is counted here meanwhile, not refused.
    assert.equal(await fallback.take([{ name: 'account', throttle }], T0), true);
    assert.equal(await fallback.take([{ name: 'account', throttle }], T0), false);
  });
});
