// The request log through the real CLI: one line per request, with the authorization outcome in
// a few words for every verdict kind, the cached-policy pitfall explained, and no token ever
// logged. JSON lines when the output is not a terminal; colour on a terminal (a pseudo-terminal
// from util-linux `script`).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BIN, call, eventually, ROOT, serve, type Served } from '../e2e/harness.js';

const PROJECT = 'test/fixtures/observability';
const ARN = 'arn:aws:execute-api:us-east-1:123456789012:verdicts01/dev';

interface Line {
  level: number;
  msg: string;
  requestId?: string;
  method?: string;
  url?: string;
  status?: number;
  ms?: number;
  detail?: string;
}

describe('the request log (JSON lines when not on a terminal)', () => {
  let s: Served;
  before(async () => {
    s = await serve(['--config', PROJECT]);
  });
  after(async () => {
    await s.stop();
  });

  /** Sends a request and waits for its line in the log. */
  async function lineFor(path: string, token?: string): Promise<Line> {
    const r = await call(`${s.base}${path}`, token === undefined ? {} : { headers: { token } });
    const id = String(r.headers['x-amzn-requestid']);
    let found: Line | undefined;
    await eventually(() => {
      found = s
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Line)
        .find((l) => l.msg === 'request' && l.requestId === id);
      return found !== undefined;
    });
    assert.equal(found!.status, r.status);
    return found!;
  }

  it('401 without the identity source names the source', async () => {
    const line = await lineFor('/dev/a');
    assert.equal(line.level, 30);
    assert.equal(line.method, 'GET');
    assert.equal(line.url, '/dev/a');
    assert.equal(typeof line.ms, 'number');
    assert.equal(line.detail, '401: no method.request.header.token');
  });

  it('401 for a token that fails identityValidationExpression', async () => {
    const line = await lineFor('/dev/a', 'Not-Valid');
    assert.equal(line.detail, '401: the token does not match identityValidationExpression');
  });

  it('401 when the authorizer answers Unauthorized', async () => {
    const line = await lineFor('/dev/a', 'unauthorized');
    assert.equal(line.detail, '401: the authorizer answered Unauthorized');
  });

  it('allow: a cache miss with the authorizer latency, then a hit with the TTL left', async () => {
    const miss = await lineFor('/dev/a', 'allow-first');
    assert.match(miss.detail!, /^allow principal=user-1 \(cache miss, authorizer \d+ ms\)$/);
    const hit = await lineFor('/dev/b', 'allow-first');
    const left = Number(
      /^allow principal=user-1 \(cache hit, (\d+) s left\)$/.exec(hit.detail!)?.[1],
    );
    assert.ok(left > 0 && left <= 300, hit.detail);
  });

  it('deny: the explicit Deny statement and the ARN it matched', async () => {
    const line = await lineFor('/dev/a', 'deny');
    assert.equal(
      line.detail,
      `deny: explicit Deny in Statement[0] (${ARN}/*/*) matches ${ARN}/GET/a`,
    );
  });

  it('the cached-policy pitfall: a policy issued for /a, reused for /b, is explained', async () => {
    assert.match((await lineFor('/dev/a', 'exact')).detail!, /^allow principal=user-2/);
    const line = await lineFor('/dev/b', 'exact');
    assert.equal(line.status, 403);
    assert.match(
      line.detail!,
      new RegExp(
        `^deny: no Allow statement matches ${ARN}/GET/b — this policy was cached \\d+ s ago for ${ARN}/GET/a; ` +
          "return a Resource that covers every method the caller may use \\(e\\.g\\. ending in /\\*\\), or set the authorizer's TTL to 0$",
      ),
    );
  });

  it('500: the authorizer configuration error, with its reason, at warn', async () => {
    const line = await lineFor('/dev/a', 'broken');
    assert.equal(line.level, 40);
    assert.equal(
      line.detail,
      '500: context.nested must be a string, number or boolean, not an object',
    );
  });

  it('a route that does not exist, a stage that does not exist', async () => {
    assert.equal((await lineFor('/dev/nothing')).detail, 'Missing Authentication Token');
    assert.equal((await lineFor('/prod/a')).detail, 'Forbidden');
  });

  it('deploying warns that the cached authorizer sits in front of a path parameter', () => {
    assert.match(
      s.output(),
      /authorizer verdicts caches its policy for 300 s in front of GET \/items\/\{id\}: a policy allowing only the first request's method ARN denies the caller's other paths until it expires/,
    );
  });

  it('no line ever holds a whole token', async () => {
    const secret = 'allowSecretToken0123456789';
    await lineFor('/dev/a', secret);
    await lineFor('/dev/b', secret);
    assert.ok(!s.output().includes(secret));
  });

  it('START, END and REPORT are debug lines: one line per request at info', async () => {
    const line = await lineFor('/dev/a', 'allow-lines');
    const forRequest = s
      .output()
      .split('\n')
      .filter((l) => l.includes(line.requestId!));
    assert.equal(forRequest.length, 1, forRequest.join('\n'));
    assert.doesNotMatch(s.output(), /REPORT RequestId/);
  });
});

/** The environment of a user's terminal: no variable that turns colour off or forces it. */
function colourEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color' };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  delete env.NODE_DISABLE_COLORS;
  return env;
}

describe('the request log on a terminal (serve under a pseudo-terminal)', () => {
  let out = '';
  let child: ReturnType<typeof spawn>;
  let base = '';
  before(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sallyport-pty-'));
    const command = [
      process.execPath,
      BIN,
      'serve',
      '--config',
      PROJECT,
      '--port',
      '0',
      '--admin-port',
      '0',
      '--data-dir',
      dataDir,
    ].join(' ');
    // `script` runs the command on a new pseudo-terminal, so serve sees a TTY on stdout.
    child = spawn('script', ['-qfec', command, '/dev/null'], {
      cwd: ROOT,
      env: colourEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    await eventually(() => /listening on (http:\/\/\S+)/.test(out));
    base = /listening on (http:\/\/\S+)/.exec(out)![1]!.trim();
  });
  after(() => {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
  });

  // ESC [ 3x m: green 32, yellow 33 (ANSI SGR colours, as colorette writes them).
  const GREEN = '\u001b[32m';
  const YELLOW = '\u001b[33m';

  it('200 green, 401 yellow, a cached 403 yellow with the pitfall explained', async () => {
    await call(`${base}/dev/a`, { headers: { token: 'exact' } });
    await call(`${base}/dev/a`);
    await call(`${base}/dev/b`, { headers: { token: 'exact' } });
    await eventually(() => out.includes('this policy was cached'));
    const lines = out.split(/\r?\n/);
    const ok = lines.find((l) => l.includes(`GET /dev/a ${GREEN}200`));
    assert.ok(ok, JSON.stringify(out));
    assert.match(ok, /allow principal=user-2 \(cache miss, authorizer \d+ ms\)/);
    const unauthorized = lines.find((l) => l.includes(`GET /dev/a ${YELLOW}401`));
    assert.ok(unauthorized?.includes('401: no method.request.header.token'), out);
    const denied = lines.find((l) => l.includes(`GET /dev/b ${YELLOW}403`));
    assert.ok(denied?.includes('this policy was cached'), out);
    assert.doesNotMatch(out, /^\{"level"/m, 'no JSON on a terminal');
  });
});
