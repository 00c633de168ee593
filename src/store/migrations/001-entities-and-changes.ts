import type { Migration } from './migration.js';

// `entities` holds every model document. `seq` gives list() its insertion order (an upsert keeps
// the row, so a replaced entity keeps its place, as MemoryStore's Map does).
// PostgreSQL stores `doc` as `json`, not `jsonb`: jsonb reorders object keys, and key order is
// visible to users (Environment.Variables, resourceMethods, requestTemplates, OpenAPI export);
// nothing queries inside documents.
// `changes` is the change feed other processes read: SQLite polls it, PostgreSQL replays it
// after a LISTEN connection comes back.
export const entitiesAndChanges: Migration = {
  version: 1,
  name: 'entities and changes',
  sqlite: `
    CREATE TABLE entities (
      seq        INTEGER PRIMARY KEY AUTOINCREMENT,
      kind       TEXT    NOT NULL,
      scope      TEXT    NOT NULL,
      id         TEXT    NOT NULL,
      doc        TEXT    NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      UNIQUE (kind, scope, id)
    );
    CREATE INDEX entities_scope ON entities (scope);
    CREATE TABLE changes (
      seq    INTEGER PRIMARY KEY AUTOINCREMENT,
      origin TEXT    NOT NULL,
      kind   TEXT    NOT NULL,
      scope  TEXT    NOT NULL,
      id     TEXT    NOT NULL,
      at     INTEGER NOT NULL
    );
  `,
  postgres: `
    CREATE TABLE entities (
      seq        BIGINT GENERATED ALWAYS AS IDENTITY,
      kind       TEXT        NOT NULL,
      scope      TEXT        NOT NULL,
      id         TEXT        NOT NULL,
      doc        JSON        NOT NULL,
      created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      PRIMARY KEY (kind, scope, id)
    );
    CREATE INDEX entities_list ON entities (kind, scope, seq);
    CREATE INDEX entities_scope ON entities (scope);
    CREATE TABLE changes (
      seq    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      origin TEXT        NOT NULL,
      kind   TEXT        NOT NULL,
      scope  TEXT        NOT NULL,
      id     TEXT        NOT NULL,
      at     TIMESTAMPTZ NOT NULL DEFAULT now()
    );
  `,
};
