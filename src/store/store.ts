// One interface for everything Sallyport persists. SQLite (embedded default, a file in the data
// directory) and PostgreSQL (several gateway nodes sharing one configuration) implement it.
// Entities are AWS model documents (src/model/types.ts), stored as JSON and addressed by kind,
// scope (the owning API id or function name; '' for top-level things) and id.

import { SallyportError } from '../errors.js';

export type EntityKind =
  | 'restapi'
  | 'resource'
  | 'authorizer'
  | 'gatewayresponse'
  | 'model'
  | 'requestvalidator'
  | 'deployment'
  | 'stage'
  | 'function'
  /** A function's deployment package (scope: function name, id: the zip's SHA-256 in hex), so
   *  every node sharing the store can unpack the code a function runs. */
  | 'code'
  | 'permission'
  /** API keys and usage plans are top-level (scope ''); a plan's keys are scoped by plan id. */
  | 'apikey'
  | 'usageplan'
  | 'usageplankey'
  /** Quota counts of a single node without Redis (scope '', id 'counters'), across restarts. */
  | 'usage';

export interface Entity<T = unknown> {
  kind: EntityKind;
  scope: string;
  id: string;
  doc: T;
}

/**
 * What a change event is about: an entity, or `authorizercache` — a FlushStageAuthorizersCache
 * (scope: API id, id: stage name), which changes no entity but must reach every node.
 */
export type ChangeKind = EntityKind | 'authorizercache';

/** What changed, so every node can recompile a stage, reload a function or flush a cache. */
export interface ChangeEvent {
  kind: ChangeKind;
  scope: string;
  id: string;
}

export interface StoreReader {
  get<T>(kind: EntityKind, scope: string, id: string): Promise<T | undefined>;
  /** All entities of a kind in a scope, in insertion order. */
  list<T>(kind: EntityKind, scope: string): Promise<T[]>;
}

export interface StoreTx extends StoreReader {
  /** Inserts or replaces. */
  put<T>(kind: EntityKind, scope: string, id: string, doc: T): Promise<void>;
  /** Inserts; throws StoreConflictError if it exists. */
  insert<T>(kind: EntityKind, scope: string, id: string, doc: T): Promise<void>;
  delete(kind: EntityKind, scope: string, id: string): Promise<boolean>;
  /** Deletes every entity in a scope (all of one API's resources, stages, …). */
  deleteScope(scope: string): Promise<void>;
  /** Announces a change to every node once the transaction commits. */
  notify(event: ChangeEvent): void;
}

export interface Store extends StoreReader {
  /** Runs `fn` atomically: all its writes commit together, or none do. Serialised per store. */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /** Called for every committed change, from this node and (PostgreSQL) from the others. */
  subscribe(listener: (event: ChangeEvent) => void): () => void;
  close(): Promise<void>;
}

export class StoreConflictError extends SallyportError {
  readonly code = 'ERR_STORE_CONFLICT';
}

/** The store cannot take writes safely (its file is gone, its database was replaced, …). */
export class StoreUnavailableError extends SallyportError {
  readonly code = 'ERR_STORE_UNAVAILABLE';
}
