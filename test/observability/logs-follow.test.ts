// `sallyport logs --follow` through the real CLI: a second process follows a running serve's
// admin listener and prints a line per request, with the authorization trace, as it happens.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BIN, call, eventually, ROOT, serve, type Served } from '../e2e/harness.js';

const PROJECT = 'test/fixtures/observability';
const ARN = 'arn:aws:execute-api:us-east-1:123456789012:verdicts01/dev';

interface Follower {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  stop: () => void;
}

/** Runs `sallyport logs --follow …` and resolves once it follows. */
async function follow(s: Served, dataDir: string, args: string[]): Promise<Follower> {
  const child = spawn(
    process.execPath,
    [BIN, 'logs', '--follow', '--data-dir', dataDir, '--endpoint-url', s.admin!, ...args],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  await eventually(() => stderr.includes('following') || child.exitCode !== null);
  assert.match(stderr, /following http:\/\//);
  return { child, stdout: () => stdout, stderr: () => stderr, stop: () => child.kill('SIGTERM') };
}

interface JsonLine {
  kind: string;
  requestId: string;
  method: string;
  url: string;
  status: number;
  apiId: string;
  stage: string;
  detail?: string;
  authorization?: {
    authorizer: string;
    type: string;
    identity?: string[];
    cache?: string;
    methodArn?: string;
    principalId?: string;
    statements?: { index: number; effect: string; resources: string[]; matched: boolean }[];
    verdict: string;
  };
}

function linesOf(text: string): JsonLine[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as JsonLine);
}

describe('sallyport logs --follow', () => {
  let s: Served;
  const dataDir = mkdtempSync(join(tmpdir(), 'sallyport-follow-'));
  const followers: Follower[] = [];
  before(async () => {
    s = await serve(['--config', PROJECT, '--data-dir', dataDir]);
  });
  after(async () => {
    for (const f of followers) f.stop();
    await s.stop();
  });

  it('streams a JSON line per request: 200 allow, 401, 403 with the statement that denied', async () => {
    const f = await follow(s, dataDir, ['--format', 'json']);
    followers.push(f);
    const ok = await call(`${s.base}/dev/a`, { headers: { token: 'allowFollow' } });
    const unauthorized = await call(`${s.base}/dev/a`);
    const denied = await call(`${s.base}/dev/b`, { headers: { token: 'mixed' } });
    assert.deepEqual([ok.status, unauthorized.status, denied.status], [200, 401, 403]);
    const id = (r: typeof ok) => String(r.headers['x-amzn-requestid']);
    await eventually(() => linesOf(f.stdout()).some((l) => l.requestId === id(denied)));
    const lines = linesOf(f.stdout());
    const byId = (r: typeof ok) => lines.find((l) => l.requestId === id(r))!;

    const allow = byId(ok);
    assert.equal(allow.kind, 'request');
    assert.equal(allow.status, 200);
    assert.equal(allow.apiId, 'verdicts01');
    assert.equal(allow.stage, 'dev');
    assert.match(allow.detail!, /^allow principal=user-1 \(cache miss, authorizer \d+ ms\)$/);
    assert.equal(allow.authorization!.authorizer, 'verdicts');
    assert.equal(allow.authorization!.type, 'TOKEN');
    assert.equal(allow.authorization!.verdict, 'allow');
    assert.equal(allow.authorization!.cache, 'miss');
    assert.equal(allow.authorization!.methodArn, `${ARN}/GET/a`);
    assert.match(allow.authorization!.identity![0]!, /^sha256:[0-9a-f]{12}$/);

    const refused = byId(unauthorized);
    assert.equal(refused.status, 401);
    assert.equal(refused.detail, '401: no method.request.header.token');
    assert.equal(refused.authorization!.verdict, '401');

    const deny = byId(denied);
    assert.equal(deny.status, 403);
    assert.equal(
      deny.detail,
      `deny: explicit Deny in Statement[1] (${ARN}/GET/b) matches ${ARN}/GET/b`,
    );
    assert.equal(deny.authorization!.verdict, 'deny');
    assert.deepEqual(
      deny.authorization!.statements!.map((st) => [st.index, st.effect, st.matched]),
      [
        [0, 'Allow', true],
        [1, 'Deny', true],
      ],
    );
    assert.ok(!f.stdout().includes('allowFollow'), 'no token in the stream');
  });

  it('filters by status and stage, and prints the pretty form', async () => {
    const f = await follow(s, dataDir, ['--format', 'pretty', '--status', '4xx', '--stage', 'dev']);
    followers.push(f);
    await call(`${s.base}/dev/open`);
    const denied = await call(`${s.base}/dev/b`, { headers: { token: 'mixed' } });
    await eventually(() => f.stdout().includes('GET /dev/b 403'));
    assert.doesNotMatch(f.stdout(), /\/dev\/open/);
    assert.match(f.stdout(), /GET \/dev\/b 403 \d+ ms {2}deny: explicit Deny in Statement\[1\]/);
    assert.match(f.stdout(), /authorizer verdicts \(TOKEN\); identity sha256:[0-9a-f]{12}/);
    assert.match(f.stdout(), new RegExp(`Statement\\[1\\] Deny ${ARN}/GET/b: matches`));
    assert.match(f.stdout(), /verdict: deny/);
    assert.equal(denied.status, 403);
    assert.ok(!f.stdout().includes('\u001b['), 'no colour when not on a terminal');
  });

  it('refuses without the admin credentials', async () => {
    const r = await call(`${s.admin!}/_sallyport/logs`);
    assert.equal(r.status, 403);
    const other = await follow(s, mkdtempSync(join(tmpdir(), 'sallyport-other-')), []).catch(
      (error: unknown) => error,
    );
    assert.ok(other instanceof Error);
  });
});

describe('sallyport logs --follow with --workers 2 (lines forwarded by the workers)', () => {
  let s: Served;
  let f: Follower | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'sallyport-follow-workers-'));
  before(async () => {
    s = await serve(['--config', PROJECT, '--data-dir', dataDir, '--workers', '2']);
  });
  after(async () => {
    f?.stop();
    await s.stop();
  });

  it('every request answered by any worker reaches the follower', async () => {
    f = await follow(s, dataDir, ['--format', 'json']);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await call(`${s.base}/dev/a`, { headers: { token: `allow${i}` } });
      assert.equal(r.status, 200);
      ids.push(String(r.headers['x-amzn-requestid']));
    }
    await eventually(() => {
      const seen = new Set(linesOf(f!.stdout()).map((l) => l.requestId));
      return ids.every((id) => seen.has(id));
    });
  });
});
