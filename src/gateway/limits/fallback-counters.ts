// Redis counters with a policy for when Redis is away (`serve --redis-unavailable`):
//   local  (default) keep serving on this process's own counters, seeded with the last quota
//          counts Redis gave; when Redis is back, what was spent meanwhile is added to it;
//   refuse answer 503 to every metered request until Redis is back (stage, method and account
//          throttles are counted locally meanwhile: refusing them would refuse every request).
// A command never waits longer than its timeout; the outage and the recovery are logged once.
import type { QuotaWindow } from '../../model/quota-period.js';
import { DAY_MS } from '../../model/quota-period.js';
import type { Logger } from '../../observability/logger.js';
import { LimitsUnavailableError } from '../errors.js';
import type { QuotaSpend, UsageCounters } from './counters.js';
import { MemoryCounters } from './memory-counters.js';
import type { RedisCounters } from './redis-counters.js';
import type { Bucket } from './token-bucket.js';

export const REDIS_UNAVAILABLE_POLICIES = ['local', 'refuse'] as const;
export type RedisUnavailablePolicy = (typeof REDIS_UNAVAILABLE_POLICIES)[number];

/** Spent locally during an outage, to add to Redis when it returns. */
interface Pending {
  window: QuotaWindow | undefined;
  quotaUnits: number;
  days: Map<number, number>;
}

export class FallbackCounters implements UsageCounters {
  readonly #redis: RedisCounters;
  readonly #policy: RedisUnavailablePolicy;
  readonly #logger: Logger;
  #local = new MemoryCounters();
  #degraded = false;
  /** The last quota count Redis reported per meter, to seed local counting with. */
  readonly #known = new Map<string, { start: number; used: number }>();
  readonly #pending = new Map<string, Pending>();
  #catchingUp: Promise<void> | undefined;

  constructor(redis: RedisCounters, policy: RedisUnavailablePolicy, logger: Logger) {
    this.#redis = redis;
    this.#policy = policy;
    this.#logger = logger;
    if (!redis.ready) this.#degrade(new Error('Redis is not connected'));
  }

  get degraded(): boolean {
    return this.#degraded;
  }

  /** RedisCounters' `onState`: marks an outage, or catches up when Redis is back. */
  onState(ready: boolean, error?: unknown): void {
    if (!ready) return this.#degrade(error);
    if (this.#degraded) this.#catchingUp ??= this.#catchUp();
  }

  async take(buckets: readonly Bucket[], now: number): Promise<boolean> {
    this.#retry();
    if (!this.#degraded) {
      try {
        return await this.#redis.take(buckets, now);
      } catch (error) {
        this.#degrade(error);
      }
    }
    if (buckets.some((bucket) => bucket.perKey)) this.#refuseIfPolicy();
    return this.#local.takeNow(buckets, now);
  }

  async spend(meter: string, quota: QuotaSpend | undefined, now: number): Promise<boolean> {
    this.#retry();
    if (!this.#degraded) {
      try {
        const spent = await this.#redis.spendUnits(meter, quota, now);
        if (quota && spent >= 0) this.#known.set(meter, { start: quota.window.start, used: spent });
        return spent >= 0;
      } catch (error) {
        this.#degrade(error);
      }
    }
    this.#refuseIfPolicy();
    return this.#spendLocally(meter, quota, now);
  }

  async used(meter: string, window: QuotaWindow): Promise<number> {
    if (!this.#degraded) {
      try {
        return await this.#redis.used(meter, window);
      } catch (error) {
        this.#degrade(error);
      }
    }
    return this.#local.usedNow(meter, window);
  }

  async setUsed(meter: string, window: QuotaWindow, used: number): Promise<void> {
    await this.#redis.setUsed(meter, window, used);
    this.#known.set(meter, { start: window.start, used });
  }

  async daily(meter: string, days: readonly number[]): Promise<number[]> {
    return this.#redis.daily(meter, days);
  }

  async close(): Promise<void> {
    await this.#catchingUp;
    await this.#redis.close();
  }

  #spendLocally(meter: string, quota: QuotaSpend | undefined, now: number): boolean {
    let pending = this.#pending.get(meter);
    if (!pending) {
      // First use of this meter in the outage: start from what Redis last said.
      const known = this.#known.get(meter);
      if (quota && known?.start === quota.window.start)
        this.#local.setUsedNow(meter, quota.window, known.used);
      pending = { window: quota?.window, quotaUnits: 0, days: new Map() };
      this.#pending.set(meter, pending);
    }
    if (!this.#local.spendNow(meter, quota, now)) return false;
    if (quota) pending.quotaUnits += 1;
    const day = Math.floor(now / DAY_MS) * DAY_MS;
    pending.days.set(day, (pending.days.get(day) ?? 0) + 1);
    return true;
  }

  /** A command failed while the connection stayed up (a timeout): try Redis again, once at a time. */
  #retry(): void {
    if (this.#degraded && this.#redis.ready) this.#catchingUp ??= this.#catchUp();
  }

  #refuseIfPolicy(): void {
    if (this.#policy === 'refuse') throw new LimitsUnavailableError('Redis is unavailable');
  }

  #degrade(error: unknown): void {
    if (this.#degraded) return;
    this.#degraded = true;
    this.#logger.warn(
      { err: error, policy: this.#policy },
      this.#policy === 'local'
        ? 'Redis unavailable: usage plans enforced on this process’s own counters until it returns'
        : 'Redis unavailable: metered requests refused with 503 until it returns',
    );
  }

  /** Adds what was spent locally to Redis, then counts on Redis again. */
  async #catchUp(): Promise<void> {
    try {
      for (const [meter, pending] of this.#pending) {
        if (pending.window && pending.quotaUnits > 0)
          await this.#redis.addUsed(meter, pending.window, pending.quotaUnits);
        for (const [day, units] of pending.days) await this.#redis.addDay(meter, day, units);
        this.#pending.delete(meter);
      }
      this.#local = new MemoryCounters();
      this.#degraded = false;
      this.#logger.info('Redis is back: usage plans counted on Redis again');
    } catch (error) {
      this.#logger.warn({ err: error }, 'Redis catch-up failed; will retry when it reconnects');
    } finally {
      this.#catchingUp = undefined;
    }
  }
}
