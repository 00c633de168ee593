// The store for several gateway nodes sharing one configuration (`--store postgres://…`).
// Transactions run on a dedicated pooled client and take a per-schema advisory lock first, so
// write transactions are serialised across every node as SQLite's write lock serialises them
// across processes: a read-modify-write never loses an update, whichever node runs it. (Admin
// writes are rare; readers never take the lock.)
// Changes reach other nodes by NOTIFY, sent inside the transaction so PostgreSQL delivers it at
// commit, and are also written to `changes`, so a LISTEN connection that drops and comes back
// replays what it missed. Each event carries this node's origin id, and a node skips its own
// notifications (it delivered them at commit): every subscriber sees each change once.
// A LISTEN connection can also die silently (a half-open TCP connection after a network fault
// sends no error): the feed is therefore also read every `catchUpIntervalMs` (default 30 s),
// so a node converges even on a notification it never got.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { MIGRATIONS } from '../migrations/migrations.js';
import {
  StoreConflictError,
  type ChangeEvent,
  type ChangeKind,
  type EntityKind,
  type Store,
  type StoreTx,
} from '../store.js';
import { Subscribers, TxState } from '../subscribers.js';

export interface PostgresStoreOptions {
  connectionString: string;
  /** Schema to keep the tables in (created if missing); default the connection's search_path. */
  schema?: string;
  poolSize?: number;
  connectTimeoutMs?: number;
  /** First delay before reconnecting the LISTEN connection; doubles up to 10 s. */
  reconnectDelayMs?: number;
  /** How often to read the change feed anyway, for a notification lost on a dead connection. */
  catchUpIntervalMs?: number;
}

// Advisory lock classes (first key); the second key is the schema's hash, so stores in different
// schemas of one database do not wait on each other.
const MIGRATION_LOCK = 0x5a11;
const TX_LOCK = 0x5a12;

interface ChangeRow {
  seq: string;
  origin: string;
  kind: ChangeKind;
  scope: string;
  id: string;
}

export class PostgresStore implements Store {
  readonly #origin = randomUUID();
  readonly #config: pg.ClientConfig;
  readonly #listenerName: string;
  readonly #pool: pg.Pool;
  readonly #channel: string;
  readonly #subscribers = new Subscribers();
  readonly #reconnectDelayMs: number;
  readonly #catchUpIntervalMs: number;
  #catchUpTimer: NodeJS.Timeout | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #lastSeq = 0n;
  #listener: pg.Client | undefined;
  #listening = false;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #reconnectAttempts = 0;
  #closed = false;
  readonly #schema: string | undefined;

