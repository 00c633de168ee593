// Token buckets, quota periods and the api-key step with an injected clock: counted, not timed.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
// https://docs.aws.amazon.com/apigateway/latest/api/API_QuotaSettings.html
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseThrottle } from '../../../src/cli/options.js';
import type { Exchange } from '../../../src/gateway/compiled-api.js';
import { ThrottledError } from '../../../src/gateway/errors.js';
import { MemoryCounters } from '../../../src/gateway/limits/memory-counters.js';
import { createThrottleStep } from '../../../src/gateway/steps/throttle.js';
import { takeToken, type Bucket, type Throttle } from '../../../src/gateway/limits/token-bucket.js';
import { quotaWindow, dayOf, parseDay } from '../../../src/model/quota-period.js';
import { QUOTA_PERIODS } from '../../../src/model/usage-plans.js';

const T0 = Date.UTC(2026, 11, 2, 12, 0, 0);

/** One bucket in fresh memory counters. */
function bucketOf(throttle: Throttle) {
  const counters = new MemoryCounters();
  return { take: (now: number) => counters.takeNow([{ name: 'b', throttle }], now) };
}

describe('token bucket', () => {
  it('admits burstLimit at once, then rateLimit per second', () => {
    const bucket = bucketOf({ burstLimit: 5, rateLimit: 2 });
    const admitted = (n: number, at: number) =>
      Array.from({ length: n }, () => bucket.take(at)).filter(Boolean).length;
    assert.equal(admitted(20, T0), 5);
    assert.equal(admitted(20, T0 + 1000), 2);
    assert.equal(admitted(20, T0 + 1500), 1);
    // Ten idle seconds fill it to the burst, no more.
    assert.equal(admitted(50, T0 + 11_500), 5);
  });

  it('a burst of 0 admits nothing; time going backwards refills nothing', () => {
    assert.equal(bucketOf({ burstLimit: 0, rateLimit: 100 }).take(T0), false);
    const first = takeToken(undefined, { burstLimit: 1, rateLimit: 1 }, T0);
    assert.equal(
      takeToken(first.state, { burstLimit: 1, rateLimit: 1 }, T0 - 5000).admitted,
      false,
    );
  });

  it('never admits more than burst + rate × elapsed (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50 }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.array(fc.integer({ min: 0, max: 2000 }), { minLength: 1, maxLength: 200 }),
        (burstLimit, rateLimit, gaps) => {
          const bucket = bucketOf({ burstLimit, rateLimit });
          let now = T0;
          let admitted = 0;
          for (const gap of gaps) {
            now += gap;
            if (bucket.take(now)) admitted++;
          }
          return admitted <= burstLimit + (rateLimit * (now - T0)) / 1000 + 1e-9;
        },
      ),
    );
  });
});

describe('quota periods (UTC)', () => {
  it('DAY from midnight, WEEK from the offset weekday (0 = Sunday), MONTH from day offset + 1', () => {
    // 2026-12-02 is a Wednesday.
    assert.deepEqual(quotaWindow({ period: 'DAY', offset: 0 }, T0), {
      start: Date.UTC(2026, 11, 2),
      end: Date.UTC(2026, 11, 3),
    });
    assert.deepEqual(quotaWindow({ period: 'WEEK', offset: 1 }, T0), {
      start: Date.UTC(2026, 10, 30),
      end: Date.UTC(2026, 11, 7),
    });
    assert.deepEqual(quotaWindow({ period: 'WEEK', offset: 4 }, T0), {
      start: Date.UTC(2026, 10, 26),
      end: Date.UTC(2026, 11, 3),
    });
    assert.deepEqual(quotaWindow({ period: 'MONTH', offset: 0 }, T0), {
      start: Date.UTC(2026, 11, 1),
      end: Date.UTC(2027, 0, 1),
    });
    assert.deepEqual(quotaWindow({ period: 'MONTH', offset: 4 }, Date.UTC(2027, 0, 3)), {
      start: Date.UTC(2026, 11, 5),
      end: Date.UTC(2027, 0, 5),
    });
  });

  it('every instant lies in its window, which starts at midnight (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }),
        fc.constantFrom(...QUOTA_PERIODS),
        fc.integer({ min: 0, max: 27 }),
        (now, period, rawOffset) => {
          const offset = period === 'DAY' ? 0 : period === 'WEEK' ? rawOffset % 7 : rawOffset;
          const w = quotaWindow({ period, offset }, now);
          const days = (w.end - w.start) / 86_400_000;
          return (
            w.start <= now &&
            now < w.end &&
            w.start % 86_400_000 === 0 &&
            (period === 'DAY'
              ? days === 1
              : period === 'WEEK'
                ? days === 7
                : days >= 28 && days <= 31)
          );
        },
      ),
    );
  });

  it('dates are yyyy-MM-dd, and nothing else', () => {
    assert.equal(dayOf(T0), '2026-12-02');
    assert.equal(parseDay('2026-12-02'), Date.UTC(2026, 11, 2));
    for (const bad of ['2026-02-30', '2026-1-2', 'yesterday', '2026-12-02T00:00:00Z'])
      assert.equal(parseDay(bad), undefined, bad);
  });
});

