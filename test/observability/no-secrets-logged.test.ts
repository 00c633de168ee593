// No log line ever holds a whole token or API key: serve at debug level (every line it can
// write), a follower of `logs --follow`, and the debug header's trace, while requests carry
// Lambda-authorizer tokens and API keys (valid, wrong, refused). The whole output is searched.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  BIN,
  call,
  eventually,
  ROOT,
  run,
  serve,
  tempProject,
  type Served,
} from '../e2e/harness.js';

const FIXTURES = join(ROOT, 'test/fixtures');
const KEY = 'yamlKeyValue0123456789abcdefghijKLMNOPQR';
const WRONG_KEY = 'wrongKeyValue0123456789abcdefghijKLMNOPQ';
const TOKENS = ['allowSecretAAAA1111', 'exactSecretBBBB2222', 'mixed', 'denySecretCCCC3333'];

describe('no token or API key in any log line', () => {
  let s: Served;
  let followed = '';
  let traces = '';
  let stopFollower = () => undefined as unknown;
  const dataDir = mkdtempSync(join(tmpdir(), 'sallyport-secrets-'));
  before(async () => {
    const dir = tempProject(`
functions:
  echo: { Runtime: nodejs20.x, Handler: index.handler, Code: ${join(FIXTURES, 'e2e/functions/echo')} }
  verdicts: { Runtime: nodejs20.x, Handler: index.handler, Code: ${join(FIXTURES, 'observability/authorizer')} }
apis:
  - name: metered-api
    id: metered001
    openapi: ${join(FIXTURES, 'usage/header-source.yaml')}
    stages: { plain: {} }
  - name: verdicts-api
    id: verdicts01
    openapi: ${join(FIXTURES, 'observability/openapi.yaml')}
    stages: { dev: {} }
usagePlans:
  plan:
    apiStages: [{ api: metered-api, stage: plain }]
    apiKeys:
      key: { value: ${KEY} }
`);
    s = await serve(['--config', dir, '--data-dir', dataDir, '--log-level', 'debug']);
    const follower = spawn(
      process.execPath,
      [
        BIN,
        'logs',
        '--follow',
        '--format',
        'json',
        '--data-dir',
        dataDir,
        '--endpoint-url',
        s.admin!,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    follower.stdout.on('data', (d: Buffer) => (followed += d.toString()));
    follower.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    stopFollower = () => follower.kill('SIGTERM');
    await eventually(() => stderr.includes('following'));
  });
  after(async () => {
    stopFollower();
    await s.stop();
  });

  it('requests with tokens and keys leave no trace of them', async () => {
    const token = (await run(['debug-token', '--data-dir', dataDir])).stdout.trim();
    const base = (api: string, stage: string) =>
      `${s.base}/restapis/${api}/${stage}/_user_request_`;
    const statuses: number[] = [];
    for (const key of [KEY, WRONG_KEY]) {
      const r = await call(`${base('metered001', 'plain')}/metered`, {
        headers: { 'x-api-key': key, 'X-Sallyport-Debug': token },
      });
      statuses.push(r.status);
      traces += String(r.headers['x-sallyport-trace']);
    }
    for (const t of TOKENS)
      for (const path of ['/a', '/b', '/items/1']) {
        const r = await call(`${base('verdicts01', 'dev')}${path}`, {
          headers: { token: t, 'X-Sallyport-Debug': token },
        });
        statuses.push(r.status);
        traces += String(r.headers['x-sallyport-trace']);
      }
    assert.deepEqual(statuses.slice(0, 2), [200, 403]);
    assert.ok(statuses.includes(200) && statuses.includes(403));
    await eventually(() => (followed.match(/"kind":"request"/g) ?? []).length >= statuses.length);
    const everything = s.output() + followed + traces;
    for (const secret of [KEY, WRONG_KEY, ...TOKENS.filter((t) => t !== 'mixed')])
      assert.ok(!everything.includes(secret), `${secret} was written`);
    // Not even most of one: no 16-character piece of a key.
    for (const key of [KEY, WRONG_KEY])
      for (let i = 0; i + 16 <= key.length; i += 8)
        assert.ok(!everything.includes(key.slice(i, i + 16)), `part of ${key} was written`);
  });
});
