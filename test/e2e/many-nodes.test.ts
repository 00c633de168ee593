// Several `sallyport serve` processes on one PostgreSQL store act as one (issue 14, item 6): a
// FlushStageAuthorizersCache, and a function's configuration or code update, made through node A
// take effect on node B — over real HTTP, through the built CLI and the AWS SDKs.
// https://docs.aws.amazon.com/apigateway/latest/api/API_FlushStageAuthorizersCache.html
// https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionConfiguration.html
// https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionCode.html
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { call, serve, type Served } from './harness.js';
import {
  NODE_ENV,
  PG,
  TOKEN,
  adminClients,
  buildApi,
  code,
  echo,
  flush,
  nonceOf,
  pgStore,
  until,
} from './many-nodes-api.js';

describe(
  'many nodes on one PostgreSQL store act as one',
  { skip: PG ? false : 'skipped: set SALLYPORT_TEST_PG to run' },
  () => {
    const servers: Served[] = [];
    let dropSchema: (() => Promise<void>) | undefined;
    after(async () => {
      for (const s of servers) await s.stop();
      await dropSchema?.();
    });

    it('a flush and a function update through node A take effect on node B', async () => {
      const store = pgStore('nodes');
      dropSchema = store.drop;
      const a = await serve(['--store', store.url], NODE_ENV);
      servers.push(a);
      const b = await serve(['--store', store.url], NODE_ENV);
      servers.push(b);
      const path = await buildApi(a);
      const echoOnB = `${b.base}${path}/echo`;

      // B caches its authorizer's answer: the same nonce twice.
      const first = await until(echoOnB, TOKEN, (r) => r.status === 200);
      assert.equal(first.status, 200, `${first.body}\n${b.output()}`);
      const cached = await call(echoOnB, { headers: TOKEN });
      assert.equal(nonceOf(cached), nonceOf(first));

      // Flushed through A: B asks its authorizer again.
      await flush(a, path);
      const fresh = await until(echoOnB, TOKEN, (r) => nonceOf(r) !== nonceOf(first));
      assert.notEqual(nonceOf(fresh), nonceOf(first));
      // …and caches the new answer.
      assert.equal(nonceOf(await call(echoOnB, { headers: TOKEN })), nonceOf(fresh));

      // New code through A: B runs it. The authorizer cache is not flushed by it.
      const { lambda } = adminClients(a);
      await lambda.send(
        new UpdateFunctionCodeCommand({ FunctionName: 'nodes-echo', ZipFile: code(echo('v2')) }),
      );
      const updated = await until(
        echoOnB,
        TOKEN,
        (r) => (r.json() as { version: string }).version === 'v2',
      );
      assert.deepEqual(updated.json(), { version: 'v2', nonce: nonceOf(fresh) });

      // The function's 1 s Timeout beats the 1.5 s integration timeout: Lambda's timeout, 502.
      const slowOnB = `${b.base}${path}/slow`;
      const timedOut = await call(slowOnB);
      assert.equal(timedOut.status, 502, timedOut.body);
      assert.equal(timedOut.body, '{"message":"Internal server error"}');
      // Timeout raised through A past the integration timeout: B arms it, and answers 504.
      await lambda.send(
        new UpdateFunctionConfigurationCommand({ FunctionName: 'nodes-slow', Timeout: 20 }),
      );
      const integrationTimeout = await until(slowOnB, {}, (r) => r.status === 504);
      assert.equal(integrationTimeout.status, 504, integrationTimeout.body);
      assert.equal(integrationTimeout.body, '{"message":"Endpoint request timed out"}');
    });
  },
);
