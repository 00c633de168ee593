// What the gateway counts, behind one interface: token buckets (usage-plan, stage, method and
// account throttles) and quota counters, with a per-day tally for GetUsage. In memory for one
// process (memory-counters.ts); held by the primary for `--workers` without Redis
// (node/primary-counters.ts); on Redis for many nodes (redis-counters.ts), with
// fallback-counters.ts deciding what happens when Redis is away.
import type { QuotaWindow } from '../../model/quota-period.js';
import type { Bucket } from './token-bucket.js';

/** One quota to spend from: at most `limit` units in `window`. */
export interface QuotaSpend {
  limit: number;
  window: QuotaWindow;
}

export interface UsageCounters {
  /**
   * Takes one token from each bucket in order, stopping at the first that has none (whose
   * earlier tokens stay taken, as separate buckets would); false: throttled.
   */
  take(buckets: readonly Bucket[], now: number): Promise<boolean>;
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
