// Usage counters in this process's memory: exact for one process. `snapshot`/`restore` let a
// single node keep its quota usage across a restart (node/usage-persistence.ts).
import { DAY_MS, type QuotaWindow } from '../../model/quota-period.js';
import type { QuotaSpend, UsageCounters } from './counters.js';
import { takeToken, type Bucket, type BucketState } from './token-bucket.js';

interface QuotaCount {
  start: number;
  end: number;
  used: number;
}

/** What survives a restart: quota counts and daily tallies. */
export interface CountersSnapshot {
  quotas: [string, QuotaCount][];
  days: [string, number][];
}

// Daily tallies older than this are dropped (GetUsage looks back at most 90 days on AWS).
const KEEP_DAYS = 90;

export class MemoryCounters implements UsageCounters {
  readonly #buckets = new Map<string, BucketState>();
  readonly #quotas = new Map<string, QuotaCount>();
  readonly #days = new Map<string, number>();
  /** Grows with every change to quota counts or tallies (what a saver compares). */
  version = 0;

  take(buckets: readonly Bucket[], now: number): Promise<boolean> {
    return Promise.resolve(this.takeNow(buckets, now));
  }

  /** `take` without a promise: the throttle step's path in a single process. */
  takeNow(buckets: readonly Bucket[], now: number): boolean {
    for (const { name, throttle } of buckets) {
      const { admitted, state } = takeToken(this.#buckets.get(name), throttle, now);
      this.#buckets.set(name, state);
      if (!admitted) return false;
    }
    return true;
  }

  spend(meter: string, quota: QuotaSpend | undefined, now: number): Promise<boolean> {
    return Promise.resolve(this.spendNow(meter, quota, now));
  }

  spendNow(meter: string, quota: QuotaSpend | undefined, now: number, units = 1): boolean {
    if (quota) {
      const count = this.#current(meter, quota.window);
      if (count.used + units > quota.limit) return false;
      count.used += units;
    }
    this.addDay(meter, now, units);
    this.version++;
    return true;
  }

  addDay(meter: string, now: number, units: number): void {
    const day = Math.floor(now / DAY_MS) * DAY_MS;
    const key = `${meter}|${day}`;
    this.#days.set(key, (this.#days.get(key) ?? 0) + units);
  }

  used(meter: string, window: QuotaWindow): Promise<number> {
    return Promise.resolve(this.usedNow(meter, window));
  }

  usedNow(meter: string, window: QuotaWindow): number {
    const count = this.#quotas.get(meter);
    return count && count.start === window.start ? count.used : 0;
  }

  setUsed(meter: string, window: QuotaWindow, used: number): Promise<void> {
    this.setUsedNow(meter, window, used);
    return Promise.resolve();
  }

  setUsedNow(meter: string, window: QuotaWindow, used: number): void {
    this.#current(meter, window).used = used;
    this.version++;
  }

  daily(meter: string, days: readonly number[]): Promise<number[]> {
    return Promise.resolve(this.dailyNow(meter, days));
  }

  dailyNow(meter: string, days: readonly number[]): number[] {
    return days.map((day) => this.#days.get(`${meter}|${day}`) ?? 0);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  snapshot(now: number): CountersSnapshot {
    const oldest = now - KEEP_DAYS * DAY_MS;
    for (const key of this.#days.keys()) {
      if (Number(key.slice(key.lastIndexOf('|') + 1)) < oldest) this.#days.delete(key);
    }
    return {
      quotas: [...this.#quotas].filter(([, count]) => count.end > now),
      days: [...this.#days],
    };
  }

  restore(snapshot: CountersSnapshot): void {
    for (const [meter, count] of snapshot.quotas) this.#quotas.set(meter, { ...count });
    for (const [key, units] of snapshot.days) this.#days.set(key, units);
  }

  /** The meter's count for `window`; a count of an earlier window starts over. */
  #current(meter: string, window: QuotaWindow): QuotaCount {
    let count = this.#quotas.get(meter);
    if (!count || count.start !== window.start) {
      count = { start: window.start, end: window.end, used: 0 };
      this.#quotas.set(meter, count);
    }
    return count;
  }
}
