// One connection to the Redis that nodes share (`serve --redis redis://…`). Whatever uses it must
// keep serving when Redis is away, so a command never waits for it: commands are refused at once
// while the connection is down (no offline queue) and time out after `commandTimeoutMs` on a
// connection that stopped answering. The client reconnects by itself, forever, with backoff.
// Up and down are logged once per change, not once per failed command.
import { createClient } from '@redis/client';
import type { Logger } from '../observability/logger.js';

export interface RedisConnectionOptions {
  url: string;
  logger: Logger;
  /** What this node does while Redis is away, for the log line that says it is. */
  fallback: string;
  /** Default 1000 ms: longer than any healthy answer, short enough to keep a request moving. */
  commandTimeoutMs?: number;
}

export type RedisClient = ReturnType<typeof createClient>;

export class RedisConnection {
  readonly client: RedisClient;
  readonly #logger: Logger;
  readonly #url: string;
  readonly #fallback: string;
  readonly #onUp = new Set<() => void>();
  #up = false;
  #warned = false;
  #failing = false;
  #resumeAt = 0;
  #closed = false;

  constructor(options: RedisConnectionOptions) {
    this.#logger = options.logger;
    this.#url = redactedUrl(options.url);
    this.#fallback = options.fallback;
    this.client = createClient({
      url: options.url,
      disableOfflineQueue: true,
      commandOptions: { timeout: options.commandTimeoutMs ?? 1000 },
      socket: {
        connectTimeout: 2000,
        reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 5000),
      },
    });
    // Without a listener, an 'error' event would end the process.
    this.client.on('error', (error: unknown) => this.#down(error));
    this.client.on('ready', () => this.#markUp());
    this.client.on('end', () => this.#down(new Error('connection closed')));
  }

  /** Starts connecting; waits at most `waitMs` for the first answer, never throws. */
  async start(waitMs = 2000): Promise<void> {
    const connected = this.client.connect().then(
      () => undefined,
      (error: unknown) => this.#down(error),
    );
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((ok) => (timer = setTimeout(ok, waitMs)));
    await Promise.race([connected, waited]);
    clearTimeout(timer);
    if (!this.#up) this.#down(new Error(`no answer within ${waitMs} ms`));
  }

  /** Whether commands may be sent now. */
  get up(): boolean {
    return this.#up && this.client.isReady && Date.now() >= this.#resumeAt;
  }

  /** Called each time the connection comes (back) up. */
  onUp(listener: () => void): void {
    this.#onUp.add(listener);
  }

  /**
   * A command failed (timed out on a connection that looks open): no commands for a second, so
   * requests do not each wait a timeout; then they are tried again.
   */
  failed(error: unknown): void {
    if (this.#closed) return;
    this.#resumeAt = Date.now() + 1000;
    if (this.#failing) return;
    this.#failing = true;
    this.#logger.warn(
      { redis: this.#url, err: message(error) },
      `redis command failed: ${this.#fallback} until it answers again`,
    );
  }

  /** A command answered: ends a run of failures (logged once). */
  answered(): void {
    if (!this.#failing) return;
    this.#failing = false;
    this.#logger.info({ redis: this.#url }, 'redis answering again');
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#up = false;
    if (this.client.isOpen) await this.client.close().catch(() => undefined);
    else this.client.destroy();
  }

  #markUp(): void {
    if (this.#up || this.#closed) return;
    this.#up = true;
    this.#logger.info({ redis: this.#url }, 'redis reachable');
    for (const listener of this.#onUp) listener();
  }

  #down(error: unknown): void {
    if (this.#closed) return;
    const wasUp = this.#up;
    this.#up = false;
    if (wasUp || !this.#warned) {
      this.#warned = true;
      this.#logger.warn(
        { redis: this.#url, err: message(error) },
        `redis unreachable: ${this.#fallback} until it answers again`,
      );
    }
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The URL without its password, for logs. */
function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'redis';
  }
}
