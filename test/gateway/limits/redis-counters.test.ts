// RedisCounters and the fallback policy against a real Redis (SALLYPORT_TEST_REDIS), reached
// through a TCP relay this test can cut: atomic spends from two clients, an outage mid-run served
// on local counts (seeded from Redis's last count) or refused, and the catch-up afterwards.
import assert from 'node:assert/strict';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { LimitsUnavailableError } from '../../../src/gateway/errors.js';
import { FallbackCounters } from '../../../src/gateway/limits/fallback-counters.js';
import { RedisCounters } from '../../../src/gateway/limits/redis-counters.js';
import { quotaWindow } from '../../../src/model/quota-period.js';
import { createLogger } from '../../../src/observability/logger.js';

const REDIS = process.env.SALLYPORT_TEST_REDIS;
const SKIP = REDIS ? false : 'skipped: set SALLYPORT_TEST_REDIS to run';
const T0 = Date.UTC(2026, 11, 2, 12);
const WINDOW = quotaWindow({ period: 'DAY', offset: 0 }, T0);
const prefix = () => `sallyport-test-${process.pid}-${Math.random().toString(36).slice(2)}:`;

/** A relay to Redis that can drop every connection and refuse new ones, then come back. */
class Relay {
  readonly #target: URL;
  #server: Server | undefined;
  readonly #sockets = new Set<Socket>();
  port = 0;
  constructor(target: string) {
    this.#target = new URL(target);
  }
  async open(): Promise<void> {
    this.#server = createServer((client) => {
      const upstream = createConnection(Number(this.#target.port || 6379), this.#target.hostname);
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.on('error', () => s.destroy());
        s.on('close', () => this.#sockets.delete(s));
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((ok) => this.#server!.listen(this.port, '127.0.0.1', ok));
    this.port = (this.#server.address() as AddressInfo).port;
  }
  async cut(): Promise<void> {
    const server = this.#server!;
    const closed = new Promise((ok) => server.close(ok));
    for (const s of this.#sockets) s.destroy();
    await closed;
  }
}

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

  it('an outage mid-run: local counts seeded from Redis, caught up when it returns', async () => {
    const relay = new Relay(REDIS!);
    await relay.open();
    const p = prefix();
    const holder: { fallback?: FallbackCounters } = {};
    const redis = await redisCounters(`redis://127.0.0.1:${relay.port}`, p, (ready) =>
      holder.fallback?.onState(ready),
    );
    const fallback = new FallbackCounters(redis, 'local', logger);
    holder.fallback = fallback;
    const quota = { limit: 10, window: WINDOW };
    for (let i = 0; i < 4; i++) assert.equal(await fallback.spend('m', quota, T0), true);

    await relay.cut();
    // While Redis is away: 6 more admitted (10 − the 4 Redis counted), then refused; never a hang.
    const during = await Promise.all(
      Array.from({ length: 9 }, () => fallback.spend('m', quota, T0)),
    );
    assert.equal(during.filter(Boolean).length, 6);
    assert.equal(fallback.degraded, true);
    assert.ok(logged.some((line) => line.includes('Redis unavailable')));

    await relay.open();
    await until(() => !fallback.degraded);
    const direct = await redisCounters(REDIS!, p);
    assert.equal(await direct.used('m', WINDOW), 10);
    assert.deepEqual(await direct.daily('m', [WINDOW.start]), [10]);
    assert.equal(await fallback.spend('m', quota, T0), false);
    assert.ok(logged.some((line) => line.includes('Redis is back')));
    await relay.cut();
  });

  it('policy refuse: a metered request during the outage is LimitsUnavailableError (503)', async () => {
    const relay = new Relay(REDIS!);
    await relay.open();
    const redis = await redisCounters(`redis://127.0.0.1:${relay.port}`, prefix());
    const fallback = new FallbackCounters(redis, 'refuse', logger);
    assert.equal(await fallback.spend('m', undefined, T0), true);
    await relay.cut();
    await assert.rejects(fallback.spend('m', undefined, T0), LimitsUnavailableError);
    await assert.rejects(
      fallback.take([{ name: 'b', throttle: { burstLimit: 1, rateLimit: 1 } }], T0),
      LimitsUnavailableError,
    );
  });
});
