// Runs only with SALLYPORT_TEST_PG (e.g. postgres://postgres@127.0.0.1:5432/test). Each run keeps
// its tables in a fresh schema, dropped afterwards, so parallel runs never collide.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { MIGRATIONS } from '../../src/store/migrations/migrations.js';
import type { ChangeEvent } from '../../src/store/store.js';
import { storeContract } from './store-contract.js';
import { dropSchema } from './drop-schema.js';
import { waitFor } from './wait-for.js';

const url = process.env.SALLYPORT_TEST_PG;
const SKIP = 'skipped: set SALLYPORT_TEST_PG to run';

if (url === undefined || url === '') {
  describe('PostgresStore', { skip: SKIP }, () => {
    it(SKIP, () => undefined);
  });
} else {
  const schema = `sallyport_test_${randomBytes(6).toString('hex')}`;
  const open = () => PostgresStore.open({ connectionString: url, schema, reconnectDelayMs: 50 });

  storeContract('PostgresStore', { open, durable: true });

  describe('PostgresStore', () => {
    after(() => dropSchema(url, schema));

    it('records every migration once', async () => {
      const store = await open();
      await store.close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query(
          `SELECT version FROM "${schema}".schema_migrations ORDER BY version`,
        );
        assert.deepEqual(
          rows,
          MIGRATIONS.map((m) => ({ version: m.version })),
        );
      } finally {
        await client.end();
      }
    });

    it('a subscriber whose LISTEN connection dies hears what was committed meanwhile', async () => {
      const [a, b] = await Promise.all([open(), open()]);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const seen: ChangeEvent[] = [];
        b.subscribe((e) => seen.push(e));
        const listenerPids = async () =>
          (
            await client.query<{ pid: number }>(
              `SELECT pid FROM pg_stat_activity WHERE application_name = $1`,
              [`sallyport-listen ${schema}`],
            )
          ).rows.map((r) => r.pid);
        let pids: number[] = [];
        const deadline = Date.now() + 30_000;
        while ((pids = await listenerPids()).length === 0 && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        assert.equal(pids.length, 1, 'one LISTEN connection');
        await client.query('SELECT pg_terminate_backend($1)', [pids[0]]);
        await a.transaction(async (tx) => {
          await tx.put('function', '', 'while-away', { FunctionName: 'while-away' });
          tx.notify({ kind: 'function', scope: '', id: 'while-away' });
        });
        await waitFor(() => seen.length > 0, 30_000, 'the change to be replayed');
        assert.deepEqual(seen, [{ kind: 'function', scope: '', id: 'while-away' }]);
      } finally {
        await Promise.all([a.close(), b.close(), client.end()]);
      }
    });

    it('a change whose notification never came is still delivered, by the periodic catch-up', async () => {
      const a = await open();
      const b = await PostgresStore.open({ connectionString: url, schema, catchUpIntervalMs: 50 });
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const seen: ChangeEvent[] = [];
        b.subscribe((e) => seen.push(e));
        // b listens (and has made its first catch-up) once it hears a's notification.
        await a.transaction((tx) => {
          tx.notify({ kind: 'restapi', scope: '', id: 'heard' });
          return Promise.resolve();
        });
        await waitFor(() => seen.length > 0, 30_000, 'the notification');
        seen.length = 0;
        // Written as another node's committed change, with no NOTIFY: a notification lost.
        await client.query(
          `INSERT INTO "${schema}".changes (origin, kind, scope, id) VALUES ('elsewhere', 'authorizercache', 'api1', 'prod')`,
        );
        await waitFor(() => seen.length > 0, 30_000, 'the change to be read from the feed');
        assert.deepEqual(seen, [{ kind: 'authorizercache', scope: 'api1', id: 'prod' }]);
      } finally {
        await Promise.all([a.close(), b.close(), client.end()]);
      }
    });
  });
}
