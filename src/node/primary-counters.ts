// `serve --workers N` without Redis: the primary holds the one set of counters (plan, stage,
// method and account buckets; quotas; daily tallies) and the workers ask it over the cluster's
// IPC channel. The primary's counters are the ones GetUsage reads and the ones saved in the store,
// so quotas hold across workers exactly and survive a restart.
//
// Every decision is made in the primary, one at a time, synchronously: two workers can never both
// take the last token or spend the last unit. A worker does not ask once per request: what its
// requests ask within one turn of its event loop goes in one message (setImmediate), and the
// answer comes back as one. Local leases (a worker spending units granted ahead) were set aside:
// a lease idle in one worker refuses requests another could serve, so "successes equal the
// limit" would no longer hold, and GetUsage would lag by what is leased.
import cluster, { type Worker } from 'node:cluster';
import { LimitsUnavailableError } from '../gateway/errors.js';
import type { QuotaSpend, UsageCounters } from '../gateway/limits/counters.js';
import type { MemoryCounters } from '../gateway/limits/memory-counters.js';
import type { Bucket } from '../gateway/limits/token-bucket.js';
import type { QuotaWindow } from '../model/quota-period.js';

/** One operation of UsageCounters, as a worker sends it. */
type Call =
  | { op: 'take'; buckets: readonly Bucket[]; now: number }
  | { op: 'spend'; meter: string; quota?: QuotaSpend | undefined; now: number }
  | { op: 'used'; meter: string; window: QuotaWindow }
  | { op: 'setUsed'; meter: string; window: QuotaWindow; used: number }
  | { op: 'daily'; meter: string; days: readonly number[] };

interface Ask {
  sallyport: 'limits';
  calls: { id: number; call: Call }[];
}

interface Answer {
  sallyport: 'limits-answer';
  results: { id: number; value?: unknown; error?: string }[];
}

/** In the primary: answers the workers' calls from `counters`. Returns a function that stops. */
export function serveCountersToWorkers(counters: MemoryCounters): () => void {
  const listener = (worker: Worker, message: Ask | undefined) => {
    if (message?.sallyport !== 'limits') return;
    const results = message.calls.map(({ id, call }) => {
      try {
        return { id, value: run(counters, call) };
      } catch (error) {
        return { id, error: error instanceof Error ? error.message : String(error) };
      }
    });
    if (worker.isConnected()) worker.send({ sallyport: 'limits-answer', results } satisfies Answer);
  };
  cluster.on('message', listener);
  return () => cluster.off('message', listener);
}

function run(counters: MemoryCounters, call: Call): unknown {
  switch (call.op) {
    case 'take':
      return counters.takeNow(call.buckets, call.now);
    case 'spend':
      return counters.spendNow(call.meter, call.quota, call.now);
    case 'used':
      return counters.usedNow(call.meter, call.window);
    case 'setUsed':
      return counters.setUsedNow(call.meter, call.window, call.used);
    case 'daily':
      return counters.dailyNow(call.meter, call.days);
  }
}

interface Waiting {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/** In a worker: the counters, asked of the primary. */
export class PrimaryCounters implements UsageCounters {
  readonly #waiting = new Map<number, Waiting>();
  #queue: { id: number; call: Call }[] = [];
  #nextId = 0;
  #scheduled = false;
  #gone = false;

  constructor() {
    process.on('message', this.#onMessage);
    process.on('disconnect', this.#onDisconnect);
  }

  take(buckets: readonly Bucket[], now: number): Promise<boolean> {
    return this.#ask({ op: 'take', buckets, now }) as Promise<boolean>;
  }

  spend(meter: string, quota: QuotaSpend | undefined, now: number): Promise<boolean> {
    return this.#ask({ op: 'spend', meter, quota, now }) as Promise<boolean>;
  }

  used(meter: string, window: QuotaWindow): Promise<number> {
    return this.#ask({ op: 'used', meter, window }) as Promise<number>;
  }

  async setUsed(meter: string, window: QuotaWindow, used: number): Promise<void> {
    await this.#ask({ op: 'setUsed', meter, window, used });
  }

  daily(meter: string, days: readonly number[]): Promise<number[]> {
    return this.#ask({ op: 'daily', meter, days }) as Promise<number[]>;
  }

  close(): Promise<void> {
    process.off('message', this.#onMessage);
    process.off('disconnect', this.#onDisconnect);
    return Promise.resolve();
  }

  #ask(call: Call): Promise<unknown> {
    if (this.#gone || !process.send)
      return Promise.reject(new LimitsUnavailableError('the primary process is gone'));
    const id = ++this.#nextId;
    this.#queue.push({ id, call });
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#flush);
    }
    return new Promise((resolve, reject) => this.#waiting.set(id, { resolve, reject }));
  }

  readonly #flush = () => {
    this.#scheduled = false;
    const calls = this.#queue;
    this.#queue = [];
    if (calls.length === 0) return;
    process.send!({ sallyport: 'limits', calls } satisfies Ask, undefined, {}, (error) => {
      if (error) this.#fail(calls, error);
    });
  };

  readonly #onMessage = (message: Answer | undefined) => {
    if (message?.sallyport !== 'limits-answer') return;
    for (const { id, value, error } of message.results) {
      const waiting = this.#waiting.get(id);
      if (!waiting) continue;
      this.#waiting.delete(id);
      if (error === undefined) waiting.resolve(value);
      else waiting.reject(new Error(`usage counters (primary): ${error}`));
    }
  };

  readonly #onDisconnect = () => {
    this.#gone = true;
    this.#fail(
      [...this.#waiting.keys()].map((id) => ({ id })),
      new Error('disconnected'),
    );
  };

  #fail(calls: readonly { id: number }[], error: Error): void {
    for (const { id } of calls) {
      const waiting = this.#waiting.get(id);
      this.#waiting.delete(id);
      waiting?.reject(new LimitsUnavailableError(`the primary process: ${error.message}`));
    }
  }
}
