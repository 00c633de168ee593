// One behaviour for every Store: MemoryStore shows the semantics, SQLite and PostgreSQL must match.
import { waitFor } from './wait-for.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  StoreConflictError,
  type ChangeEvent,
  type Store,
  type StoreTx,
} from '../../src/store/store.js';

export interface StoreFactory {
  /** A new store instance over the same underlying data (same file, same schema). */
  open(): Promise<Store>;
  /** Whether data outlives the instance (SQLite file, PostgreSQL). */
  durable: boolean;
  /** Drops the underlying data, after every instance is closed. */
  cleanup?(): Promise<void>;
}

export function storeContract(name: string, factory: StoreFactory): void {
  describe(`${name}: Store contract`, () => {
    let store: Store;
    before(async () => {
      store = await factory.open();
    });
    after(async () => {
      await store.close();
      await factory.cleanup?.();
    });

    const write = (fn: (tx: StoreTx) => Promise<void>) => store.transaction(fn);

    it('get answers undefined for a missing entity, and the doc once put', async () => {
      assert.equal(await store.get('restapi', '', 'missing'), undefined);
      await write((tx) => tx.put('restapi', '', 'a1', { id: 'a1', name: 'one', n: [1, 2] }));
      assert.deepEqual(await store.get('restapi', '', 'a1'), { id: 'a1', name: 'one', n: [1, 2] });
      assert.equal(await store.get('restapi', 'other-scope', 'a1'), undefined);
      assert.equal(await store.get('stage', '', 'a1'), undefined);
    });

    it('put replaces, and list keeps insertion order (a replaced entity keeps its place)', async () => {
      await write(async (tx) => {
        await tx.put('resource', 'api1', 'c', { id: 'c' });
        await tx.put('resource', 'api1', 'a', { id: 'a' });
        await tx.put('resource', 'api1', 'b', { id: 'b' });
        await tx.put('resource', 'api2', 'z', { id: 'z' });
        await tx.put('authorizer', 'api1', 'x', { id: 'x' });
      });
      await write((tx) => tx.put('resource', 'api1', 'a', { id: 'a', v: 2 }));
      assert.deepEqual(await store.list('resource', 'api1'), [
        { id: 'c' },
        { id: 'a', v: 2 },
        { id: 'b' },
      ]);
      assert.deepEqual(await store.list('resource', 'nothing'), []);
    });

    it('keeps the key order of documents (maps such as Environment.Variables)', async () => {
      const doc = { zeta: 1, alpha: { longerKey: 'x', b: 'y' }, mid: null, s: 'é "q" \u0000' };
      await write((tx) => tx.put('function', '', 'order', doc));
      const got = await store.get('function', '', 'order');
      assert.deepEqual(got, doc);
      assert.equal(JSON.stringify(got), JSON.stringify(doc));
    });

    it('insert refuses an existing id with StoreConflictError, and the transaction can go on', async () => {
      await write((tx) => tx.insert('stage', 'api1', 'dev', { stageName: 'dev' }));
      await write(async (tx) => {
        await assert.rejects(
          tx.insert('stage', 'api1', 'dev', { stageName: 'again' }),
          StoreConflictError,
        );
        await tx.insert('stage', 'api1', 'prod', { stageName: 'prod' });
      });
      assert.deepEqual(await store.list('stage', 'api1'), [
        { stageName: 'dev' },
        { stageName: 'prod' },
      ]);
    });

    it('delete says whether something was deleted', async () => {
      await write((tx) => tx.put('deployment', 'api1', 'd1', { id: 'd1' }));
      assert.equal(await store.transaction((tx) => tx.delete('deployment', 'api1', 'd1')), true);
      assert.equal(await store.transaction((tx) => tx.delete('deployment', 'api1', 'd1')), false);
      assert.equal(await store.get('deployment', 'api1', 'd1'), undefined);
    });

    it('deleteScope deletes every kind in that scope and nothing else', async () => {
      await write(async (tx) => {
        await tx.put('resource', 'gone', 'r', { id: 'r' });
        await tx.put('stage', 'gone', 's', { id: 's' });
        await tx.put('resource', 'kept', 'r', { id: 'r' });
      });
      await write((tx) => tx.deleteScope('gone'));
      assert.deepEqual(await store.list('resource', 'gone'), []);
      assert.deepEqual(await store.list('stage', 'gone'), []);
      assert.deepEqual(await store.list('resource', 'kept'), [{ id: 'r' }]);
    });

    it('a transaction that throws writes nothing and announces nothing', async () => {
      const events: ChangeEvent[] = [];
      const unsubscribe = store.subscribe((e) => events.push(e));
      await write((tx) => tx.put('restapi', '', 'rb', { v: 1 }));
      events.length = 0;
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.put('restapi', '', 'rb', { v: 2 });
          await tx.put('restapi', '', 'rb-new', { v: 1 });
          await tx.delete('restapi', '', 'a1');
          tx.notify({ kind: 'restapi', scope: '', id: 'rb' });
          assert.deepEqual(await tx.get('restapi', '', 'rb'), { v: 2 });
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.deepEqual(await store.get('restapi', '', 'rb'), { v: 1 });
      assert.equal(await store.get('restapi', '', 'rb-new'), undefined);
      assert.deepEqual(await store.get('restapi', '', 'a1'), { id: 'a1', name: 'one', n: [1, 2] });
      assert.deepEqual(events, []);
      unsubscribe();
    });

    it('announces changes only after commit, once per notify', async () => {
      const events: ChangeEvent[] = [];
      const unsubscribe = store.subscribe((e) => events.push(e));
      const result = await store.transaction(async (tx) => {
        await tx.put('function', '', 'fn1', { FunctionName: 'fn1' });
        tx.notify({ kind: 'function', scope: '', id: 'fn1' });
        await tx.get('function', '', 'fn1');
        assert.deepEqual(events, [], 'nothing before commit');
        return 'done';
      });
      assert.equal(result, 'done');
      assert.deepEqual(events, [{ kind: 'function', scope: '', id: 'fn1' }]);
      unsubscribe();
      await write((tx) => {
        tx.notify({ kind: 'function', scope: '', id: 'fn1' });
        return Promise.resolve();
      });
      assert.equal(events.length, 1, 'no events after unsubscribe');
    });

    it('readers outside a transaction see only committed data', async () => {
      await write((tx) => tx.put('restapi', '', 'iso', { v: 1 }));
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let written!: () => void;
      const wrote = new Promise<void>((resolve) => (written = resolve));
      const running = store.transaction(async (tx) => {
        await tx.put('restapi', '', 'iso', { v: 2 });
        written();
        await gate;
      });
      await wrote;
      assert.deepEqual(await store.get('restapi', '', 'iso'), { v: 1 });
      release();
      await running;
      assert.deepEqual(await store.get('restapi', '', 'iso'), { v: 2 });
    });

    it('concurrent transactions are serialised: no lost update', async () => {
      await write((tx) => tx.put('restapi', '', 'counter', { n: 0 }));
      await Promise.all(
        Array.from({ length: 20 }, () =>
          store.transaction(async (tx) => {
            const doc = await tx.get<{ n: number }>('restapi', '', 'counter');
            await new Promise((resolve) => setImmediate(resolve));
            await tx.put('restapi', '', 'counter', { n: (doc?.n ?? 0) + 1 });
          }),
        ),
      );
      assert.deepEqual(await store.get('restapi', '', 'counter'), { n: 20 });
    });

    it('a transaction handle cannot be used after its transaction ended', async () => {
      let kept: StoreTx | undefined;
      await store.transaction((tx) => {
        kept = tx;
        return Promise.resolve();
      });
      await assert.rejects(kept!.put('restapi', '', 'late', {}));
      assert.equal(await store.get('restapi', '', 'late'), undefined);
    });

    it('data survives close and reopen', { skip: !factory.durable }, async () => {
      await write((tx) => tx.put('permission', 'fn1', 'sid', { Sid: 'sid' }));
      await store.close();
      store = await factory.open();
      assert.deepEqual(await store.get('permission', 'fn1', 'sid'), { Sid: 'sid' });
      assert.deepEqual(await store.list('resource', 'api1'), [
        { id: 'c' },
        { id: 'a', v: 2 },
        { id: 'b' },
      ]);
    });

    it('opening twice at once applies migrations once', { skip: !factory.durable }, async () => {
      const [a, b] = await Promise.all([factory.open(), factory.open()]);
      assert.deepEqual(await a.get('permission', 'fn1', 'sid'), { Sid: 'sid' });
      assert.deepEqual(await b.get('permission', 'fn1', 'sid'), { Sid: 'sid' });
      await Promise.all([a.close(), b.close()]);
    });

    it(
      "a change committed through one instance reaches the other instance's subscriber",
      { skip: !factory.durable },
      async () => {
        const other = await factory.open();
        try {
          const seen: ChangeEvent[] = [];
          const unsubscribe = other.subscribe((e) => seen.push(e));
          const mine: ChangeEvent[] = [];
          const unsubscribeMine = store.subscribe((e) => mine.push(e));
          await store.transaction(async (tx) => {
            await tx.put('stage', 'api9', 'dev', { deploymentId: 'd2' });
            tx.notify({ kind: 'stage', scope: 'api9', id: 'dev' });
          });
          await waitFor(() => seen.length > 0, 30_000, 'the other instance to hear the change');
          assert.deepEqual(seen, [{ kind: 'stage', scope: 'api9', id: 'dev' }]);
          assert.deepEqual(await other.get('stage', 'api9', 'dev'), { deploymentId: 'd2' });
          assert.deepEqual(mine, [{ kind: 'stage', scope: 'api9', id: 'dev' }], 'own change once');
          unsubscribe();
          unsubscribeMine();
        } finally {
          await other.close();
        }
      },
    );
  });
}
