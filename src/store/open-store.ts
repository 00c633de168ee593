// `--store` → a Store: `postgres://…` (or `postgresql://…`) for PostgreSQL, `memory` for a store
// that forgets everything on exit, nothing for the SQLite file `<data-dir>/sallyport.db`.
// Every failure is one line a person can act on (no stack, no password).
import { SallyportError } from '../errors.js';
import { accessSync, constants } from 'node:fs';
import { join, resolve } from 'node:path';
import { MemoryStore } from './memory-store.js';
import { createPrivateFile, makePrivateDir, makePrivateFile } from './private-files.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

export interface OpenStoreOptions {
  /** `postgres://user:pass@host:5432/db[?schema=name]`, `memory`, or absent for SQLite. */
  store?: string;
  dataDir: string;
}

export const SQLITE_FILE = 'sallyport.db';
/** SQLite's write-ahead log and its index, beside the database file: they hold data too. */
export const SQLITE_SIDE_FILES = ['-wal', '-shm'] as const;

export class StoreOpenError extends SallyportError {
  readonly code = 'ERR_STORE_OPEN';
}

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const spec = options.store?.trim();
  if (spec === undefined || spec === '') return openSqlite(options.dataDir);
  if (spec === 'memory') return new MemoryStore();
  if (/^postgres(ql)?:\/\//i.test(spec)) return openPostgres(spec);
  throw new StoreOpenError(
    `--store must be postgres://…, postgresql://… or memory (or absent for SQLite in the data directory), not "${redact(spec)}"`,
  );
}

function openSqlite(dataDir: string): Store {
  const dir = resolve(dataDir);
  try {
    makePrivateDir(dir);
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new StoreOpenError(`data directory ${dir} is not writable: ${reason(error)}`);
  }
  const file = join(dir, SQLITE_FILE);
  try {
    createPrivateFile(file);
    const store = new SqliteStore(file);
    for (const suffix of SQLITE_SIDE_FILES) makePrivateFile(file + suffix);
    return store;
  } catch (error) {
    throw new StoreOpenError(`cannot open the SQLite store ${file}: ${reason(error)}`);
  }
}

async function openPostgres(spec: string): Promise<Store> {
  let url: URL;
  try {
    url = new URL(spec);
  } catch {
    throw new StoreOpenError(`--store is not a valid PostgreSQL URL: "${redact(spec)}"`);
  }
  // `?schema=` is ours, not libpq's: take it out before pg sees the URL.
  const schema = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  if (schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]{0,40}$/.test(schema))
    throw new StoreOpenError(`--store schema must be letters, digits and _: "${schema}"`);
  const where = `${url.hostname || 'localhost'}:${url.port || '5432'}${url.pathname}`;
  // Loaded only here: a node on SQLite or memory never needs the PostgreSQL client.
  const { PostgresStore } = await import('./postgres/postgres-store.js');
  try {
    return await PostgresStore.open({
      connectionString: url.toString(),
      ...(schema === undefined ? {} : { schema }),
    });
  } catch (error) {
    throw new StoreOpenError(`cannot use PostgreSQL at ${where}: ${reason(error)}`);
  }
}

function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const message = error.message.split('\n')[0] ?? '';
  // AggregateError (both IPv4 and IPv6 refused) has an empty message and a code.
  if (message === '') return typeof code === 'string' ? code : error.name;
  return typeof code === 'string' && !message.includes(code) && /^E[A-Z]+$/.test(code)
    ? `${message} (${code})`
    : message;
}

/** Never print a password back. */
function redact(spec: string): string {
  return spec.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
}
