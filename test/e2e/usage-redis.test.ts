// Usage plans on Redis: two `sallyport serve` processes sharing one store and one Redis enforce
// one quota together — the successes across both equal the limit exactly under concurrent load —
// and GetUsage reports what they enforced. Redis unreachable: the documented fallback
// (`--redis-unavailable local` serves on local counts, `refuse` answers 503), nothing crashing.
// Needs SALLYPORT_TEST_REDIS (e.g. redis://127.0.0.1:6379) for the shared part.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  GetUsageCommand,
} from '@aws-sdk/client-api-gateway';
import { ROOT, call, serve, tempProject, type Served } from './harness.js';

const CREDENTIALS = { accessKeyId: 'AKIASALLYPORTREDIS01', secretAccessKey: 'r'.repeat(40) };
const ENV = {
  SALLYPORT_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
  SALLYPORT_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
};
const API = 'redisapi01';
const REDIS = process.env.SALLYPORT_TEST_REDIS;
const project = () =>
  tempProject(`
apis:
  - name: mock-metered-api
    id: ${API}
    openapi: ${join(ROOT, 'test/fixtures/usage/mock-metered.yaml')}
    stages: { prod: {} }
`);

const servers: Served[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

async function start(args: string[]): Promise<Served> {
  const s = await serve(args, ENV);
  servers.push(s);
  return s;
}

/** A key in a plan with `quota` on the prod stage, created through node `s`. */
async function meteredKey(s: Served, quota?: { limit: number; period: 'DAY' }) {
  const apigw = new APIGatewayClient({
    endpoint: s.admin!,
    region: 'us-east-1',
    credentials: CREDENTIALS,
  });
  const key = await apigw.send(new CreateApiKeyCommand({ name: 'k', enabled: true }));
  const plan = await apigw.send(
    new CreateUsagePlanCommand({
      name: 'p',
      apiStages: [{ apiId: API, stage: 'prod' }],
      ...(quota ? { quota } : {}),
    }),
  );
  await apigw.send(
    new CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id!, keyType: 'API_KEY' }),
  );
  return { apigw, planId: plan.id!, keyId: key.id!, value: key.value! };
}

const metered = (s: Served, value: string) =>
  call(`${s.base}/restapis/${API}/prod/_user_request_/metered`, {
    headers: { 'x-api-key': value },
  });

describe('usage plans on Redis', () => {
  it(
    'two processes enforce one quota exactly under concurrent load; GetUsage reports it',
    { skip: REDIS ? false : 'skipped: set SALLYPORT_TEST_REDIS to run' },
    async () => {
      const dir = project();
      const dataDir = mkdtempSync(join(tmpdir(), 'sallyport-redis-'));
      const prefix = `sallyport-test-${process.pid}-${Date.now()}:`;
      const args = [
        '--config',
        dir,
        '--data-dir',
        dataDir,
        '--redis',
        REDIS!,
        '--redis-prefix',
        prefix,
      ];
      const a = await start(args);
      const b = await start(args);
      const LIMIT = 25;
      const { apigw, planId, keyId, value } = await meteredKey(a, { limit: LIMIT, period: 'DAY' });
      // Every 200 spends from the one quota, whenever it came; 403s come before a node has the plan.
      let admitted = 0;
      const count = async (s: Served) => {
        const r = await metered(s, value);
        if (r.status === 200) admitted++;
        else if (r.status !== 403) {
          assert.equal(r.status, 429);
          assert.equal(r.body, '{"message":"Limit Exceeded"}');
        }
        return r.status;
      };
      // Each node first sees the plan (SQLite's change feed reaches b within a second or so).
      for (const s of [a, b]) {
        const deadline = Date.now() + 30_000;
        let status = 403;
        while (status === 403 && Date.now() < deadline) status = await count(s);
      }
      // Concurrent load on both until each says the quota is spent.
      for (;;) {
        const statuses = await Promise.all(
          Array.from({ length: 20 }, (_, i) => count(i % 2 ? a : b)),
        );
        if (statuses.every((st) => st === 429)) break;
      }
      assert.equal(admitted, LIMIT);
      const today = new Date().toISOString().slice(0, 10);
      const usage = await apigw.send(
        new GetUsageCommand({ usagePlanId: planId, startDate: today, endDate: today }),
      );
      assert.deepEqual(usage.items, { [keyId]: [[LIMIT, 0]] });
      apigw.destroy();
    },
  );

  it('without Redis, a single node keeps its quota counts across a restart (the store)', async () => {
    const dir = project();
    const dataDir = mkdtempSync(join(tmpdir(), 'sallyport-restart-'));
    const first = await start(['--config', dir, '--data-dir', dataDir]);
    const { value } = await meteredKey(first, { limit: 3, period: 'DAY' });
    let status = 403;
    const deadline = Date.now() + 30_000;
    while (status === 403 && Date.now() < deadline) status = (await metered(first, value)).status;
    assert.equal(status, 200);
    assert.equal((await metered(first, value)).status, 200);
    await first.stop();
    const second = await start(['--config', dir, '--data-dir', dataDir]);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await metered(second, value)).status);
    assert.deepEqual(statuses, [200, 429, 429]);
  });

  it('Redis unreachable, policy local: metered requests are served on local counts', async () => {
    const s = await start(['--config', project(), '--redis', 'redis://127.0.0.1:1']);
    const { value } = await meteredKey(s, { limit: 2, period: 'DAY' });
    let status = 403;
    let admitted = 0;
    while (status === 403) {
      status = (await metered(s, value)).status;
      if (status === 200) admitted++;
    }
    for (let i = 0; i < 3; i++) if ((await metered(s, value)).status === 200) admitted++;
    assert.equal(admitted, 2);
    assert.match(s.output(), /Redis unavailable: usage plans enforced on this process/);
  });

  it('Redis unreachable, policy refuse: 503 {"message":"Service Unavailable"}, the process keeps running', async () => {
    const s = await start([
      '--config',
      project(),
      '--redis',
      'redis://127.0.0.1:1',
      '--redis-unavailable',
      'refuse',
    ]);
    const { value } = await meteredKey(s);
    let r = await metered(s, value);
    const deadline = Date.now() + 30_000;
    while (r.status === 403 && Date.now() < deadline) r = await metered(s, value);
    assert.equal(r.status, 503);
    assert.equal(r.body, '{"message":"Service Unavailable"}');
    assert.equal(s.child.exitCode, null);
  });
});
