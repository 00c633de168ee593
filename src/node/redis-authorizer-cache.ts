// The authorizer cache shared by every node and worker (`serve --authorizer-cache redis`), with the
// in-memory cache's semantics: an entry lives the authorizer's TTL (Redis PX), is keyed per API,
// stage, authorizer, deployment and identity, and FlushStageAuthorizersCache removes a stage's
// entries for everyone. What is kept is the authorizer's answer as it returned it, parsed again
// on a hit (the policy is evaluated against each request's method ARN, as for a local hit).
// Identities are hashed into the key: tokens are never written to Redis in clear.
// While Redis is away this node's own cache answers (every entry is also written there), and a
// flush that could not reach Redis is applied when it answers again.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html
import { createHash } from 'node:crypto';
import { AuthorizerCache, type AuthorizerResultCache } from '../gateway/authorizers/cache.js';
import { parseAuthorizerOutput, type AuthorizerResult } from '../gateway/authorizers/output.js';
import type { RedisConnection } from './redis-connection.js';

export const REDIS_AUTHORIZER_NAMESPACE = 'sallyport:authorizer:';

// authorizerCacheKey's layout: apiId, stage, authorizerId, each ended by NUL, then the rest.
const SEP = '\u0000';
const FIXED_PARTS = 3;

export class RedisAuthorizerCache implements AuthorizerResultCache {
  readonly #redis: RedisConnection;
  readonly #local: AuthorizerCache;
  readonly #namespace: string;
  /** Flush prefixes Redis has not applied yet (it was away). */
  readonly #pendingFlushes = new Set<string>();

  constructor(
    redis: RedisConnection,
    local: AuthorizerCache,
    namespace = REDIS_AUTHORIZER_NAMESPACE,
  ) {
    this.#redis = redis;
    this.#local = local;
    this.#namespace = namespace;
    redis.onUp(() => {
      for (const prefix of this.#pendingFlushes) void this.#flushShared(prefix);
    });
  }

  async get(key: string): Promise<AuthorizerResult | undefined> {
    if (!this.#redis.up) return this.#local.get(key);
    let payload: string | null;
    try {
      payload = await this.#redis.client.get(this.#redisKey(key));
      this.#redis.answered();
    } catch (error) {
      this.#redis.failed(error);
      return this.#local.get(key);
    }
    if (payload === null) return undefined;
    try {
      return parseAuthorizerOutput(payload);
    } catch {
      // Not written by us (or by another version): a miss, the authorizer is asked again.
      return undefined;
    }
  }

  set(key: string, value: AuthorizerResult, ttlSeconds: number, payload: string): void {
    this.#local.set(key, value, ttlSeconds, payload);
    if (!(ttlSeconds > 0) || !this.#redis.up) return;
    this.#redis.client
      .set(this.#redisKey(key), payload, { expiration: { type: 'PX', value: ttlSeconds * 1000 } })
      .then(
        () => this.#redis.answered(),
        (error: unknown) => this.#redis.failed(error),
      );
  }

  /** Resolves once Redis has applied it, or once it is kept for when Redis answers again. */
  flush(prefix = ''): Promise<void> {
    this.#local.flush(prefix);
    return this.#flushShared(prefix);
  }

  flushLocal(prefix: string): void {
    this.#local.flush(prefix);
  }

  #flushShared(prefix: string): Promise<void> {
    this.#pendingFlushes.add(prefix);
    if (!this.#redis.up) return Promise.resolve();
    return this.#deleteMatching(prefix).then(
      () => {
        this.#pendingFlushes.delete(prefix);
        this.#redis.answered();
      },
      (error: unknown) => this.#redis.failed(error),
    );
  }

  async #deleteMatching(prefix: string): Promise<void> {
    const match = `${globEscape(this.#namespace + prefix)}*`;
    for await (const keys of this.#redis.client.scanIterator({ MATCH: match, COUNT: 500 })) {
      if (keys.length > 0) await this.#redis.client.unlink(keys);
    }
  }

  /** The fixed parts as they are (so a prefix can be matched), the identity hashed. */
  #redisKey(key: string): string {
    let end = 0;
    for (let i = 0; i < FIXED_PARTS; i++) {
      const at = key.indexOf(SEP, end);
      if (at === -1) return this.#namespace + sha256(key);
      end = at + 1;
    }
    return this.#namespace + key.slice(0, end) + sha256(key.slice(end));
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/** Redis MATCH patterns treat * ? [ ] and \ specially. */
function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
