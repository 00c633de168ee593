// `serve --authorizer-cache redis`: two nodes share one authorizer cache with the in-memory
// cache's TTL semantics; a flush through one node clears it for both; Redis made unreachable
// mid-run (a TCP proxy in front of it is stopped) leaves every node serving from its own cache,
// logged once, and the shared cache is used again once Redis answers.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createClient } from '@redis/client';
import { call, eventually, serve, type Served } from './harness.js';
import { RedisProxy } from './redis-proxy.js';
import {
  NODE_ENV,
  PG,
  REDIS,
  TOKEN,
  buildApi,
  flush,
  nonceOf,
  pgStore,
  until,
} from './many-nodes-api.js';

const count = (text: string, needle: string) => text.split(needle).length - 1;

describe(
  'a shared authorizer cache in Redis',
  {
    skip: PG && REDIS ? false : 'skipped: set SALLYPORT_TEST_PG and SALLYPORT_TEST_REDIS to run',
  },
  () => {
    const servers: Served[] = [];
    let dropSchema: (() => Promise<void>) | undefined;
    const proxy = new RedisProxy(new URL(REDIS ?? 'redis://127.0.0.1:6379'));
    after(async () => {
      for (const s of servers) await s.stop();
      await dropSchema?.();
      await proxy.stop();
    });

    it('is shared by two nodes, flushed for both, and falls back to each node when Redis is away', async () => {
      await proxy.start();
      const store = pgStore('rediscache');
      dropSchema = store.drop;
      const args = [
        '--store',
        store.url,
        '--authorizer-cache',
        'redis',
        '--redis',
        `redis://127.0.0.1:${proxy.port}`,
      ];
      const a = await serve(args, NODE_ENV);
      servers.push(a);
      const b = await serve(args, NODE_ENV);
      servers.push(b);
      const path = await buildApi(a);
      const onA = `${a.base}${path}/echo`;
      const onB = `${b.base}${path}/echo`;

      // A caches its authorizer's answer in Redis; B, which never asked, gets that answer.
      const first = await until(onA, TOKEN, (r) => r.status === 200);
      assert.equal(first.status, 200, first.body);
      const n1 = nonceOf(first);
      const onBoth = await until(onB, TOKEN, (r) => r.status === 200);
      assert.equal(nonceOf(onBoth), n1);
      // Kept under the stage's prefix, the identity hashed: the token is not in Redis in clear.
      const apiId = /restapis\/([^/]+)/.exec(path)![1]!;
      const redis = createClient({ url: REDIS! });
      await redis.connect();
      const keys = await redis.keys(`sallyport:authorizer:${apiId}*`);
      await redis.close();
      assert.equal(keys.length, 1, keys.join(', '));
      assert.ok(!keys[0]!.includes(TOKEN.Authorization), keys[0]);

      // A flush through A clears the shared entry: B asks its authorizer, A then gets B's answer.
      await flush(a, path);
      const fresh = await until(onB, TOKEN, (r) => nonceOf(r) !== n1);
      const n2 = nonceOf(fresh);
      assert.notEqual(n2, n1);
      const afterFlush = await until(onA, TOKEN, (r) => nonceOf(r) === n2);
      assert.equal(nonceOf(afterFlush), n2);

      // Redis away: both nodes keep answering, from their own caches.
      await proxy.stop();
      await eventually(() => a.output().includes('redis unreachable'));
      for (let i = 0; i < 5; i++) {
        for (const url of [onA, onB]) {
          const answer = await call(url, { headers: TOKEN });
          assert.equal(answer.status, 200, answer.body);
        }
      }
      // B wrote n2 to its own cache when it asked its authorizer; A asks its own once, then
      // keeps that answer.
      assert.equal(nonceOf(await call(onB, { headers: TOKEN })), n2);
      const local = nonceOf(await call(onA, { headers: TOKEN }));
      assert.equal(nonceOf(await call(onA, { headers: TOKEN })), local);
      // Logged once, however many requests were served meanwhile.
      assert.equal(count(a.output(), 'redis unreachable'), 1, a.output());
      assert.equal(a.child.exitCode, null);
      assert.equal(b.child.exitCode, null);

      // Redis back: A reads the shared entry again.
      await proxy.start();
      const shared = await until(onA, TOKEN, (r) => nonceOf(r) === n2);
      assert.equal(nonceOf(shared), n2);
      await eventually(() => count(a.output(), 'redis reachable') >= 2);
    });
  },
);
