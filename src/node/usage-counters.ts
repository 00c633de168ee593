// The node's usage counters (plan, stage, method and account throttles; quotas): on Redis when
// `--redis` names one (shared by every process and node on it, through the node's one Redis
// client); asked of the primary in a `--workers` worker without Redis (primary-counters.ts); else
// this process's memory — the primary's, for its workers, with `--workers` — saved in the store
// so a node's quota usage survives a restart (written at most every few seconds, and on shutdown).
import {
  FallbackCounters,
  type RedisUnavailablePolicy,
} from '../gateway/limits/fallback-counters.js';
import { MemoryCounters, type CountersSnapshot } from '../gateway/limits/memory-counters.js';
import type { UsageCounters } from '../gateway/limits/counters.js';
import type { Logger } from '../observability/logger.js';
import type { Store } from '../store/store.js';
import { PrimaryCounters, serveCountersToWorkers } from './primary-counters.js';
import type { RedisConnection } from './redis-connection.js';

/** Where the counters live without Redis (`serve --workers`). */
export type CountersRole = 'process' | 'primary' | 'worker';

export interface CountersOptions {
  /** The node's Redis connection (`--redis`), started. */
  redis?: RedisConnection | undefined;
  redisPrefix?: string | undefined;
  redisUnavailable?: RedisUnavailablePolicy | undefined;
  /** Default `process`: a single process counts, and saves, on its own. */
  role?: CountersRole | undefined;
  store: Store;
  logger: Logger;
  now: () => number;
}

const SAVE_EVERY_MS = 2_000;

export async function openCounters(options: CountersOptions): Promise<UsageCounters> {
  const { logger, redis } = options;
  if (redis) {
    // State changes go to the fallback once it exists (it reads the state it starts in).
    const holder: { fallback?: FallbackCounters } = {};
    const { RedisCounters } = await import('../gateway/limits/redis-counters.js');
    const counters = new RedisCounters({
      client: redis.client,
      prefix: `${options.redisPrefix ?? 'sallyport:'}usage:`,
      onState: (ready, error) => holder.fallback?.onState(ready, error),
    });
    const fallback = new FallbackCounters(counters, options.redisUnavailable ?? 'local', logger);
    holder.fallback = fallback;
    return fallback;
  }
  if (options.role === 'worker') return new PrimaryCounters();
  const saved = await options.store.get<CountersSnapshot>('usage', '', 'counters');
  return new SavedMemoryCounters(options, saved, options.role === 'primary');
}

/** Memory counters saved to the store: restored at startup, saved when changed and at close. */
class SavedMemoryCounters extends MemoryCounters {
  readonly #store: Store;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #timer: NodeJS.Timeout;
  readonly #stopServing: (() => void) | undefined;
  #savedVersion = 0;

  constructor(options: CountersOptions, saved: CountersSnapshot | undefined, forWorkers: boolean) {
    super();
    this.#store = options.store;
    this.#logger = options.logger;
    this.#now = options.now;
    if (saved) this.restore(saved);
    this.#savedVersion = this.version;
    this.#timer = setInterval(() => void this.#save(), SAVE_EVERY_MS);
    this.#timer.unref();
    this.#stopServing = forWorkers ? serveCountersToWorkers(this) : undefined;
  }

  override async close(): Promise<void> {
    this.#stopServing?.();
    clearInterval(this.#timer);
    await this.#save();
  }

  async #save(): Promise<void> {
    if (this.version === this.#savedVersion) return;
    this.#savedVersion = this.version;
    const snapshot = this.snapshot(this.#now());
    try {
      await this.#store.transaction((tx) => tx.put('usage', '', 'counters', snapshot));
    } catch (error) {
      this.#logger.warn({ err: error }, 'could not save usage counts');
    }
  }
}
