// The shared authorizer cache against a real Redis (SALLYPORT_TEST_REDIS): the in-memory cache's
// TTL semantics (an entry lives authorizerResultTtlInSeconds; 0 stores nothing), flushes by
// stage, and this process's own cache when Redis cannot be reached.
// https://docs.aws.amazon.com/apigateway/latest/api/API_Authorizer.html (authorizerResultTtlInSeconds)
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import {
  AuthorizerCache,
  authorizerCacheKey,
  authorizerCachePrefix,
} from '../../src/gateway/authorizers/cache.js';
import { parseAuthorizerOutput } from '../../src/gateway/authorizers/output.js';
import { RedisAuthorizerCache } from '../../src/node/redis-authorizer-cache.js';
import { RedisConnection } from '../../src/node/redis-connection.js';
import { createLogger } from '../../src/observability/logger.js';

const REDIS = process.env.SALLYPORT_TEST_REDIS;
const PAYLOAD = JSON.stringify({
  principalId: 'user',
  policyDocument: {
    Version: '2012-10-17',
    Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: '*' }],
  },
  context: { n: 1 },
});
const RESULT = parseAuthorizerOutput(PAYLOAD);

function logs() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'info', destination }) };
}

describe(
  'RedisAuthorizerCache',
  { skip: REDIS ? false : 'skipped: set SALLYPORT_TEST_REDIS to run' },
  () => {
    // Every run in a namespace of its own.
    const namespace = `sallyport-test:${randomBytes(6).toString('hex')}:`;
    const { logger } = logs();
    const redis = new RedisConnection({ url: REDIS ?? '', logger, fallback: 'local' });
    const cache = new RedisAuthorizerCache(redis, new AuthorizerCache(), namespace);
    const key = (stage: string, token: string) =>
      authorizerCacheKey('api1', stage, 'auth1', [token], 'dep1');
    const stored = async (k: string) => (await cache.get(k)) !== undefined;
    /** `set` writes to Redis in the background: asks until the entry is there (wide deadline). */
    const eventuallyStored = async (k: string) => {
      const deadline = Date.now() + 30_000;
      while (!(await stored(k)) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      return stored(k);
    };

    before(() => redis.start());
    after(async () => {
      const left = await redis.client.keys(`${namespace}*`);
      if (left.length > 0) await redis.client.unlink(left);
      await redis.close();
    });

    it('keeps an entry for its TTL (PX), keyed without the token in clear', async () => {
      const k = key('prod', 'secret-token');
      cache.set(k, RESULT, 60, PAYLOAD);
      assert.ok(await eventuallyStored(k));
      const hit = await cache.get(k);
      assert.equal(hit?.principalId, 'user');
      assert.deepEqual({ ...hit?.context }, { n: 1 });
      assert.equal(
        hit?.policy.evaluate('arn:aws:execute-api:us-east-1:1:api1/prod/GET/x'),
        'Allow',
      );
      const keys = await redis.client.keys(`${namespace}*`);
      assert.equal(keys.length, 1);
      assert.ok(!keys[0]!.includes('secret-token'));
      const pttl = await redis.client.pTTL(keys[0]!);
      assert.ok(pttl > 0 && pttl <= 60_000, String(pttl));
    });

    it('TTL 0 stores nothing', async () => {
      const k = key('prod', 'ttl-zero');
      cache.set(k, RESULT, 0, PAYLOAD);
      assert.equal(await cache.get(k), undefined);
      assert.equal((await redis.client.keys(`${namespace}*`)).length, 1);
    });

    it("a flush removes one stage's entries, in Redis and in this process", async () => {
      const dev = key('dev', 't');
      cache.set(dev, RESULT, 60, PAYLOAD);
      assert.ok(await eventuallyStored(dev));
      await cache.flush(authorizerCachePrefix('api1', 'prod'));
      assert.equal(await cache.get(key('prod', 'secret-token')), undefined);
      assert.ok(await stored(dev));
      assert.equal((await redis.client.keys(`${namespace}*`)).length, 1);
    });
  },
);

describe('RedisAuthorizerCache without Redis', () => {
  it("answers from this process's cache, and says so once", async () => {
    const { lines, logger } = logs();
    // Nothing listens on port 1.
    const redis = new RedisConnection({
      url: 'redis://127.0.0.1:1',
      logger,
      fallback: 'this process only',
    });
    await redis.start(200);
    const cache = new RedisAuthorizerCache(redis, new AuthorizerCache());
    const k = authorizerCacheKey('api1', 'prod', 'auth1', ['t'], 'dep1');
    assert.equal(await cache.get(k), undefined);
    cache.set(k, RESULT, 60, PAYLOAD);
    assert.equal((await cache.get(k))?.principalId, 'user');
    await cache.flush(authorizerCachePrefix('api1', 'prod'));
    assert.equal(await cache.get(k), undefined);
    await redis.close();
    const warnings = lines.filter((l) => l.includes('redis unreachable: this process only'));
    assert.equal(warnings.length, 1, lines.join(''));
  });
});
