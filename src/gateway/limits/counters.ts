// What usage plans count, behind one interface: token buckets (throttle) and quota counters, with
// a per-day tally for GetUsage. In memory for one process (memory-counters.ts); on Redis for many
// (redis-counters.ts), with fallback-counters.ts deciding what happens when Redis is away.
import type { QuotaWindow } from '../../model/quota-period.js';
import type { Throttle } from './token-bucket.js';

/** One quota to spend from: at most `limit` units in `window`. */
export interface QuotaSpend {
  limit: number;
  window: QuotaWindow;
}

export interface UsageCounters {
  /** Takes one token from bucket `bucket`; false: throttled. */
  take(bucket: string, throttle: Throttle, now: number): Promise<boolean>;
  /**
   * Counts one admitted request for `meter` (a plan and key) on the day of `now`, spending one
   * unit of `quota` when there is one; false (nothing counted): the quota is spent.
   */
  spend(meter: string, quota: QuotaSpend | undefined, now: number): Promise<boolean>;
  /** Units spent from the quota in `window`. */
  used(meter: string, window: QuotaWindow): Promise<number>;
  /** Sets the units spent in `window` (UpdateUsage). */
  setUsed(meter: string, window: QuotaWindow, used: number): Promise<void>;
  /** Requests counted per day, for each day (midnight UTC, epoch ms). */
  daily(meter: string, days: readonly number[]): Promise<number[]>;
  close(): Promise<void>;
}

/** The meter of one key under one plan. */
export const meterOf = (planId: string, keyId: string) => `${planId}:${keyId}`;
