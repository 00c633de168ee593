// Issue 10, item 6: bad input that broke things, each over real HTTP against the real CLI.
// - Request maps take any key (`__proto__`, `constructor`, `toString`): API Gateway passes them
//   through. https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
// - A mapping template's own text never becomes code (templates are compiled to JavaScript).
// - identityValidationExpression never stalls the data plane (linear-time matching).
//   https://docs.aws.amazon.com/apigateway/latest/api/API_Authorizer.html
// - What a function answers cannot break the HTTP response; Lambda's 6 MB response quota
//   holds for worker threads as for processes. https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
// - Client aborts are not errors.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { copyFileSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  APIGatewayClient,
  CreateAuthorizerCommand,
  CreateRestApiCommand,
  GetRestApisCommand,
} from '@aws-sdk/client-api-gateway';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import fc from 'fast-check';
import pg from 'pg';
import { makeZip } from '../control/lambda/make-zip.js';
import { ROOT, call, eventually, serve, tempProject, type Served } from '../e2e/harness.js';

const FIXTURES = join(ROOT, 'test/fixtures');
const API = 'badinput01';
const CREDENTIALS = { accessKeyId: 'AKIASALLYPORTTEST001', secretAccessKey: 'x'.repeat(40) };
const ADMIN_ENV = {
  SALLYPORT_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
  SALLYPORT_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
};

/** AWS SDK clients for a node's admin API; no retries, so a 500 is seen as it is. */
function adminClients(node: Served) {
  const config = {
    endpoint: node.admin!,
    region: 'us-east-1',
    credentials: CREDENTIALS,
    maxAttempts: 1,
  };
  return { apigw: new APIGatewayClient(config), lambda: new LambdaClient(config) };
}

type SdkError = Error & { $metadata?: { httpStatusCode?: number } };

interface EchoedEvent {
  headers: Record<string, string> | null;
  multiValueHeaders: Record<string, string[]> | null;
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
  requestContext: { authorizer?: Record<string, string> };
}

let backend: Server;
const backendSeen: IncomingHttpHeaders[] = [];
let s: Served;
const url = (path: string) => `${s.base}/restapis/${API}/dev/_user_request_${path}`;

/** Own entries only, sorted: `__proto__` stays a key (JSON.parse keeps it as one). */
const entries = (o: object | null) => Object.entries(o ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));

async function echo(path: string, headers: [string, string][] = []): Promise<EchoedEvent> {
  const r = await call(url(path), { headers });
  assert.equal(r.status, 200, r.body);
  return (r.json() as { event: EchoedEvent }).event;
}

before(async () => {
  backend = createServer((req, res) => {
    backendSeen.push(req.headers);
    res.end('backend');
  });
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
  const fn = (name: string, code: string, extra = '') => `
  ${name}:
    Runtime: nodejs20.x
    Handler: index.handler
    Code: ${code}${extra}`;
  const dir = tempProject(`
functions:${fn('echo', join(FIXTURES, 'e2e/functions/echo'))}${fn('auth', join(FIXTURES, 'security/functions/auth'))}${fn('answers', join(FIXTURES, 'security/functions/answers'))}${fn('answers-process', join(FIXTURES, 'security/functions/answers'), '\n    Isolation: process')}
apis:
  - name: bad-input
    id: ${API}
    openapi: ${join(FIXTURES, 'security/openapi.yaml')}
    stages:
      dev:
        variables: { backendPort: "${(backend.address() as AddressInfo).port}" }
`);
  s = await serve(['--config', join(dir, 'sallyport.yaml'), '--log-level', 'debug']);
});

after(async () => {
  await s?.stop();
  backend?.close();
});