  private constructor(options: PostgresStoreOptions) {
    this.#schema = options.schema;
    this.#config = {
      connectionString: options.connectionString,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      ...(options.schema === undefined
        ? {}
        : { options: `-c search_path=${quoteIdent(options.schema)}` }),
    };
    this.#pool = new pg.Pool({
      ...this.#config,
      application_name: 'sallyport',
      max: options.poolSize ?? 5,
    });
    // Named so an operator (or a test) can find it in pg_stat_activity.
    this.#listenerName = `sallyport-listen ${options.schema ?? ''}`.trim().slice(0, 63);
    // An idle client that dies must not crash the process; the pool replaces it.
    this.#pool.on('error', () => undefined);
    this.#channel =
      options.schema === undefined
        ? 'sallyport_changes'
        : `sallyport_changes_${options.schema}`.slice(0, 63);
    this.#reconnectDelayMs = options.reconnectDelayMs ?? 500;
    this.#catchUpIntervalMs = options.catchUpIntervalMs ?? 30_000;
  }

  /** Connects, applies pending migrations (one node at a time), and returns the store. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const store = new PostgresStore(options);
    try {
      await store.#migrate(options.schema);
      store.#lastSeq = await store.#maxSeq();
    } catch (error) {
      await store.#pool.end();
      throw error;
    }
    return store;
  }

  async get<T>(kind: EntityKind, scope: string, id: string): Promise<T | undefined> {
    return this.#recovering(() => getDoc<T>(this.#pool, kind, scope, id));
  }

  async list<T>(kind: EntityKind, scope: string): Promise<T[]> {
    return this.#recovering(() => listDocs<T>(this.#pool, kind, scope));
  }

  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    const run = () => this.#recovering(() => this.#run(fn));
    const next = this.#queue.then(run, run);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  subscribe(listener: (event: ChangeEvent) => void): () => void {
    const unsubscribe = this.#subscribers.add(listener);
    if (!this.#listening) {
      this.#listening = true;
      void this.#listen();
      this.#catchUpTimer = setInterval(() => {
        this.#catchUp(this.#pool).catch(() => undefined);
      }, this.#catchUpIntervalMs);
      this.#catchUpTimer.unref();
    }
    return unsubscribe;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#reconnectTimer);
    clearInterval(this.#catchUpTimer);
    this.#subscribers.clear();
    await this.#queue;
    const listener = this.#listener;
    this.#listener = undefined;
    await listener?.end().catch(() => undefined);
    await this.#pool.end();
  }

  /**
   * The database was dropped and recreated (or restored) under this node: the pool's connections
   * were ended, and the new database may lack our tables. Such a failure is retried once on a
   * fresh connection, after re-applying the migrations when a table is missing, so the node
   * carries on without a restart. It does not refill a new, empty database: what it held is gone.
   */
  async #recovering<R>(work: () => Promise<R>): Promise<R> {
    try {
      return await work();
    } catch (error) {
      if (!isRecoverable(error) || this.#closed) throw error;
      // Idempotent: applies nothing to a database that has our tables.
      await this.#migrate(this.#schema);
      // A recreated database numbers its changes from 1 again.
      this.#lastSeq = await this.#maxSeq();
      return work();
    }
  }

  async #maxSeq(): Promise<bigint> {
    const { rows } = await this.#pool.query<{ seq: string }>(
      'SELECT coalesce(max(seq), 0)::text AS seq FROM changes',
    );
    return BigInt(rows[0]?.seq ?? '0');
  }

  async #run<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    if (this.#closed) throw new Error('store is closed');
    const client = await this.#pool.connect();
    const state = new TxState();
    const events: ChangeEvent[] = [];
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))', [TX_LOCK]);
      const result = await fn(this.#tx(client, state, events));
      state.end();
      for (const e of events) {
        const { rows } = await client.query<{ seq: string }>(
          'INSERT INTO changes (origin, kind, scope, id) VALUES ($1, $2, $3, $4) RETURNING seq::text',
          [this.#origin, e.kind, e.scope, e.id],
        );
        const payload = { seq: rows[0]?.seq, origin: this.#origin, ...e };
        await client.query('SELECT pg_notify($1, $2)', [this.#channel, JSON.stringify(payload)]);
      }
      await client.query('COMMIT');
      this.#subscribers.deliver(events);
      return result;
    } catch (error) {
      state.end();
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  #tx(client: pg.PoolClient, state: TxState, events: ChangeEvent[]): StoreTx {
    const checked = async <R>(work: () => Promise<R>): Promise<R> => {
      state.check();
      return work();
    };
    return {
      get: <T>(kind: EntityKind, scope: string, id: string) =>
        checked(() => getDoc<T>(client, kind, scope, id)),
      list: <T>(kind: EntityKind, scope: string) => checked(() => listDocs<T>(client, kind, scope)),
      put: (kind, scope, id, doc) =>
        checked(async () => {
          await client.query(
            `INSERT INTO entities (kind, scope, id, doc) VALUES ($1, $2, $3, $4::json)
             ON CONFLICT (kind, scope, id) DO UPDATE SET doc = EXCLUDED.doc, updated_at = now()`,
            [kind, scope, id, JSON.stringify(doc)],
          );
        }),
      insert: (kind, scope, id, doc) =>
        checked(async () => {
          // DO NOTHING rather than a unique violation: an error would abort the whole
          // transaction, and callers may catch the conflict and carry on.
          const { rowCount } = await client.query(
            `INSERT INTO entities (kind, scope, id, doc) VALUES ($1, $2, $3, $4::json)
             ON CONFLICT DO NOTHING`,
            [kind, scope, id, JSON.stringify(doc)],
          );
          if (rowCount === 0) throw new StoreConflictError(`${kind} ${scope}/${id} exists`);
        }),
      delete: (kind, scope, id) =>
        checked(async () => {
          const { rowCount } = await client.query(
            'DELETE FROM entities WHERE kind = $1 AND scope = $2 AND id = $3',
            [kind, scope, id],
          );
          return (rowCount ?? 0) > 0;
        }),
      deleteScope: (scope) =>
        checked(async () => {
          await client.query('DELETE FROM entities WHERE scope = $1', [scope]);
        }),
      notify: (event) => {
        state.check();
        events.push({ kind: event.kind, scope: event.scope, id: event.id });
      },
    };
  }

  async #migrate(schema: string | undefined): Promise<void> {
    const client = await this.#pool.connect();
    let broken: Error | undefined;
    try {
      if (schema !== undefined)
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
      // Two nodes starting together: the second waits, then finds nothing left to apply.
      await client.query('SELECT pg_advisory_lock($1, hashtext(current_schema()))', [
        MIGRATION_LOCK,
      ]);
      try {
        await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
          version    INTEGER PRIMARY KEY,
          name       TEXT        NOT NULL,
          applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
        )`);
        const { rows } = await client.query<{ version: number }>(
          'SELECT version FROM schema_migrations',
        );
        const applied = new Set(rows.map((r) => r.version));
        for (const m of MIGRATIONS) {
          if (applied.has(m.version)) continue;
          await client.query('BEGIN');
          await client.query(m.postgres);
          await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
            m.version,
            m.name,
          ]);
          await client.query('COMMIT');
        }
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        await client
          .query('SELECT pg_advisory_unlock($1, hashtext(current_schema()))', [MIGRATION_LOCK])
          .catch((unlockError: Error) => {
            broken = unlockError;
          });
      }
    } catch (error) {
      broken ??= error as Error;
      throw error;
    } finally {
      // A client whose migration failed is dropped, not reused: it may still hold the lock.
      client.release(broken);
    }
  }

  async #listen(): Promise<void> {
    if (this.#closed) return;
    const client = new pg.Client({
      ...this.#config,
      application_name: this.#listenerName,
      // So the kernel notices a peer that vanished, and the reconnect (with its catch-up) runs.
      keepAlive: true,
    });
    const retry = () => {
      if (this.#listener !== client) return;
      this.#listener = undefined;
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      this.#scheduleReconnect();
    };
    this.#listener = client;
    client.on('error', retry);
    client.on('end', retry);
    try {
      await client.connect();
      client.on('notification', (message) => this.#onNotification(message.payload));
      await client.query(`LISTEN ${quoteIdent(this.#channel)}`);
      this.#reconnectAttempts = 0;
      // Anything committed while we were not listening (or before we first listened).
      await this.#catchUp(client);
    } catch {
      retry();
    }
  }

  #scheduleReconnect(): void {
    if (this.#closed) return;
    const delay = Math.min(this.#reconnectDelayMs * 2 ** this.#reconnectAttempts, 10_000);
    this.#reconnectAttempts++;
    this.#reconnectTimer = setTimeout(() => void this.#listen(), delay);
    this.#reconnectTimer.unref();
  }

  async #catchUp(client: pg.Client | pg.Pool): Promise<void> {
    const { rows } = await client.query<ChangeRow>(
      'SELECT seq::text, origin, kind, scope, id FROM changes WHERE seq > $1 ORDER BY seq',
      [this.#lastSeq.toString()],
    );
    for (const row of rows) this.#accept(row);
  }

  #onNotification(payload: string | undefined): void {
    if (payload === undefined) return;
    let row: ChangeRow;
    try {
      row = JSON.parse(payload) as ChangeRow;
    } catch {
      return;
    }
    this.#accept(row);
  }

  /** Seqs follow commit order (the transaction lock), so anything at or below the last is seen. */
  #accept(row: ChangeRow): void {
    const seq = BigInt(row.seq);
    if (seq <= this.#lastSeq) return;
    this.#lastSeq = seq;
    if (row.origin === this.#origin) return;
    this.#subscribers.deliver([row]);
  }
}

async function getDoc<T>(
  db: pg.Pool | pg.ClientBase,
  kind: EntityKind,
  scope: string,
  id: string,
): Promise<T | undefined> {
  const { rows } = await db.query<{ doc: T }>(
    'SELECT doc FROM entities WHERE kind = $1 AND scope = $2 AND id = $3',
    [kind, scope, id],
  );
  return rows[0]?.doc;
}

async function listDocs<T>(
  db: pg.Pool | pg.ClientBase,
  kind: EntityKind,
  scope: string,
): Promise<T[]> {
  const { rows } = await db.query<{ doc: T }>(
    'SELECT doc FROM entities WHERE kind = $1 AND scope = $2 ORDER BY seq',
    [kind, scope],
  );
  return rows.map((r) => r.doc);
}

/** PostgreSQL error codes https://www.postgresql.org/docs/current/errcodes-appendix.html */
const MISSING_TABLE = '42P01';
const CONNECTION_ENDED = new Set(['57P01', '57P02', '57P03', '08000', '08003', '08006']);

function isRecoverable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === MISSING_TABLE) return true;
  if (typeof code === 'string' && CONNECTION_ENDED.has(code)) return true;
  // pg's own words for a socket the server closed.
  return error instanceof Error && /Connection terminated/i.test(error.message);
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
