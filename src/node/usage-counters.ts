// The node's usage-plan counters: Redis when `--redis` names one (shared by every process and
// node on it), else this process's memory, saved in the store so a single node's quota usage
// survives a restart (written at most every few seconds, and on shutdown).
import {
  FallbackCounters,
  type RedisUnavailablePolicy,
} from '../gateway/limits/fallback-counters.js';
import { MemoryCounters, type CountersSnapshot } from '../gateway/limits/memory-counters.js';
import { RedisCounters } from '../gateway/limits/redis-counters.js';
import type { UsageCounters } from '../gateway/limits/counters.js';
import type { Logger } from '../observability/logger.js';
import type { Store } from '../store/store.js';

export interface CountersOptions {
  redis?: string | undefined;
  redisPrefix?: string | undefined;
  redisUnavailable?: RedisUnavailablePolicy | undefined;
  store: Store;
  logger: Logger;
  now: () => number;
}

const SAVE_EVERY_MS = 2_000;
// How long startup waits for Redis before serving under the fallback policy.
const CONNECT_WAIT_MS = 3_000;

export async function openCounters(options: CountersOptions): Promise<UsageCounters> {
  const { logger } = options;
  if (options.redis) {
    // The fallback is made once Redis had its chance to connect; state changes go to it then.
    const holder: { fallback?: FallbackCounters } = {};
    const redis = new RedisCounters({
      url: options.redis,
      prefix: `${options.redisPrefix ?? 'sallyport:'}usage:`,
      onState: (ready, error) => holder.fallback?.onState(ready, error),
    });
    const connected = redis.connect().then(
      () => true,
      (error: unknown) => {
        logger.warn({ err: error }, 'could not connect to Redis');
        return false;
      },
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      connected,
      new Promise((done) => (timer = setTimeout(done, CONNECT_WAIT_MS))),
    ]);
    clearTimeout(timer);
    const fallback = new FallbackCounters(redis, options.redisUnavailable ?? 'local', logger);
    holder.fallback = fallback;
    return fallback;
  }
  return persistentMemory(options);
}

/** Memory counters saved to the store: restored at startup, saved when changed and at close. */
class SavedMemoryCounters extends MemoryCounters {
  readonly #store: Store;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #timer: NodeJS.Timeout;
  #savedVersion = 0;

  constructor(options: CountersOptions, saved: CountersSnapshot | undefined) {
    super();
    this.#store = options.store;
    this.#logger = options.logger;
    this.#now = options.now;
    if (saved) this.restore(saved);
    this.#savedVersion = this.version;
    this.#timer = setInterval(() => void this.#save(), SAVE_EVERY_MS);
    this.#timer.unref();
  }

  override async close(): Promise<void> {
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

async function persistentMemory(options: CountersOptions): Promise<UsageCounters> {
  const saved = await options.store.get<CountersSnapshot>('usage', '', 'counters');
  return new SavedMemoryCounters(options, saved);
}
