// The authorizer result cache. API Gateway keys a cached result per stage and authorizer by the
// identity: the token for TOKEN authorizers, the values of all identity sources for REQUEST
// authorizers. What is cached is the whole result (principal, policy, context), and the cached
// policy is evaluated against each later request's method ARN — so one entry serves every method.
// TTL rules (default 300 s, 0 = off, at most 3600 s): model/authorizer-rules.ts.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html
// https://docs.aws.amazon.com/apigateway/latest/api/API_Authorizer.html
import type { AuthorizerResult } from './output.js';

// NUL separates the fixed parts (ids and stage names never contain it); identity values are
// length-prefixed so that no value, whatever it contains, can make two identities collide.
const SEP = '\u0000';

/** The prefix of every key of one API, or of one stage, or of one authorizer in one stage. */
export function authorizerCachePrefix(
  apiId: string,
  stage?: string,
  authorizerId?: string,
): string {
  let prefix = apiId + SEP;
  if (stage === undefined) return prefix;
  prefix += stage + SEP;
  if (authorizerId === undefined) return prefix;
  return prefix + authorizerId + SEP;
}

/**
 * `deploymentId`: a shared cache outlives one node's deployment, so its keys name the deployment
 * (a new deployment starts empty on every node without anyone deleting shared entries).
 */
export function authorizerCacheKey(
  apiId: string,
  stage: string,
  authorizerId: string,
  identityValues: readonly string[],
  deploymentId = '',
): string {
  let key = authorizerCachePrefix(apiId, stage, authorizerId) + deploymentId + SEP;
  for (let i = 0; i < identityValues.length; i++) {
    const v = identityValues[i];
    key += `${v!.length}:${v}`;
  }
  return key;
}

/** What the authorize step needs of a cache: this node's (below) or shared (redis-cache.ts). */
export interface AuthorizerResultCache {
  get(key: string): AuthorizerResult | undefined | Promise<AuthorizerResult | undefined>;
  /** `payload`: the authorizer's answer as it returned it, which a shared cache keeps. */
  set(key: string, value: AuthorizerResult, ttlSeconds: number, payload: string): void;
  /** FlushStageAuthorizersCache on the node that served it: its entries and shared ones. */
  flush(prefix?: string): void | Promise<void>;
  /** This node's entries only: another node's flush, or a deployment compiled here. */
  flushLocal(prefix: string): void;
}

/** `serve --authorizer-cache-entries`: entries one process keeps (each worker its own). */
export const DEFAULT_MAX_ENTRIES = 10_000;
/** `serve --authorizer-cache-mib`: the estimated bytes one process's entries may take. */
export const DEFAULT_MAX_BYTES = 64 * 2 ** 20;
/**
 * Estimated heap of an entry besides its key and the authorizer's answer as text: the entry, the
 * result object and its compiled policy (measured by `npm run bench -- --scale`: about 1 KiB for a
 * one-statement policy with a small context; docs/performance.md).
 */
export const ENTRY_OVERHEAD_BYTES = 1024;

interface Entry {
  value: AuthorizerResult;
  /** Clock milliseconds after which the entry is stale. */
  expiresAt: number;
  /** The estimate counted against maxBytes. */
  bytes: number;
}

export interface AuthorizerCacheOptions {
  now?: () => number;
  maxEntries?: number;
  maxBytes?: number;
}

/**
 * Bounded, TTL-expiring map. A hit is one Map lookup and one clock read; an entry is never served
 * at or past its TTL. Bounds: at most maxEntries entries and maxBytes estimated bytes (strings at
 * two bytes a character plus ENTRY_OVERHEAD_BYTES); past either, the oldest-written entries go
 * first (Map insertion order; for one authorizer, whose TTL is fixed, that is also the one closest
 * to expiring). Hits do not reorder entries: with TTLs of at most an hour, first-in-first-out costs
 * a few extra authorizer calls at worst and keeps hits free of writes.
 */
export class AuthorizerCache implements AuthorizerResultCache {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;
  readonly maxEntries: number;
  readonly maxBytes: number;
  private heldBytes = 0;

  constructor(options: AuthorizerCacheOptions = {}) {
    this.now = options.now ?? Date.now;
    this.maxEntries = Math.max(1, options.maxEntries ?? DEFAULT_MAX_ENTRIES);
    this.maxBytes = Math.max(1, options.maxBytes ?? DEFAULT_MAX_BYTES);
  }

  get(key: string): AuthorizerResult | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (this.now() >= entry.expiresAt) {
      this.remove(key, entry);
      return undefined;
    }
    return entry.value;
  }

  /**
   * TTL 0 (or less) means caching is off: nothing is stored. `payload`: the authorizer's answer as
   * text, which sizes the entry. An entry bigger than maxBytes on its own is not kept.
   */
  set(key: string, value: AuthorizerResult, ttlSeconds: number, payload = ''): void {
    // Re-inserting moves the key to the newest position; an answer not to be kept (TTL 0) still
    // replaces an older one, which must not be served after it.
    const previous = this.entries.get(key);
    if (previous !== undefined) this.remove(key, previous);
    if (!(ttlSeconds > 0)) return;
    const expiresAt = this.now() + ttlSeconds * 1000;
    const bytes = 2 * (key.length + payload.length) + ENTRY_OVERHEAD_BYTES;
    if (bytes > this.maxBytes) return;
    while (
      this.entries.size > 0 &&
      (this.entries.size >= this.maxEntries || this.heldBytes + bytes > this.maxBytes)
    )
      this.evictOldest();
    this.entries.set(key, { value, expiresAt, bytes });
    this.heldBytes += bytes;
  }

  /** Drops every entry, or those whose key starts with `prefix` (see authorizerCachePrefix). */
  flush(prefix?: string): void {
    if (prefix === undefined || prefix === '') {
      this.entries.clear();
      this.heldBytes = 0;
      return;
    }
    for (const [key, entry] of this.entries) {
      if (key.startsWith(prefix)) this.remove(key, entry);
    }
  }

  flushLocal(prefix: string): void {
    this.flush(prefix);
  }

  /** Entries held, including expired ones not yet looked up or evicted. */
  get size(): number {
    return this.entries.size;
  }

  /** The estimated bytes of the entries held (what maxBytes bounds). */
  get bytes(): number {
    return this.heldBytes;
  }

  private remove(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.heldBytes -= entry.bytes;
  }

  private evictOldest(): void {
    const oldest = this.entries.entries().next();
    if (oldest.done !== true) this.remove(oldest.value[0], oldest.value[1]);
  }
}
