// `serve --workers 2` without Redis (issue 14): the primary holds the one set of counters and the
// workers ask it, so one quota holds across both workers exactly under concurrent load (the
// successes equal the limit), GetUsage — answered by the primary — reports what the workers
// spent, the quota survives a restart (the store), and a stage's methodSettings throttle is one
// bucket for the whole machine, not one per worker.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  APIGatewayClient,
  GetApiKeysCommand,
  GetUsageCommand,
  GetUsagePlansCommand,
} from '@aws-sdk/client-api-gateway';
import { ROOT, call, eventually, serve, tempProject, type Served } from './harness.js';
import { deployedLines, throttleStage } from './stage-throttle.js';

const CREDENTIALS = { accessKeyId: 'AKIASALLYPORTWORKERS', secretAccessKey: 'w'.repeat(40) };
const ENV = {
  SALLYPORT_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
  SALLYPORT_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
};
const API = 'workersapi';
const KEY = 'workers-quota-key-0000000000000001';
const LIMIT = 30;
const dir = tempProject(`
apis:
  - name: mock-metered-api
    id: ${API}
    openapi: ${join(ROOT, 'test/fixtures/usage/mock-metered.yaml')}
    stages: { prod: {}, open: {} }
usagePlans:
  workers-plan:
    quota: { limit: ${LIMIT}, period: DAY }
    apiStages: [{ api: mock-metered-api, stage: prod }, { api: mock-metered-api, stage: open }]
    apiKeys:
      workers-key: { value: ${KEY} }
`);
const dataDir = mkdtempSync(join(tmpdir(), 'sallyport-workers-usage-'));
const args = ['--config', dir, '--data-dir', dataDir, '--workers', '2'];

const servers: Served[] = [];
after(async () => {
  for (const s of servers) await s.stop();
});

/** One request on a connection of its own, so node:cluster deals it to the next worker. */
const metered = (s: Served, stage = 'prod') =>
  call(`${s.base}/restapis/${API}/${stage}/_user_request_/metered`, {
    headers: { 'x-api-key': KEY, Connection: 'close' },
  });

const answeredBy = (s: Served, worker: number, status: number) =>
  new RegExp(`"worker":${worker},.*"status":${status},.*"msg":"request"`).test(s.output());

const adminOf = (s: Served) =>
  new APIGatewayClient({ endpoint: s.admin!, region: 'us-east-1', credentials: CREDENTIALS });

describe('serve --workers 2 without Redis: one set of counters, held by the primary', () => {
  it('enforces one quota exactly across both workers; GetUsage reports it; a restart keeps it', async () => {
    const s = await serve(args, ENV);
    servers.push(s);
    assert.match(
      s.output(),
      /Usage plans and throttles counted by this process for all its workers/,
    );
    let admitted = 0;
    for (;;) {
      const answers = await Promise.all(Array.from({ length: 16 }, () => metered(s)));
      for (const r of answers) {
        if (r.status === 200) admitted++;
        else {
          assert.equal(r.status, 429, r.body);
          assert.equal(r.body, '{"message":"Limit Exceeded"}');
        }
      }
      if (answers.every((r) => r.status === 429)) break;
    }
    assert.equal(admitted, LIMIT);
    // Both workers admitted some and refused some: the quota is one, not one per worker.
    for (const worker of [1, 2]) {
      assert.ok(answeredBy(s, worker, 200), `worker ${worker} admitted:\n${s.output()}`);
      assert.ok(answeredBy(s, worker, 429), `worker ${worker} refused:\n${s.output()}`);
    }

    const apigw = adminOf(s);
    const keys = await apigw.send(new GetApiKeysCommand({ nameQuery: 'workers-key' }));
    const keyId = keys.items![0]!.id!;
    const plans = await apigw.send(new GetUsagePlansCommand({ keyId }));
    const planId = plans.items![0]!.id!;
    const today = new Date().toISOString().slice(0, 10);
    const usage = await apigw.send(
      new GetUsageCommand({ usagePlanId: planId, startDate: today, endDate: today }),
    );
    assert.deepEqual(usage.items, { [keyId]: [[LIMIT, 0]] });
    apigw.destroy();

    assert.equal(await s.stop(), 0);
    const again = await serve(args, ENV);
    servers.push(again);
    const after = await Promise.all(Array.from({ length: 4 }, () => metered(again)));
    assert.deepEqual(
      after.map((r) => r.status),
      [429, 429, 429, 429],
    );
    assert.equal(await again.stop(), 0);
  });

  it("a stage's methodSettings throttle is one bucket for both workers", async () => {
    const s = await serve(args, ENV);
    servers.push(s);
    const deployed = (worker: number) => deployedLines(s.output(), 'open', worker);
    const before = [deployed(1), deployed(2)];
    const apigw = adminOf(s);
    await throttleStage(apigw, API, 'open', 4);
    apigw.destroy();
    // Each worker compiles the stage again from the store's change feed.
    await eventually(() => deployed(1) > before[0]! && deployed(2) > before[1]!);
    // The quota of the plan was spent by the first test: the throttle comes first, so a
    // throttled request answers 429 Too Many Requests and an admitted one 429 Limit Exceeded.
    const answers = await Promise.all(Array.from({ length: 12 }, () => metered(s, 'open')));
    const bodies = answers.map((r) => `${r.status} ${r.body}`);
    assert.equal(
      bodies.filter((b) => b === '429 {"message":"Limit Exceeded"}').length,
      4,
      bodies.join('\n'),
    );
    assert.equal(
      bodies.filter((b) => b === '429 {"message":"Too Many Requests"}').length,
      8,
      bodies.join('\n'),
    );
  });
});
