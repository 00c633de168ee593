// The embedded default store: one SQLite file in the data directory, nothing to set up.
// better-sqlite3 is synchronous while `transaction(fn)` is async, so transactions run one at a
// time through a promise queue (two must never interleave on the one connection). Reads outside
// a transaction use a second, read-only connection: in WAL mode it sees only committed data, as
// MemoryStore's readers do, even while a transaction is open on the writer.
// Another process on the same file (`sallyport deploy` beside `serve`) is noticed by polling the
// `changes` table once a second while someone is subscribed.
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../migrations/migrations.js';
import {
  StoreConflictError,
  StoreUnavailableError,
  type ChangeEvent,
  type ChangeKind,
  type EntityKind,
  type Store,
  type StoreTx,
} from '../store.js';
import { Subscribers, TxState } from '../subscribers.js';

export interface SqliteStoreOptions {
  /** How often to look for changes committed by other processes; default 1000 ms. */
  pollIntervalMs?: number;
  /** How long to wait for another process's write lock; default 5000 ms. */
  busyTimeoutMs?: number;
}

/** Change rows older than this are pruned at open: a process that was away longer reloads anyway. */
const CHANGES_KEPT_MS = 24 * 60 * 60 * 1000;

interface ChangeRow {
  seq: number;
  origin: string;
  kind: ChangeKind;
  scope: string;
  id: string;
}

export class SqliteStore implements Store {
  readonly #origin = randomUUID();
  readonly #writer: Database.Database;
  readonly #reader: Database.Database;
  readonly #w: Statements;
  readonly #r: Statements;
  readonly #subscribers = new Subscribers();
  readonly #pollIntervalMs: number;
  #queue: Promise<unknown> = Promise.resolve();
  #lastSeq = 0;
  #poller: NodeJS.Timeout | undefined;
  #closed = false;
  readonly #file: string;
  /** The opened file's device and inode: a write goes only to the file still at that path. */
  readonly #identity: string | undefined;

