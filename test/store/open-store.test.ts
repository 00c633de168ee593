import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { MemoryStore } from '../../src/store/memory-store.js';
import { openStore, StoreOpenError } from '../../src/store/open-store.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'sallyport-open-'));

describe('openStore', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('opens SQLite in the data directory by default, creating the directory', async () => {
    const dataDir = join(dir, 'new', 'data');
    const store = await openStore({ dataDir });
    assert.ok(store instanceof SqliteStore);
    assert.ok(existsSync(join(dataDir, 'sallyport.db')));
    await store.close();
  });

  it('opens a MemoryStore for `memory`', async () => {
    const store = await openStore({ store: 'memory', dataDir: dir });
    assert.ok(store instanceof MemoryStore);
    await store.close();
  });

  it('refuses anything else in one line, without the password', async () => {
    await assert.rejects(openStore({ store: 'mysql://u:secret@h/db', dataDir: dir }), (e) => {
      assert.ok(e instanceof StoreOpenError);
      assert.equal(
        e.message,
        '--store must be postgres://…, postgresql://… or memory (or absent for SQLite in the data directory), not "mysql://u:***@h/db"',
      );
      return true;
    });
  });

  it('says when the data directory cannot be used', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    await assert.rejects(openStore({ dataDir: join(file, 'sub') }), (e) => {
      assert.ok(e instanceof StoreOpenError);
      assert.match(e.message, /^data directory .*a-file\/sub is not writable: /);
      assert.doesNotMatch(e.message, /\n/);
      return true;
    });
  });

  it('says when PostgreSQL cannot be reached', async () => {
    await assert.rejects(
      openStore({ store: 'postgres://u:secret@127.0.0.1:1/db', dataDir: dir }),
      (e) => {
        assert.ok(e instanceof StoreOpenError);
        assert.match(e.message, /^cannot use PostgreSQL at 127\.0\.0\.1:1\/db: .*ECONNREFUSED/);
        assert.doesNotMatch(e.message, /secret|\n/);
        return true;
      },
    );
  });

  it('refuses a bad schema name', async () => {
    await assert.rejects(
      openStore({ store: 'postgresql://h/db?schema=a;drop', dataDir: dir }),
      /--store schema must be letters, digits and _: "a;drop"/,
    );
  });

  const url = process.env.SALLYPORT_TEST_PG;
  it(
    'opens PostgreSQL for postgres:// URLs, in ?schema= when given',
    { skip: url ? false : 'skipped: set SALLYPORT_TEST_PG to run' },
    async () => {
      const u = new URL(url!);
      const schema = `sallyport_open_${Date.now().toString(36)}`;
      u.searchParams.set('schema', schema);
      const store = await openStore({ store: u.toString(), dataDir: dir });
      try {
        assert.ok(store instanceof PostgresStore);
        await store.transaction((tx) => tx.put('restapi', '', 'x', { id: 'x' }));
        assert.deepEqual(await store.get('restapi', '', 'x'), { id: 'x' });
      } finally {
        await store.close();
        const pg = await import('pg');
        const client = new pg.default.Client({ connectionString: url });
        await client.connect();
        await client.query(`DROP SCHEMA "${schema}" CASCADE`);
        await client.end();
      }
    },
  );
});