describe('memory counters: a quota across a period boundary', () => {
  it('a spent DAY quota is whole again at midnight UTC, and the days are tallied apart', async () => {
    const counters = new MemoryCounters();
    const quota = { period: 'DAY', offset: 0 } as const;
    const spend = (now: number) =>
      counters.spend('plan:key', { limit: 2, window: quotaWindow(quota, now) }, now);
    const beforeMidnight = Date.UTC(2026, 11, 2, 23, 59, 59, 999);
    const afterMidnight = beforeMidnight + 1;
    assert.deepEqual(
      [await spend(beforeMidnight), await spend(beforeMidnight), await spend(beforeMidnight)],
      [true, true, false],
    );
    assert.deepEqual(
      [await spend(afterMidnight), await spend(afterMidnight), await spend(afterMidnight)],
      [true, true, false],
    );
    assert.deepEqual(
      await counters.daily('plan:key', [Date.UTC(2026, 11, 2), Date.UTC(2026, 11, 3)]),
      [2, 2],
    );
  });

  it('a snapshot restores the counts of open windows only', async () => {
    const counters = new MemoryCounters();
    const window = quotaWindow({ period: 'DAY', offset: 0 }, T0);
    await counters.spend('m', { limit: 5, window }, T0);
    await counters.spend('m', { limit: 5, window }, T0);
    const restored = new MemoryCounters();
    restored.restore(counters.snapshot(T0));
    assert.equal(await restored.used('m', window), 2);
    const later = new MemoryCounters();
    later.restore(counters.snapshot(window.end));
    assert.equal(await later.used('m', window), 0);
  });
});

describe('the throttle step (stage method throttle, then the account)', () => {
  const exchangeWith = (throttle: Bucket | undefined) =>
    ({ method: { throttle } }) as unknown as Exchange;
  const statuses = (step: ReturnType<typeof createThrottleStep>, n: number, throttle?: Bucket) =>
    Array.from({ length: n }, () => {
      try {
        step(exchangeWith(throttle));
        return 200;
      } catch (error) {
        assert.ok(error instanceof ThrottledError);
        return 429;
      }
    });

  it('a method bucket admits its burst, then 429 Too Many Requests', () => {
    const step = createThrottleStep({ now: () => T0, counters: new MemoryCounters() });
    const bucket = { name: 'stage:a/prod/pets/GET', throttle: { burstLimit: 2, rateLimit: 1 } };
    assert.deepEqual(statuses(step, 4, bucket), [200, 200, 429, 429]);
  });

  it('the account bucket is shared by every method; off: none', () => {
    const small = createThrottleStep({
      now: () => T0,
      counters: new MemoryCounters(),
      accountThrottle: { rateLimit: 1, burstLimit: 3 },
    });
    assert.deepEqual(statuses(small, 5), [200, 200, 200, 429, 429]);
    const off = createThrottleStep({
      now: () => T0,
      counters: new MemoryCounters(),
      accountThrottle: null,
    });
    assert.ok(statuses(off, 10_000).every((s) => s === 200));
    // AWS's default: a burst of 5,000 at one instant.
    const aws = createThrottleStep({ now: () => T0, counters: new MemoryCounters() });
    assert.equal(statuses(aws, 5_001).filter((s) => s === 200).length, 5_000);
  });

  it('each of N workers counts its share of the account throttle (rate and burst over N)', () => {
    const worker = createThrottleStep({
      now: () => T0,
      counters: new MemoryCounters(),
      accountShare: 2,
    });
    assert.equal(statuses(worker, 2_501).filter((s) => s === 200).length, 2_500);
  });
});

describe('serve --account-throttle', () => {
  it('reads rate:burst or off, and refuses anything else', () => {
    assert.deepEqual(parseThrottle('--account-throttle', '10000:5000'), {
      rateLimit: 10_000,
      burstLimit: 5_000,
    });
    assert.deepEqual(parseThrottle('--account-throttle', '0.5:1'), {
      rateLimit: 0.5,
      burstLimit: 1,
    });
    assert.equal(parseThrottle('--account-throttle', 'off'), null);
    assert.throws(() => parseThrottle('--account-throttle', '10'), /expected rate:burst/);
  });
});
