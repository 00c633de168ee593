// A Store in memory: for tests and for `--store memory`. Same semantics as the SQL stores:
// transactions apply all their writes or none, and notify subscribers after commit.
import {
  StoreConflictError,
  type ChangeEvent,
  type EntityKind,
  type Store,
  type StoreTx,
} from './store.js';

type Table = Map<string, unknown>;

const keyOf = (kind: EntityKind, scope: string) => `${kind}\u0000${scope}`;

export class MemoryStore implements Store {
  #tables = new Map<string, Table>();
  #listeners = new Set<(event: ChangeEvent) => void>();
  #queue: Promise<unknown> = Promise.resolve();

  get<T>(kind: EntityKind, scope: string, id: string): Promise<T | undefined> {
    return Promise.resolve(clone(this.#tables.get(keyOf(kind, scope))?.get(id)) as T | undefined);
  }

  list<T>(kind: EntityKind, scope: string): Promise<T[]> {
    return Promise.resolve(
      [...(this.#tables.get(keyOf(kind, scope))?.values() ?? [])].map(clone) as T[],
    );
  }

  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    const run = async () => {
      // Work on a copy; swap it in only if fn succeeds.
      const draft = new Map([...this.#tables].map(([k, t]) => [k, new Map(t)]));
      const events: ChangeEvent[] = [];
      const tx: StoreTx = {
        get: (kind, scope, id) =>
          Promise.resolve(clone(draft.get(keyOf(kind, scope))?.get(id)) as never),
        list: (kind, scope) =>
          Promise.resolve([...(draft.get(keyOf(kind, scope))?.values() ?? [])].map(clone) as never),
        put: (kind, scope, id, doc) => {
          table(draft, kind, scope).set(id, clone(doc));
          return Promise.resolve();
        },
        insert: (kind, scope, id, doc) => {
          const t = table(draft, kind, scope);
          if (t.has(id))
            return Promise.reject(new StoreConflictError(`${kind} ${scope}/${id} exists`));
          t.set(id, clone(doc));
          return Promise.resolve();
        },
        delete: (kind, scope, id) =>
          Promise.resolve(draft.get(keyOf(kind, scope))?.delete(id) ?? false),
        deleteScope: (scope) => {
          for (const key of [...draft.keys()])
            if (key.endsWith(`\u0000${scope}`)) draft.delete(key);
          return Promise.resolve();
        },
        notify: (event) => void events.push(event),
      };
      const result = await fn(tx);
      this.#tables = draft;
      for (const event of events) for (const listener of this.#listeners) listener(event);
      return result;
    };
    const next = this.#queue.then(run, run);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  subscribe(listener: (event: ChangeEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): Promise<void> {
    this.#listeners.clear();
    return Promise.resolve();
  }
}

function table(tables: Map<string, Table>, kind: EntityKind, scope: string): Table {
  const key = keyOf(kind, scope);
  let t = tables.get(key);
  if (!t) tables.set(key, (t = new Map<string, unknown>()));
  return t;
}

const clone = <T>(v: T): T => (v === undefined ? v : structuredClone(v));
