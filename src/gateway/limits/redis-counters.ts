// Usage counters on Redis (`serve --redis redis://…`), shared by every process and node that
// names the same server: each operation is one Lua script (redis-scripts.ts), so it is atomic.
// Commands fail fast rather than wait (no offline queue, a command timeout): fallback-counters.ts
// decides what a failure means for the request. A node passes the one client it already has
// (node/redis-connection.ts); given only a URL, the counters open their own (tests).
import { createHash } from 'node:crypto';
import { createClient } from '@redis/client';
import { DAY_MS, type QuotaWindow } from '../../model/quota-period.js';
import type { QuotaSpend, UsageCounters } from './counters.js';
import { SPEND, TAKE_TOKENS } from './redis-scripts.js';
import type { Bucket } from './token-bucket.js';

export interface RedisCountersOptions {
  /** A client to share (its owner connects and closes it); else `url` for one of their own. */
  client?: Client;
  url?: string;
  /** Key prefix, so several deployments (or tests) can share one server. */
  prefix?: string;
  /** Deadline of one command, ms (default 500). */
  commandTimeoutMs?: number;
  /** Called when the connection is lost or comes back. */
  onState?: (ready: boolean, error?: unknown) => void;
}

// Daily tallies live as long as GetUsage can ask for them.
const DAY_TTL_MS = 100 * DAY_MS;

type Client = ReturnType<typeof createClient>;

export class RedisCounters implements UsageCounters {
  /** The connection; commands go through `#client`, the same connection with our timeout. */
  readonly #base: Client;
  readonly #client: Client;
  readonly #owned: boolean;
  readonly #prefix: string;
  readonly #sha = new Map<string, string>();

  constructor(options: RedisCountersOptions) {
    this.#prefix = options.prefix ?? 'sallyport:usage:';
    const onState = options.onState ?? (() => {});
    const timeout = options.commandTimeoutMs ?? 500;
    this.#owned = !options.client;
    this.#base =
      options.client ??
      createClient({
        url: options.url,
        disableOfflineQueue: true,
        socket: {
          connectTimeout: timeout,
          // Keep trying for ever, at most every 2 s: the gateway serves meanwhile.
          reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2_000),
        },
      });
    this.#client = this.#base.withCommandOptions({ timeout });
    this.#base.on('error', (error: unknown) => onState(false, error));
    this.#base.on('ready', () => onState(true));
    for (const script of [TAKE_TOKENS, SPEND])
      this.#sha.set(script, createHash('sha1').update(script).digest('hex'));
  }

  /** Connects a client of its own; rejects when Redis cannot be reached now (it keeps retrying). */
  async connect(): Promise<void> {
    await this.#base.connect();
  }

  get ready(): boolean {
    return this.#base.isReady;
  }

  async take(buckets: readonly Bucket[], now: number): Promise<boolean> {
    if (buckets.length === 0) return true;
    const args = [now];
    for (const { throttle } of buckets) {
      // A bucket is full again after burst/rate seconds; until then it must be kept.
      const ttl = Math.min(
        DAY_MS,
        Math.ceil((throttle.burstLimit / Math.max(throttle.rateLimit, 1e-9)) * 1000) + 1000,
      );
      args.push(throttle.rateLimit, throttle.burstLimit, ttl);
    }
    const keys = buckets.map(({ name }) => `${this.#prefix}b:${name}`);
    return (await this.#run(TAKE_TOKENS, keys, args)) === 1;
  }

  async spend(meter: string, quota: QuotaSpend | undefined, now: number): Promise<boolean> {
    return (await this.spendUnits(meter, quota, now)) >= 0;
  }

  /** -1: the quota is spent; else the units spent from it now (0 without a quota). */
  async spendUnits(meter: string, quota: QuotaSpend | undefined, now: number, units = 1) {
    const day = Math.floor(now / DAY_MS) * DAY_MS;
    return this.#run(
      SPEND,
      [this.#quotaKey(meter, quota?.window.start ?? 0), this.#dayKey(meter, day)],
      [quota?.limit ?? -1, units, quota?.window.end ?? 0, day + DAY_TTL_MS],
    );
  }

  /** Adds units to a quota counter without a limit (catching up: they were already served). */
  async addUsed(meter: string, window: QuotaWindow, units: number): Promise<void> {
    const key = this.#quotaKey(meter, window.start);
    await this.#client.multi().incrBy(key, units).pExpireAt(key, window.end).exec();
  }

  async addDay(meter: string, day: number, units: number): Promise<void> {
    const key = this.#dayKey(meter, day);
    await this.#client
      .multi()
      .incrBy(key, units)
      .pExpireAt(key, day + DAY_TTL_MS)
      .exec();
  }

  async used(meter: string, window: QuotaWindow): Promise<number> {
    return Number((await this.#client.get(this.#quotaKey(meter, window.start))) ?? 0);
  }

  async setUsed(meter: string, window: QuotaWindow, used: number): Promise<void> {
    await this.#client.set(this.#quotaKey(meter, window.start), String(used), {
      expiration: { type: 'PXAT', value: window.end },
    });
  }

  async daily(meter: string, days: readonly number[]): Promise<number[]> {
    if (days.length === 0) return [];
    const values = await this.#client.mGet(days.map((day) => this.#dayKey(meter, day)));
    return values.map((v) => Number(v ?? 0));
  }

  async close(): Promise<void> {
    if (!this.#owned) return;
    if (this.#base.isOpen) await this.#base.close();
    else this.#base.destroy();
  }

  // Hash tags keep one meter's keys in one cluster slot.
  #quotaKey(meter: string, windowStart: number): string {
    return `${this.#prefix}q:{${meter}}:${windowStart}`;
  }

  #dayKey(meter: string, day: number): string {
    return `${this.#prefix}d:{${meter}}:${day}`;
  }

  /** EVALSHA, loading the script on the first NOSCRIPT. */
  async #run(script: string, keys: string[], args: number[]): Promise<number> {
    const argv = [String(keys.length), ...keys, ...args.map(String)];
    try {
      return await this.#client.sendCommand<number>(['EVALSHA', this.#sha.get(script)!, ...argv]);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return this.#client.sendCommand<number>(['EVAL', script, ...argv]);
    }
  }
}
