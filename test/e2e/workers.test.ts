// `serve --workers 2` (issue 14, item 5): the walkthrough served by two processes on one port,
// the admin API by the primary, and what the admin API changes — on the embedded SQLite store —
// served by both workers.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, eventually, run, serve, type Served } from './harness.js';
import { NODE_ENV, TOKEN, buildApi } from './many-nodes-api.js';

/** Asks until both workers have run `functionName` (new connections are dealt round-robin). */
async function servedByBoth(s: Served, url: string, headers: Record<string, string>, fn: string) {
  const ran = (worker: number) =>
    new RegExp(`"worker":${worker},"functionName":"${fn}".*"msg":"START`).test(s.output());
  for (let i = 0; i < 200 && !(ran(1) && ran(2)); i++) {
    const answer = await call(url, { headers: { ...headers, Connection: 'close' } });
    assert.equal(answer.status, 200, answer.body);
  }
  assert.ok(ran(1) && ran(2), `both workers ran ${fn}:\n${s.output()}`);
}

describe('serve --workers 2', () => {
  let s: Served;
  before(async () => {
    s = await serve(['--config', 'examples/sayhello', '--workers', '2'], NODE_ENV);
  });
  after(async () => {
    assert.equal(await s.stop(), 0, 'the primary and its workers stop cleanly on SIGTERM');
  });

  it('serves the walkthrough on one port, from both processes', async () => {
    assert.match(s.output(), /Workers: 2 processes serve API calls on port \d+/);
    const url = `${s.base}/dev/sayhello`;
    const denied = await call(url);
    assert.equal(denied.status, 401);
    assert.equal(denied.body, '{"message":"Unauthorized"}');
    const deny = await call(url, { headers: { jwt_token: 'deny' } });
    assert.equal(deny.status, 403);
    assert.equal(
      deny.body,
      '{"Message":"User is not authorized to access this resource with an explicit deny"}',
    );
    const allowed = await call(url, { headers: { jwt_token: 'allow' } });
    assert.deepEqual(allowed.json(), { message: 'Hello from Lambda!', principalId: 'user|allow' });
    await servedByBoth(s, url, { jwt_token: 'allow' }, 'sayhello');
  });

  it('an API built through the admin API (the primary) is served by both workers', async () => {
    const path = await buildApi(s);
    const apiId = /restapis\/([^/]+)/.exec(path)![1]!;
    // Each worker reads the change from the SQLite file's change feed.
    for (const worker of [1, 2]) {
      const deployed = new RegExp(`"worker":${worker},"apiId":"${apiId}".*"stage deployed"`);
      await eventually(() => deployed.test(s.output()));
    }
    await servedByBoth(s, `${s.base}${path}/echo`, TOKEN, 'nodes-echo');
  });
});

describe('serve --workers: bad values', () => {
  it('refuses more than one worker on the memory store, in one line', async () => {
    const r = await run(['serve', '--store', 'memory', '--workers', '2', '--port', '0']);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr.trim(),
      'sallyport: --workers: the memory store lives in one process; use SQLite or PostgreSQL for more',
    );
  });

  it('refuses a count that is not one', async () => {
    const r = await run(['serve', '--workers', 'many', '--port', '0']);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr.trim(),
      'sallyport: --workers: not a number of processes (1–256) or auto: many',
    );
  });
});
