// A Store in memory: for tests and for `--store memory`. Same semantics as the SQL stores:
// transactions apply all their writes or none, and notify subscribers after commit.
import {
  StoreConflictError,
  type ChangeEvent,
  type EntityKind,
  type Store,
  type StoreTx,
} from './store.js';
import { Subscribers, TxState } from './subscribers.js';

type Table = Map<string, unknown>;

const keyOf = (kind: EntityKind, scope: string) => `${kind}\u0000${scope}`;

export class MemoryStore implements Store {
  #tables = new Map<string, Table>();
  #subscribers = new Subscribers();
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
      // Once swapped in, the draft is the live data: a kept tx handle must not write to it.
      const state = new TxState();
      // A throw inside the executor becomes the rejection.
      const live = <R>(work: () => R): Promise<R> =>
        new Promise<R>((resolve) => {
          state.check();
          resolve(work());
        });
      const tx: StoreTx = {
        get: (kind, scope, id) =>
          live(() => clone(draft.get(keyOf(kind, scope))?.get(id)) as never),
        list: (kind, scope) =>
          live(() => [...(draft.get(keyOf(kind, scope))?.values() ?? [])].map(clone) as never),
        put: (kind, scope, id, doc) =>
          live(() => void table(draft, kind, scope).set(id, clone(doc))),
        insert: (kind, scope, id, doc) =>
          live(() => {
            const t = table(draft, kind, scope);
            if (t.has(id)) throw new StoreConflictError(`${kind} ${scope}/${id} exists`);
            t.set(id, clone(doc));
          }),
        delete: (kind, scope, id) => live(() => draft.get(keyOf(kind, scope))?.delete(id) ?? false),
        deleteScope: (scope) =>
          live(() => {
            for (const key of [...draft.keys()])
              if (key.endsWith(`\u0000${scope}`)) draft.delete(key);
          }),
        notify: (event) => {
          state.check();
          events.push({ kind: event.kind, scope: event.scope, id: event.id });
        },
      };
      let result: T;
      try {
        result = await fn(tx);
      } finally {
        state.end();
      }
      this.#tables = draft;
      this.#subscribers.deliver(events);
      return result;
    };
    const next = this.#queue.then(run, run);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  subscribe(listener: (event: ChangeEvent) => void): () => void {
    return this.#subscribers.add(listener);
  }

  close(): Promise<void> {
    this.#subscribers.clear();
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
