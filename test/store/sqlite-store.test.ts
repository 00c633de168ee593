import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { MIGRATIONS } from '../../src/store/migrations/migrations.js';
import { storeContract } from './store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'sallyport-sqlite-'));
const file = join(dir, 'sallyport.db');

storeContract('SqliteStore', {
  open: () => Promise.resolve(new SqliteStore(file, { pollIntervalMs: 20 })),
  durable: true,
});

describe('SqliteStore file', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is in WAL mode with every migration recorded once', async () => {
    const store = new SqliteStore(file);
    await store.close();
    const db = new Database(file, { readonly: true });
    try {
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all();
      assert.deepEqual(
        versions,
        MIGRATIONS.map((m) => ({ version: m.version })),
      );
    } finally {
      db.close();
    }
  });
});
