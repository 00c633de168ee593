// A usage plan's quota across a period boundary, over real HTTP, with the gateway's injectable
// clock: spent just before the period ends, 429 Limit Exceeded; whole again from the first
// instant of the next period. Counted in memory, and on Redis (SALLYPORT_TEST_REDIS) with the
// same clock, since the Lua scripts take the caller's time.
// https://docs.aws.amazon.com/apigateway/latest/api/API_QuotaSettings.html
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Gateway } from '../../../src/gateway/gateway.js';
import type { UsageCounters } from '../../../src/gateway/limits/counters.js';
import { MemoryCounters } from '../../../src/gateway/limits/memory-counters.js';
import { RedisCounters } from '../../../src/gateway/limits/redis-counters.js';
import { UsageCatalog } from '../../../src/gateway/limits/usage-catalog.js';
import { DEFAULT_SETTINGS } from '../../../src/model/types.js';
import type { QuotaSettings } from '../../../src/model/usage-plans.js';
import { call } from '../../e2e/harness.js';
import { API_ID, ScriptedInvoker, method, silentLogger, snapshot } from '../fixtures.js';

const REDIS = process.env.SALLYPORT_TEST_REDIS;
const VALUE = 'boundary-key-000000000000000000001';

const closing: { close(): Promise<void> }[] = [];
after(async () => {
  for (const c of closing) await c.close();
});

/** A gateway on a free port whose clock is `clock.now`, metering one key under `quota`. */
async function meteredGateway(counters: UsageCounters, quota: QuotaSettings) {
  const clock = { now: 0 };
  const gateway = new Gateway({
    invoker: new ScriptedInvoker(),
    settings: DEFAULT_SETTINGS,
    logger: silentLogger(),
    now: () => clock.now,
    counters,
    accountThrottle: null,
  });
  closing.push(gateway);
  gateway.deploy(snapshot({ '/metered': [method({ apiKeyRequired: true })] }), {
    stageName: 'prod',
    deploymentId: 'dep001',
    variables: {},
  });
  const at = 0;
  gateway.usageCatalog = new UsageCatalog(
    [
      {
        id: 'key001',
        value: VALUE,
        name: 'k',
        enabled: true,
        createdDate: at,
        lastUpdatedDate: at,
        stageKeys: [],
      },
    ],
    [
      {
        plan: { id: 'plan01', name: 'p', apiStages: [{ apiId: API_ID, stage: 'prod' }], quota },
        keyIds: ['key001'],
      },
    ],
  );
  const { port } = await gateway.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}/restapis/${API_ID}/prod/_user_request_/metered`;
  /** The statuses of `n` requests, one after the other, at `when`. */
  const statuses = async (when: number, n: number) => {
    clock.now = when;
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const r = await call(url, { headers: { 'x-api-key': VALUE } });
      out.push(r.status === 200 ? '200' : `${r.status} ${r.body}`);
    }
    return out;
  };
  return statuses;
}

const SPENT = '429 {"message":"Limit Exceeded"}';

// The periods under test lie ahead of the real clock: Redis expires a quota key at its window's
// real end (PEXPIREAT), so a period already past would forget every count.
const TODAY = new Date();
const year = TODAY.getUTCFullYear();
const month = TODAY.getUTCMonth();
const day = TODAY.getUTCDate();

function boundaryTests(open: () => Promise<UsageCounters>) {
  it('DAY: spent at 23:59:59.999 UTC, whole again at midnight', async () => {
    const statuses = await meteredGateway(await open(), { limit: 2, period: 'DAY', offset: 0 });
    const midnight = Date.UTC(year, month, day + 3);
    assert.deepEqual(await statuses(midnight - 60_000, 2), ['200', '200']);
    assert.deepEqual(await statuses(midnight - 1, 1), [SPENT]);
    assert.deepEqual(await statuses(midnight, 3), ['200', '200', SPENT]);
  });

  it('MONTH with offset 14: the period turns on the 15th, not the 1st', async () => {
    const statuses = await meteredGateway(await open(), { limit: 1, period: 'MONTH', offset: 14 });
    // Noon on next month's last day, then the 1st, the end of the 14th and the 15th of the month after.
    const inMonth = (d: number, hour = 0) => Date.UTC(year, month + 2, d, hour);
    assert.deepEqual(await statuses(inMonth(0, 12), 2), ['200', SPENT]);
    // The 1st is still the period that began on the previous month's 15th.
    assert.deepEqual(await statuses(inMonth(1), 1), [SPENT]);
    assert.deepEqual(await statuses(inMonth(15) - 1, 1), [SPENT]);
    assert.deepEqual(await statuses(inMonth(15), 2), ['200', SPENT]);
  });
}

describe('a quota across a period boundary (memory counters)', () => {
  boundaryTests(() => Promise.resolve(new MemoryCounters()));
});

describe(
  'a quota across a period boundary (Redis counters)',
  { skip: REDIS ? false : 'skipped: set SALLYPORT_TEST_REDIS to run' },
  () => {
    boundaryTests(async () => {
      const prefix = `sallyport-test-${process.pid}-${Math.random().toString(36).slice(2)}:`;
      const counters = new RedisCounters({ url: REDIS!, prefix });
      closing.push(counters);
      await counters.connect();
      return counters;
    });
  },
);
