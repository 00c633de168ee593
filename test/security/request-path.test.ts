// Issue 10, item 1: the path that is routed, the method ARN that is evaluated and the URL sent to
// the backend describe the same resource, in every spelling. Real CLI, real HTTP, raw request
// lines (node:http's `path` option is sent as written, like `curl --path-as-is`).
// AWS documents no answer for dot segments, encoded slashes or `//`: Sallyport refuses them
// with 400 (src/gateway/http/request-path.ts, docs/security.md).
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { ROOT, serve, tempProject, type Served } from '../e2e/harness.js';

const FIXTURE = join(ROOT, 'test/fixtures/security');
let backend: Server;
let seen: string[] = [];
let s: Served;

interface Raw {
  status: number;
  body: string;
}

/** Sends `path` exactly as written. */
function rawGet(path: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port: s.port, path, headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => ok({ status: res.statusCode!, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

const publicOnly = { Authorization: 'public-only' };
const allButAdmin = { Authorization: 'all-but-admin' };

before(async () => {
  backend = createServer((req, res) => {
    seen.push(req.url!);
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end(`backend saw ${req.url}`);
  });
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
  const port = (backend.address() as AddressInfo).port;
  const dir = tempProject(`
functions:
  path-auth:
    Runtime: nodejs20.x
    Handler: index.handler
    Code: ${join(FIXTURE, 'functions/path-auth')}
apis:
  - name: path-security
    openapi: ${join(FIXTURE, 'paths.openapi.yaml')}
    stages:
      dev:
        variables: { backendPort: "${port}" }
`);
  s = await serve(['--config', join(dir, 'sallyport.yaml')]);
});

after(async () => {
  await s?.stop();
  backend?.close();
});

describe('dot segments and encoded separators never reach a backend (issue 10)', () => {
  for (const path of [
    '/dev/public/%2e%2e/admin',
    '/dev/public/%2E%2E/admin',
    '/dev/public/..%2fadmin',
    '/dev/public/%2E%2E%2Fadmin',
    '/dev/public/../admin',
    '/dev/public/./x',
    '/dev/public/.%2e/admin',
    '/dev/public/%2e./admin',
    '/dev/public/a/../../admin',
    '/dev/public/..\\admin',
    '/dev/public/..%5cadmin',
    '/dev/public/x%00',
    '/dev/public/%zz',
    '/dev/public/%c3',
    '/dev/public/..;x/admin',
    '/dev/public/%2e%2e%3Bjsessionid=1/admin',
    '/dev/public/..%20/admin',
    '/dev/public//admin',
    '/dev/public/a//b',
    '/dev//admin',
  ]) {
    it(`${path}: 400 {"message":"Bad Request"}, nothing forwarded`, async () => {
      seen = [];
      const r = await rawGet(path, publicOnly);
      assert.equal(r.status, 400);
      assert.equal(r.body, '{"message":"Bad Request"}');
      assert.deepEqual(seen, []);
    });
  }

  it('the same request without dot segments is forwarded under the prefix', async () => {
    seen = [];
    const r = await rawGet('/dev/public/a/b', publicOnly);
    assert.equal(r.status, 200);
    assert.deepEqual(seen, ['/public/a/b']);
  });

  for (const path of [
    '/dev/public/%252e%252e/admin',
    '/dev/public/x%252fy',
    '/dev/public/%252E.',
  ]) {
    it(`${path} (escaped twice, a climb to a backend that decodes twice): 400`, async () => {
      seen = [];
      const r = await rawGet(path, publicOnly);
      assert.equal(r.status, 400);
      assert.deepEqual(seen, []);
    });
  }

  it('an escaped percent sign is data: %2525 forwarded as sent', async () => {
    seen = [];
    const r = await rawGet('/dev/public/100%2525', publicOnly);
    assert.equal(r.status, 200);
    assert.deepEqual(seen, ['/public/100%2525']);
  });

  it('/dev/admin is outside GET/public/*: 403', async () => {
    const r = await rawGet('/dev/admin', publicOnly);
    assert.equal(r.status, 403);
  });
});

describe('trailing slashes and escapes name the resource the policy sees', () => {
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html
  for (const path of ['/dev/admin', '/dev/admin/', '/dev/%61dmin', '/dev/%61%64%6D%69%6E/']) {
    it(`Allow * and Deny GET/admin: ${path} → 403 explicit deny`, async () => {
      seen = [];
      const r = await rawGet(path, allButAdmin);
      assert.equal(r.status, 403);
      assert.equal(
        r.body,
        '{"Message":"User is not authorized to access this resource with an explicit deny"}',
      );
      assert.deepEqual(seen, []);
    });
  }
});

describe('mapped path parameters from headers cannot climb out', () => {
  it('X-Sub: ../admin → 400, nothing forwarded', async () => {
    seen = [];
    const r = await rawGet('/dev/mapped/x', { ...allButAdmin, 'X-Sub': '../admin' });
    assert.equal(r.status, 400);
    assert.deepEqual(seen, []);
  });

  it('X-Sub: a/b%2F → forwarded as segments, the escape kept as data', async () => {
    seen = [];
    const r = await rawGet('/dev/mapped/x', { ...allButAdmin, 'X-Sub': 'a/b%2F' });
    assert.equal(r.status, 200);
    assert.deepEqual(seen, ['/mapped/a/b%252F']);
  });
});

// The spellings an attacker mixes: dots, escapes of dots and separators, both cases.
const SEGMENT = fc.oneof(
  fc.constantFrom('.', '..', '%2e', '%2E', '%2e%2e', '.%2e', '%2f', '%2F', '%5c', '\\'),
  fc.constantFrom('admin', '%61dmin', 'public', 'x', '%252e', '%20', '~', ';', '%25', ''),
  fc.stringMatching(/^[a-z0-9.~%-]{1,6}$/),
);
const PATH = fc.array(fc.array(SEGMENT, { minLength: 1, maxLength: 3 }), {
  minLength: 1,
  maxLength: 5,
});

/** Resolves dot segments as a backend following RFC 3986 would, after decoding once. */
function resolvedByBackend(path: string): string {
  const decoded = path
    .split('/')
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    })
    .join('/')
    .replace(/\\/g, '/');
  return new URL(decoded.replace(/[?#]/g, '_'), 'http://backend').pathname;
}

describe('properties over random paths and encodings (fast-check)', () => {
  it('the forwarded path stays under the integration prefix', async () => {
    await fc.assert(
      fc.asyncProperty(PATH, async (parts) => {
        const tail = parts.map((p) => p.join('')).join('/');
        seen = [];
        const r = await rawGet(`/dev/public/${tail}`, publicOnly);
        if (seen.length === 0) return;
        assert.equal(r.status, 200);
        const forwarded = seen[0]!;
        assert.ok(forwarded.startsWith('/public/'), forwarded);
        assert.ok(resolvedByBackend(forwarded).startsWith('/public/'), forwarded);
        // Segment for segment, the backend reads what the router matched and the ARN named.
        const decode = (p: string) => p.replace(/\/$/, '').split('/').map(decodeURIComponent);
        assert.deepEqual(decode(forwarded.slice('/public/'.length)), decode(tail));
      }),
      { numRuns: 150 },
    );
  });

  it('what is forwarded is what the policy allowed: Deny GET/admin holds in every spelling', async () => {
    await fc.assert(
      fc.asyncProperty(PATH, fc.boolean(), async (parts, trailing) => {
        const path = `/dev/${parts.map((p) => p.join('')).join('/')}${trailing ? '/' : ''}`;
        seen = [];
        const r = await rawGet(path, allButAdmin);
        if (seen.length === 0) return;
        assert.equal(r.status, 200);
        assert.notEqual(resolvedByBackend(seen[0]!).replace(/\/$/, ''), '/admin', path);
      }),
      { numRuns: 150 },
    );
  });
});