  constructor(file: string, options: SqliteStoreOptions = {}) {
    const busyTimeout = options.busyTimeoutMs ?? 5000;
    this.#pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.#writer = new Database(file, { timeout: busyTimeout });
    try {
      this.#writer.pragma('journal_mode = WAL');
      this.#writer.pragma('foreign_keys = ON');
      this.#writer.pragma('synchronous = NORMAL');
      migrate(this.#writer);
      this.#writer.prepare('DELETE FROM changes WHERE at < ?').run(Date.now() - CHANGES_KEPT_MS);
      this.#w = prepare(this.#writer);
      this.#reader = new Database(file, { readonly: true, timeout: busyTimeout });
      this.#r = prepare(this.#reader);
    } catch (error) {
      this.#writer.close();
      throw error;
    }
    this.#lastSeq = (this.#r.maxChangeSeq.get() as { seq: number }).seq;
    this.#file = file;
    this.#identity = fileIdentity(file);
  }

  get<T>(kind: EntityKind, scope: string, id: string): Promise<T | undefined> {
    return Promise.resolve(getDoc<T>(this.#r, kind, scope, id));
  }

  list<T>(kind: EntityKind, scope: string): Promise<T[]> {
    return Promise.resolve(listDocs<T>(this.#r, kind, scope));
  }

  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    const run = () => this.#run(fn);
    const next = this.#queue.then(run, run);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  subscribe(listener: (event: ChangeEvent) => void): () => void {
    const unsubscribe = this.#subscribers.add(listener);
    this.#startPolling();
    return () => {
      unsubscribe();
      if (this.#subscribers.size === 0) this.#stopPolling();
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopPolling();
    this.#subscribers.clear();
    await this.#queue;
    this.#reader.close();
    this.#writer.close();
  }

  async #run<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    if (this.#closed) throw new Error('store is closed');
    this.#assertFileInPlace();
    const db = this.#writer;
    const state = new TxState();
    const events: ChangeEvent[] = [];
    // IMMEDIATE takes the write lock now, so another process cannot slip a write in between
    // our reads and writes.
    db.exec('BEGIN IMMEDIATE');
    try {
      const result = await fn(this.#tx(state, events));
      state.end();
      for (const e of events)
        this.#w.recordChange.run(this.#origin, e.kind, e.scope, e.id, Date.now());
      db.exec('COMMIT');
      this.#subscribers.deliver(events);
      return result;
    } catch (error) {
      state.end();
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    }
  }

  /**
   * SQLite keeps writing to an open file that was deleted or replaced: every write would be
   * acknowledged and lost with the process. Refuse instead, until the node is restarted.
   */
  #assertFileInPlace(): void {
    const now = fileIdentity(this.#file);
    if (now === this.#identity) return;
    throw new StoreUnavailableError(
      now === undefined
        ? `the SQLite store ${this.#file} was deleted while this node was running; writes are refused until it is restarted`
        : `the SQLite store ${this.#file} was replaced by another file while this node was running; writes are refused until it is restarted`,
    );
  }

  #tx(state: TxState, events: ChangeEvent[]): StoreTx {
    const w = this.#w;
    // Each method runs synchronously and wraps its outcome in a promise, so a failure is a
    // rejection, as with the other stores.
    const wrap = <R>(work: () => R): Promise<R> =>
      new Promise<R>((resolve) => {
        state.check();
        resolve(work());
      });
    return {
      get: <T>(kind: EntityKind, scope: string, id: string) =>
        wrap(() => getDoc<T>(w, kind, scope, id)),
      list: <T>(kind: EntityKind, scope: string) => wrap(() => listDocs<T>(w, kind, scope)),
      put: (kind, scope, id, doc) =>
        wrap(() => {
          const now = Date.now();
          w.upsert.run(kind, scope, id, JSON.stringify(doc), now, now);
        }),
      insert: (kind, scope, id, doc) =>
        wrap(() => {
          const now = Date.now();
          const { changes } = w.insert.run(kind, scope, id, JSON.stringify(doc), now, now);
          if (changes === 0) throw new StoreConflictError(`${kind} ${scope}/${id} exists`);
        }),
      delete: (kind, scope, id) => wrap(() => w.delete.run(kind, scope, id).changes > 0),
      deleteScope: (scope) => wrap(() => void w.deleteScope.run(scope)),
      notify: (event) => {
        state.check();
        events.push({ kind: event.kind, scope: event.scope, id: event.id });
      },
    };
  }

  #startPolling(): void {
    if (this.#poller || this.#closed) return;
    this.#poller = setInterval(() => this.#poll(), this.#pollIntervalMs);
    this.#poller.unref();
  }

  #stopPolling(): void {
    clearInterval(this.#poller);
    this.#poller = undefined;
  }

  #poll(): void {
    if (this.#closed) return;
    let rows: ChangeRow[];
    try {
      rows = this.#r.changesSince.all(this.#lastSeq) as ChangeRow[];
    } catch (error) {
      // Busy or briefly unreadable: try again on the next tick.
      process.emitWarning(`store change poll failed: ${String(error)}`);
      return;
    }
    const last = rows.at(-1);
    if (last) this.#lastSeq = last.seq;
    // Our own changes were delivered at commit.
    this.#subscribers.deliver(rows.filter((r) => r.origin !== this.#origin));
  }
}

/** `dev:ino` of the file at `path`, or undefined when nothing is there. */
function fileIdentity(path: string): string | undefined {
  try {
    const st = statSync(path, { bigint: true });
    return `${st.dev}:${st.ino}`;
  } catch {
    return undefined;
  }
}

function migrate(db: Database.Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  // IMMEDIATE: two processes opening a new file together apply each migration once.
  db.exec('BEGIN IMMEDIATE');
  try {
    const applied = new Set(
      (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
        (r) => r.version,
      ),
    );
    for (const m of MIGRATIONS) {
      if (applied.has(m.version)) continue;
      db.exec(m.sqlite);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        Date.now(),
      );
    }
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

type Statements = ReturnType<typeof prepare>;

// Compiled once per connection: get and list are on the path of every stage load.
function prepare(db: Database.Database) {
  return {
    get: db.prepare('SELECT doc FROM entities WHERE kind = ? AND scope = ? AND id = ?'),
    list: db.prepare('SELECT doc FROM entities WHERE kind = ? AND scope = ? ORDER BY seq'),
    upsert: db.prepare(
      `INSERT INTO entities (kind, scope, id, doc, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (kind, scope, id) DO UPDATE
         SET doc = excluded.doc, updated_at = excluded.updated_at`,
    ),
    insert: db.prepare(
      `INSERT INTO entities (kind, scope, id, doc, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    ),
    delete: db.prepare('DELETE FROM entities WHERE kind = ? AND scope = ? AND id = ?'),
    deleteScope: db.prepare('DELETE FROM entities WHERE scope = ?'),
    recordChange: db.prepare(
      'INSERT INTO changes (origin, kind, scope, id, at) VALUES (?, ?, ?, ?, ?)',
    ),
    changesSince: db.prepare(
      'SELECT seq, origin, kind, scope, id FROM changes WHERE seq > ? ORDER BY seq',
    ),
    maxChangeSeq: db.prepare('SELECT coalesce(max(seq), 0) AS seq FROM changes'),
  };
}

function getDoc<T>(s: Statements, kind: EntityKind, scope: string, id: string): T | undefined {
  const row = s.get.get(kind, scope, id) as { doc: string } | undefined;
  return row === undefined ? undefined : (JSON.parse(row.doc) as T);
}

function listDocs<T>(s: Statements, kind: EntityKind, scope: string): T[] {
  const rows = s.list.all(kind, scope) as { doc: string }[];
  return rows.map((row) => JSON.parse(row.doc) as T);
}
