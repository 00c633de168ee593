// The debug header: a request carrying a debug token made with the admin credentials
// (`sallyport debug-token`) gets its authorization trace in X-Sallyport-Trace; without it, or
// with any value the admin did not make (forged, expired, another server's), the answer is
// exactly the ordinary one.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import {
  debugKeysOf,
  isValidDebugToken,
  MAX_DEBUG_TOKEN_SECONDS,
  mintDebugToken,
} from '../../src/auth/debug-token.js';
import { generateCredentials } from '../../src/control/admin/credentials.js';
import { call, run, serve, type Answer, type Served } from '../e2e/harness.js';

const PROJECT = 'test/fixtures/observability';
const ARN = 'arn:aws:execute-api:us-east-1:123456789012:verdicts01/dev';

describe('debug tokens', () => {
  const admin = generateCredentials();
  const keys = debugKeysOf([admin]);
  const now = Date.UTC(2026, 11, 2, 12);

  it('a token the admin made is valid until it expires', () => {
    const { token, expiresAt } = mintDebugToken(admin, 60, now);
    assert.match(token, /^sp1\.\d+\.[A-Za-z0-9_-]{43}$/);
    assert.equal(expiresAt.getTime(), now + 60_000);
    assert.ok(isValidDebugToken(token, keys, now));
    assert.ok(isValidDebugToken(token, keys, now + 59_000));
    assert.ok(!isValidDebugToken(token, keys, now + 60_000));
  });

  it('another secret, a stretched expiry or a changed MAC are refused', () => {
    const { token } = mintDebugToken(admin, 60, now);
    const other = mintDebugToken(generateCredentials(), 60, now).token;
    assert.ok(!isValidDebugToken(other, keys, now));
    const [v, expiry, mac] = token.split('.');
    assert.ok(!isValidDebugToken(`${v}.${Number(expiry) + 3600}.${mac}`, keys, now));
    const flipped = mac!.slice(0, -2) + (mac!.at(-2) === 'A' ? 'B' : 'A') + mac!.at(-1);
    assert.ok(!isValidDebugToken(`${v}.${expiry}.${flipped}`, keys, now));
  });

  it('lives at most a day', () => {
    assert.throws(() => mintDebugToken(admin, MAX_DEBUG_TOKEN_SECONDS + 1, now), /1 to 86400/);
    assert.throws(() => mintDebugToken(admin, 0, now), /1 to 86400/);
  });

  it('no made-up value is ever valid (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc
            .tuple(
              fc.integer({ min: 0, max: 2 ** 40 }),
              fc.uint8Array({ minLength: 32, maxLength: 32 }),
            )
            .map(([e, mac]) => `sp1.${e}.${Buffer.from(mac).toString('base64url')}`),
        ),
        (value) => !isValidDebugToken(value, keys, now),
      ),
    );
  });
});

describe('X-Sallyport-Debug through the real CLI', () => {
  let s: Served;
  let token = '';
  const dataDir = mkdtempSync(join(tmpdir(), 'sallyport-debug-'));
  before(async () => {
    s = await serve(['--config', PROJECT, '--data-dir', dataDir]);
    const minted = await run(['debug-token', '--data-dir', dataDir, '--ttl', '600']);
    assert.equal(minted.code, 0, minted.stderr);
    token = minted.stdout.trim();
    assert.match(minted.stderr, /valid until/);
  });
  after(async () => {
    await s.stop();
  });

  interface Trace {
    resourcePath: string | null;
    status: number;
    detail: string | null;
    authorization: {
      authorizer: string;
      verdict: string;
      methodArn: string;
      identity: string[];
      statements?: { index: number; effect: string; matched: boolean }[];
    } | null;
  }
  const traceOf = (r: Answer) => JSON.parse(String(r.headers['x-sallyport-trace'])) as Trace;

  it('a 403 carries the trace: each statement, the verdict, no token', async () => {
    const r = await call(`${s.base}/dev/b`, {
      headers: { token: 'mixed', 'X-Sallyport-Debug': token },
    });
    assert.equal(r.status, 403);
    const trace = traceOf(r);
    assert.equal(trace.resourcePath, '/b');
    assert.equal(trace.status, 403);
    assert.equal(
      trace.detail,
      `deny: explicit Deny in Statement[1] (${ARN}/GET/b) matches ${ARN}/GET/b`,
    );
    assert.equal(trace.authorization!.verdict, 'deny');
    assert.equal(trace.authorization!.methodArn, `${ARN}/GET/b`);
    assert.deepEqual(
      trace.authorization!.statements!.map((st) => [st.index, st.effect, st.matched]),
      [
        [0, 'Allow', true],
        [1, 'Deny', true],
      ],
    );
    assert.ok(!String(r.headers['x-sallyport-trace']).includes('mixed'));
  });

  it('a 200 and a 401 carry theirs too', async () => {
    const ok = await call(`${s.base}/dev/a`, {
      headers: { token: 'allowDebug', 'X-Sallyport-Debug': token },
    });
    assert.equal(ok.status, 200);
    assert.equal(traceOf(ok).authorization!.verdict, 'allow');
    assert.match(traceOf(ok).authorization!.identity[0]!, /^sha256:[0-9a-f]{12}$/);
    const refused = await call(`${s.base}/dev/a`, { headers: { 'X-Sallyport-Debug': token } });
    assert.equal(refused.status, 401);
    assert.equal(traceOf(refused).detail, '401: no method.request.header.token');
    const open = await call(`${s.base}/dev/open`, { headers: { 'X-Sallyport-Debug': token } });
    assert.equal(traceOf(open).authorization, null);
  });

  /** The answer without the per-request ids, to compare two answers. */
  const comparable = (r: Answer) => ({
    status: r.status,
    body: r.body,
    headers: r.raw
      .filter((_, i) => i % 2 === 0)
      .filter((n) => !/^(x-amzn-requestid|x-amz-apigw-id|date|x-amzn-trace-id)$/i.test(n)),
  });

  it('an invalid value changes nothing: same status, body and headers as without it', async () => {
    const expired = mintDebugToken(
      JSON.parse(readFileSync(join(dataDir, 'credentials.json'), 'utf8')) as {
        accessKeyId: string;
        secretAccessKey: string;
      },
      1,
      Date.now() - 10_000,
    ).token;
    const forged = mintDebugToken(generateCredentials(), 600).token;
    for (const [path, headers] of [
      ['/dev/b', { token: 'mixed' }],
      ['/dev/a', { token: 'allowDebug' }],
      ['/dev/a', {}],
      ['/dev/nothing', {}],
    ] as const) {
      const plain = comparable(await call(`${s.base}${path}`, { headers }));
      for (const bad of [forged, expired, 'yes', 'true', token.slice(0, -1), '']) {
        const r = await call(`${s.base}${path}`, {
          headers: { ...headers, 'X-Sallyport-Debug': bad },
        });
        assert.equal(r.headers['x-sallyport-trace'], undefined);
        assert.deepEqual(comparable(r), plain, `${path} with ${bad}`);
      }
    }
  });
});
