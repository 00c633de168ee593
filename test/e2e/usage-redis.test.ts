// Usage plans and throttles on Redis: two `sallyport serve` processes sharing one store
// (SQLite's file, or PostgreSQL) and one Redis enforce one quota together — the successes across
// both equal the limit exactly under concurrent load — and GetUsage reports what they enforced;
// a stage's methodSettings throttle is one bucket for both. Redis unreachable, from the start or
// made so mid-run: the documented fallback (`--redis-unavailable local` serves on local counts
// seeded with Redis's last count and adds them back when it returns, `refuse` answers 503),
// nothing crashing. Needs SALLYPORT_TEST_REDIS (and SALLYPORT_TEST_PG) for the shared parts.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
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
import { ROOT, call, eventually, serve, tempProject, type Served } from './harness.js';
import { PG, pgStore } from './many-nodes-api.js';
import { RedisProxy } from './redis-proxy.js';
import { deployedLines, throttleStage } from './stage-throttle.js';

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
const schemas: (() => Promise<void>)[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  for (const drop of schemas) await drop();
});

/**
 * Two nodes on one store and one Redis (`redis`, default SALLYPORT_TEST_REDIS): the SQLite file
 * of one data directory, or a PostgreSQL schema of their own.
 */
async function twoNodes(store: 'sqlite' | 'postgres', redis = REDIS!): Promise<[Served, Served]> {
  const prefix = `sallyport-test-${process.pid}-${Date.now()}:`;
  const args = ['--config', project(), '--redis', redis, '--redis-prefix', prefix];
  if (store === 'postgres') {
    const pg = pgStore('usage');
    schemas.push(pg.drop);
    args.push('--store', pg.url);
  } else args.push('--data-dir', mkdtempSync(join(tmpdir(), 'sallyport-redis-')));
  const a = await start(args);
  return [a, await start(args)];
}

const SKIP_REDIS = REDIS ? false : 'skipped: set SALLYPORT_TEST_REDIS to run';
const SKIP_PG_REDIS =
  PG && REDIS ? false : 'skipped: set SALLYPORT_TEST_PG and SALLYPORT_TEST_REDIS to run';
const LIMIT_EXCEEDED = '{"message":"Limit Exceeded"}';

/** Asks node `s` until its answer is not 403 (the key and plan reach each node asynchronously). */
async function untilMetered(s: Served, value: string) {
  const deadline = Date.now() + 30_000;
  let r = await metered(s, value);
  while (r.status === 403 && Date.now() < deadline) r = await metered(s, value);
  return r;
}

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
    headers: value ? { 'x-api-key': value } : {},
  });

describe('usage plans on Redis', () => {
  for (const store of ['sqlite', 'postgres'] as const) {
    it(
      `two processes (${store}) enforce one quota exactly under concurrent load; GetUsage reports it`,
      { skip: store === 'postgres' ? SKIP_PG_REDIS : SKIP_REDIS },
      async () => {
        const [a, b] = await twoNodes(store);
        const LIMIT = 25;
        const { apigw, planId, keyId, value } = await meteredKey(a, {
          limit: LIMIT,
          period: 'DAY',
        });
        // Every 200 spends from the one quota, whenever it came; 403s come before a node has the plan.
        let admitted = 0;
        const count = async (s: Served) => {
          const r = await metered(s, value);
          if (r.status === 200) admitted++;
          else if (r.status !== 403) {
            assert.equal(r.status, 429);
            assert.equal(r.body, LIMIT_EXCEEDED);
          }
          return r.status;
        };
        // Each node first sees the plan (through the store's change feed).
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
  }

  it(
    "a stage's methodSettings throttle is one bucket in Redis for two nodes (PostgreSQL)",
    { skip: SKIP_PG_REDIS },
    async () => {
      const [a, b] = await twoNodes('postgres');
      const deployed = (s: Served) => deployedLines(s.output(), 'prod');
      const before = [deployed(a), deployed(b)];
      const { apigw } = await meteredKey(a);
      await throttleStage(apigw, API, 'prod', 4);
      apigw.destroy();
      await eventually(() => deployed(a) > before[0]! && deployed(b) > before[1]!);
      // No key: a request the throttle admits goes on to the key check (403), the others are 429.
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) => metered(i % 2 ? a : b, '')),
      );
      const bodies = answers.map((r) => `${r.status} ${r.body}`).sort();
      assert.deepEqual(bodies, [
        ...Array<string>(4).fill('403 {"message":"Forbidden"}'),
        ...Array<string>(8).fill('429 {"message":"Too Many Requests"}'),
      ]);
    },
  );

  it(
    'Redis made unreachable mid-run: both nodes serve on their own counts, then add them back',
    { skip: SKIP_PG_REDIS },
    async () => {
      const proxy = new RedisProxy(new URL(REDIS!));
      await proxy.start();
      try {
        const [a, b] = await twoNodes('postgres', proxy.url);
        const LIMIT = 10;
        const { apigw, planId, keyId, value } = await meteredKey(a, {
          limit: LIMIT,
          period: 'DAY',
        });
        // On Redis: a spends the 1st, b the 2nd, a the 3rd and 4th (the last count a saw: 4).
        for (const s of [a, b]) assert.equal((await untilMetered(s, value)).status, 200);
        for (let i = 0; i < 2; i++) assert.equal((await metered(a, value)).status, 200);

        await proxy.stop();
        // Each node counts on its own, from the last count Redis gave it: a admits 10 − 4,
        // b 10 − 2. Every answer is an answer: 200 or 429 Limit Exceeded, never a 5xx or a hang.
        const during = async (s: Served) => {
          let admitted = 0;
          for (let i = 0; i < LIMIT + 2; i++) {
            const r = await metered(s, value);
            if (r.status === 200) admitted++;
            else assert.equal(`${r.status} ${r.body}`, `429 ${LIMIT_EXCEEDED}`);
          }
          return admitted;
        };
        assert.deepEqual([await during(a), await during(b)], [6, 8]);
        for (const s of [a, b]) {
          assert.match(s.output(), /Redis unavailable: usage plans enforced on this process/);
          assert.equal(s.child.exitCode, null);
        }

        await proxy.start();
        await eventually(() => [a, b].every((s) => s.output().includes('Redis is back')));
        // What each node admitted meanwhile is on Redis now: 4 + 6 + 8, the quota overrun the
        // local policy accepts, and both nodes refuse from there.
        const today = new Date().toISOString().slice(0, 10);
        const usage = await apigw.send(
          new GetUsageCommand({ usagePlanId: planId, startDate: today, endDate: today }),
        );
        assert.equal(usage.items?.[keyId]?.[0]?.[0], 18);
        for (const s of [a, b]) assert.equal((await metered(s, value)).body, LIMIT_EXCEEDED);
        apigw.destroy();
      } finally {
        await proxy.stop();
      }
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