describe('request maps take any key, as API Gateway passes them through', () => {
  it('?toString=1, ?constructor=x and ?__proto__=y reach the function as query parameters', async () => {
    const event = await echo('/echo/x?toString=1&constructor=x&__proto__=y&__proto__=z');
    assert.deepEqual(entries(event.queryStringParameters), [
      ['__proto__', 'z'],
      ['constructor', 'x'],
      ['toString', '1'],
    ]);
    assert.deepEqual(entries(event.multiValueQueryStringParameters), [
      ['__proto__', ['y', 'z']],
      ['constructor', ['x']],
      ['toString', ['1']],
    ]);
  });

  it('headers named __proto__, constructor and toString reach the function', async () => {
    const event = await echo('/echo/x', [
      ['__proto__', 'p'],
      ['constructor', 'c'],
      ['toString', 't'],
    ]);
    const sent = ['__proto__', 'constructor', 'toString'];
    assert.deepEqual(
      entries(event.headers).filter(([k]) => sent.includes(k)),
      [
        ['__proto__', 'p'],
        ['constructor', 'c'],
        ['toString', 't'],
      ],
    );
    assert.deepEqual(
      entries(event.multiValueHeaders).filter(([k]) => sent.includes(k)),
      [
        ['__proto__', ['p']],
        ['constructor', ['c']],
        ['toString', ['t']],
      ],
    );
  });

  it('a REQUEST authorizer reads identity sources named __proto__ and constructor, and its event has them', async () => {
    const r = await call(url('/request-auth?constructor=q'), { headers: [['__proto__', 'h']] });
    assert.equal(r.status, 200, r.body);
    const event = (r.json() as { event: EchoedEvent }).event;
    const authorizerEvent = JSON.parse(event.requestContext.authorizer!.event!) as EchoedEvent;
    assert.equal(Object.hasOwn(authorizerEvent.headers!, '__proto__'), true);
    assert.equal(authorizerEvent.headers!['__proto__'], 'h');
    assert.deepEqual(entries(authorizerEvent.queryStringParameters), [['constructor', 'q']]);
  });

  it('a REQUEST authorizer with those sources absent answers 401 (missing identity), not 500', async () => {
    const r = await call(url('/request-auth'));
    assert.equal(r.status, 401);
  });

  it("a MOCK template's $input.params() finds them, and nothing inherited when they are absent", async () => {
    const r = await call(url('/mock?constructor=c'), { headers: [['__proto__', 'h']] });
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(r.json(), { h: 'h', c: 'c', t: '' });
  });

  it("a template's own text stays text: strings that would be code if pasted into JavaScript render as they are", async () => {
    // Templates are compiled to JavaScript (vtl-compiler.ts); their strings enter it as literals.
    const q = encodeURIComponent('`${process.exit(7)}`');
    const r = await call(url(`/template-text?q=${q}`));
    assert.equal(r.status, 200, r.body);
    assert.equal(
      r.body,
      '"); process.exit(7); ("|*/ process.exit(7) /*|[a\'b]|`${process.exit(7)}`',
    );
    assert.equal((await call(url('/mock'))).status, 200);
  });

  it('property: the event holds exactly the query keys and header values sent, whatever their names', async () => {
    const special = fc.constantFrom(
      '__proto__',
      'constructor',
      'toString',
      'valueOf',
      'hasOwnProperty',
      '__defineGetter__',
    );
    const tokenChars = fc.constantFrom(
      ...'abcdefghijklmnopqrstuvwxyz0123456789-_!#$&*.^`|~'.split(''),
    );
    const headerName = fc.oneof(
      special,
      fc.stringOf(tokenChars, { minLength: 1, maxLength: 10 }).map((n) => `x-${n}`),
    );
    const value = fc.stringOf(fc.constantFrom(...'abcXYZ019 =&%+/?'.split('')), { maxLength: 8 });
    const headerValue = fc.stringOf(fc.constantFrom(...'abcXYZ019=&%+/?'.split('')), {
      minLength: 1,
      maxLength: 8,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(
          fc.tuple(fc.oneof(special, fc.string({ minLength: 1, maxLength: 8 })), value),
          {
            selector: ([k]) => k,
            maxLength: 6,
          },
        ),
        fc.uniqueArray(fc.tuple(headerName, headerValue), {
          selector: ([k]) => k.toLowerCase(),
          maxLength: 6,
        }),
        async (query, headers) => {
          const qs = query
            .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
            .join('&');
          const event = await echo(`/echo/p${qs ? `?${qs}` : ''}`, headers);
          assert.deepEqual(
            entries(event.queryStringParameters),
            entries(Object.fromEntries(query.map(([k, v]) => [k, v]))),
          );
          assert.deepEqual(
            entries(event.multiValueQueryStringParameters),
            entries(Object.fromEntries(query.map(([k, v]) => [k, [v]]))),
          );
          for (const [name, v] of headers) {
            assert.equal(Object.hasOwn(event.headers!, name), true, name);
            assert.equal(event.headers![name], v);
            assert.deepEqual(event.multiValueHeaders![name], [v]);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('none of it was logged as an unexpected error', () => {
    assert.doesNotMatch(s.output(), /unexpected error/);
  });
});

describe('identityValidationExpression never stalls the data plane', () => {
  it('(\\w+\\s?)+ against a 32-character token: the hostile request is answered 401, and a request sent meanwhile is served', async () => {
    // Backtracking engines take exponential time on this pair; RE2 takes linear time.
    const hostile = call(url('/regex'), { headers: { Authorization: `${'a'.repeat(32)}!` } });
    const other = call(url('/echo/meanwhile'));
    const [h, o] = await Promise.all([hostile, other]);
    assert.equal(h.status, 401);
    assert.deepEqual(h.json(), { message: 'Unauthorized' });
    assert.equal(o.status, 200);
    const ok = await call(url('/regex'), { headers: { Authorization: 'some words here' } });
    assert.equal(ok.status, 200, ok.body);
  });

  it('CreateAuthorizer refuses what RE2 cannot run (backreferences, lookaround) with a clear 400', async () => {
    // A node of its own, with known admin credentials.
    const node = await serve([], ADMIN_ENV);
    try {
      const client = adminClients(node).apigw;
      const api = await client.send(new CreateRestApiCommand({ name: 'regex' }));
      for (const expression of ['(a)\\1', 'Bearer (?=x).*', '(?<!a)b']) {
        await assert.rejects(
          client.send(
            new CreateAuthorizerCommand({
              restApiId: api.id,
              name: 'tok',
              type: 'TOKEN',
              identitySource: 'method.request.header.Authorization',
              identityValidationExpression: expression,
              authorizerUri:
                'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations',
            }),
          ),
          (error: SdkError) => {
            assert.equal(error.name, 'BadRequestException');
            assert.equal(error.$metadata?.httpStatusCode, 400);
            assert.match(error.message, /Invalid identityValidationExpression/);
            assert.match(error.message, /RE2/);
            return true;
          },
        );
      }
    } finally {
      await node.stop();
    }
  });
});

describe("a function's answer cannot break the HTTP response", () => {
  for (const mode of ['crlf', 'crlf-name', 'multi-crlf']) {
    it(`a header with CR/LF (${mode}) is a malformed proxy response: 502 Internal server error`, async () => {
      const r = await call(url(`/answers/${mode}`));
      assert.equal(r.status, 502);
      assert.deepEqual(r.json(), { message: 'Internal server error' });
      assert.equal(r.headers['x-amzn-errortype'], 'InternalServerErrorException');
      assert.equal(r.headers['injected'], undefined);
    });
  }

  const principal = (id: string) => `principal:${Buffer.from(id).toString('base64')}`;

  it('a non-Latin-1 principalId mapped into an http_proxy header: 502, nothing sent upstream', async () => {
    backendSeen.length = 0;
    const bad = await call(url('/principal'), { headers: { Authorization: principal('ünï☃') } });
    assert.equal(bad.status, 502);
    assert.deepEqual(bad.json(), { message: 'Internal server error' });
    assert.equal(backendSeen.length, 0);
    const good = await call(url('/principal'), { headers: { Authorization: principal('alice') } });
    assert.equal(good.status, 200);
    assert.equal(backendSeen[0]?.['x-principal'], 'alice');
  });

  for (const [isolation, path] of [
    ['thread', '/answers/big'],
    ['process', '/answers-process/big'],
  ] as const) {
    it(`a response over 6291556 bytes (${isolation}): Function.ResponseSizeTooLarge, 502 from API Gateway`, async () => {
      const r = await call(url(path));
      assert.equal(r.status, 502);
      assert.deepEqual(r.json(), { message: 'Internal server error' });
      const fine = await call(url(path.replace('big', 'fine')));
      assert.equal(fine.status, 200);
    });
  }
});

describe('client aborts', () => {
  /** Sends raw bytes and hangs up without reading the answer. */
  function hangUp(raw: string, after: 'sent' | 'now'): Promise<void> {
    return new Promise((done, fail) => {
      const socket = connect(s.port, '127.0.0.1', () => {
        socket.write(raw, () => {
          if (after === 'now') socket.destroy();
          else setImmediate(() => socket.destroy());
          done();
        });
      });
      socket.on('error', fail);
    });
  }

  it('a client that hangs up mid-body or before the answer is logged at debug as a client abort, never as an error', async () => {
    const path = `/restapis/${API}/dev/_user_request_`;
    const before = (s.output().match(/client aborted the request/g) ?? []).length;
    await hangUp(
      `POST ${path}/echo/x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n0123456789`,
      'now',
    );
    await hangUp(`GET ${path}/answers/slow HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`, 'sent');
    await eventually(
      () => (s.output().match(/client aborted the request/g) ?? []).length >= before + 2,
      20_000,
    );
    const after = await call(url('/echo/after'));
    assert.equal(after.status, 200);
    assert.doesNotMatch(s.output(), /unexpected error/);
    assert.doesNotMatch(s.output(), /"level":50/);
  });
});

describe('zips that cannot be unpacked: 400 as Lambda answers, and nothing left behind', () => {
  // "Could not unzip uploaded file. Please check your file, then try to upload again." is
  // Lambda's InvalidParameterValueException for a package it cannot extract.
  // https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html
  let node: Served;
  let dataDir: string;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sallyport-sec-zip-'));
    node = await serve(['--data-dir', dataDir], ADMIN_ENV);
  });
  after(async () => node?.stop());

  const index = { path: 'index.js', content: 'exports.handler = async () => 1;' };
  const long = 'n'.repeat(256);
  const cases: [string, { path: string; content: string }[]][] = [
    [
      'a file a and a file a/b',
      [index, { path: 'a', content: 'x' }, { path: 'a/b', content: 'y' }],
    ],
    [
      'a file a/b, then a file a',
      [index, { path: 'a/b', content: 'y' }, { path: 'a', content: 'x' }],
    ],
    [
      'a folder entry a/ and a file a',
      [index, { path: 'a/', content: '' }, { path: 'a', content: 'x' }],
    ],
    ['a name of 256 bytes', [index, { path: `dir/${long}`, content: 'x' }]],
    [
      'a path of 4000 bytes',
      [index, { path: Array(20).fill('p'.repeat(199)).join('/'), content: 'x' }],
    ],
  ];
  for (const [what, files] of cases) {
    it(`${what}: 400 InvalidParameterValueException, no folder for the function`, async () => {
      const { lambda } = adminClients(node);
      const name = `zip-${cases.findIndex(([w]) => w === what)}`;
      await assert.rejects(
        lambda.send(
          new CreateFunctionCommand({
            FunctionName: name,
            Runtime: 'nodejs20.x',
            Role: 'arn:aws:iam::123456789012:role/lambda',
            Handler: 'index.handler',
            Code: { ZipFile: makeZip(files) },
          }),
        ),
        (error: SdkError) => {
          assert.equal(error.name, 'InvalidParameterValueException');
          assert.equal(error.$metadata?.httpStatusCode, 400);
          assert.match(
            error.message,
            /^Could not unzip uploaded file\. Please check your file, then try to upload again\./,
          );
          return true;
        },
      );
      assert.equal(existsSync(join(dataDir, 'functions', name)), false);
    });
  }
});

describe('the SQLite file deleted or replaced under a running node: writes are refused, loudly', () => {
  for (const how of ['deleted', 'replaced'] as const) {
    it(`${how}: the admin API answers 500 saying so, and the node logs an error`, async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'sallyport-sec-sqlite-'));
      const node = await serve(['--data-dir', dataDir], ADMIN_ENV);
      try {
        const { apigw } = adminClients(node);
        await apigw.send(new CreateRestApiCommand({ name: 'before' }));
        const db = join(dataDir, 'sallyport.db');
        if (how === 'deleted') {
          for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
        } else {
          copyFileSync(db, `${db}.copy`);
          renameSync(`${db}.copy`, db);
        }
        await assert.rejects(
          apigw.send(new CreateRestApiCommand({ name: 'after' })),
          (error: SdkError) => {
            assert.equal(error.$metadata?.httpStatusCode, 500);
            assert.match(error.message, new RegExp(`was ${how}.*writes are refused`));
            return true;
          },
        );
        // The log line may reach us just after the answer.
        await eventually(() => new RegExp(`"level":50.*was ${how}`).test(node.output()));
      } finally {
        await node.stop();
      }
    });
  }
});

const PG = process.env.SALLYPORT_TEST_PG;
describe(
  'a PostgreSQL database dropped and recreated under a running node: the node recovers',
  { skip: PG ? false : 'skipped: set SALLYPORT_TEST_PG to run' },
  () => {
    it('the next write re-creates the tables in the new database and succeeds', async () => {
      const admin = new pg.Client({ connectionString: PG });
      await admin.connect();
      const name = `sallyport_sec_${process.pid}`;
      const recreate = async () => {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.query(`CREATE DATABASE ${name}`);
      };
      await recreate();
      const store = new URL(PG!);
      store.pathname = `/${name}`;
      const node = await serve(['--store', store.toString()], ADMIN_ENV);
      try {
        const { apigw } = adminClients(node);
        await apigw.send(new CreateRestApiCommand({ name: 'before' }));
        await recreate();
        await apigw.send(new CreateRestApiCommand({ name: 'after' }));
        const apis = await apigw.send(new GetRestApisCommand({}));
        assert.deepEqual(
          apis.items?.map((a) => a.name),
          ['after'],
        );
      } finally {
        await node.stop();
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      }
    });
  },
);
