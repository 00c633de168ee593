// The external-auth example end to end: its own openapi.yaml and functions, served by the real
// CLI against its auth server (started here on a free port). TOKEN Lambda authorizers in Node.js
// (JWT against the JWKS) and Python (RFC 7662 introspection), and the built-in authorizer.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { startAuthServer, type AuthServer } from '../../examples/external-auth/auth-server.mjs';
import { ROOT, call, serve, tempProject, type Served } from './harness.js';

const EXAMPLE = join(ROOT, 'examples/external-auth');
const API = 'extauth001';

let auth: AuthServer;
let s: Served;
const url = (path: string) => `${s.base}/restapis/${API}/dev/_user_request_${path}`;
const req = (path: string, token?: string, method = 'GET') =>
  call(url(path), { method, headers: token === undefined ? {} : { Authorization: token } });

interface Echo {
  route: string;
  authorizer: Record<string, unknown> & { claims?: Record<string, string> };
}

before(async () => {
  auth = await startAuthServer();
  const openapi = parse(
    readFileSync(join(EXAMPLE, 'openapi.yaml'), 'utf8').replaceAll(
      'http://127.0.0.1:9000',
      auth.url,
    ),
  ) as unknown;
  const dir = tempProject(`
functions:
  python-authorizer:
    Runtime: python3.12
    Handler: lambda_function.lambda_handler
    Code: ${join(EXAMPLE, 'functions/python-authorizer')}
    Timeout: 5
    Environment:
      Variables:
        INTROSPECTION_URL: ${auth.url}/oauth2/introspect
  node-authorizer:
    Runtime: nodejs20.x
    Handler: index.handler
    Code: ${join(EXAMPLE, 'functions/node-authorizer')}
    Timeout: 5
    Environment:
      Variables:
        ISSUER: ${auth.url}
        AUDIENCE: demo-client
        JWKS_COOLDOWN_MS: "0"
  orders:
    Runtime: nodejs20.x
    Handler: index.handler
    Code: ${join(EXAMPLE, 'functions/orders')}
apis:
  - name: external-auth
    id: ${API}
    openapi: ./openapi.yaml
    stages:
      dev: {}
`);
  writeFileSync(join(dir, 'openapi.yaml'), stringify(openapi, { aliasDuplicateObjects: false }));
  s = await serve(['--config', dir]);
});

after(async () => {
  await s?.stop();
  await auth?.close();
});

describe('Node.js TOKEN authorizer: JWT verified against the JWKS', () => {
  it('an access token with orders/read and orders/write: GET and POST reach the function', async () => {
    const { access_token } = await auth.issueTokens('alice');
    for (const method of ['GET', 'POST']) {
      const r = await req('/orders', `Bearer ${access_token}`, method);
      assert.equal(r.status, 200, r.body);
      const { route, authorizer } = r.json() as Echo;
      assert.equal(route, `${method} /orders`);
      assert.equal(authorizer.principalId, '6f1c6a84-0d1e-4f6b-9f51-2f1c2b6a0a11');
      assert.equal(authorizer.username, 'alice');
      assert.equal(authorizer.clientId, 'demo-client');
      // Context numbers reach the function as strings, as on AWS.
      assert.match(String(authorizer.expiresAt), /^\d+$/);
    }
  });

  it('orders/read only: the policy allows GET, so POST is 403', async () => {
    const { access_token } = await auth.issueTokens('bob');
    assert.equal((await req('/orders', `Bearer ${access_token}`)).status, 200);
    const r = await req('/orders', `Bearer ${access_token}`, 'POST');
    assert.equal(r.status, 403);
    assert.equal(r.body, '{"Message":"User is not authorized to access this resource"}');
  });

  it('a bad token: the function throws Unauthorized → 401', async () => {
    const expired = await auth.sign({ sub: 'x', token_use: 'access', exp: 1 });
    for (const token of [expired, (await auth.issueTokens('alice')).id_token]) {
      const r = await req('/orders', `Bearer ${token}`);
      assert.equal(r.status, 401);
      assert.equal(r.body, '{"message":"Unauthorized"}');
    }
  });

  it('no "Bearer <jwt>": identityValidationExpression refuses it without invoking (401)', async () => {
    const r = await req('/orders', 'Basic YWxpY2U6d29uZGVybGFuZA==');
    assert.equal(r.status, 401);
  });

  it('key rotation: a token under a new kid makes jose refetch the JWKS', async () => {
    await auth.rotate();
    const { access_token } = await auth.issueTokens('alice', { alg: 'ES256' });
    assert.equal((await req('/orders', `Bearer ${access_token}`)).status, 200);
  });
});

describe('built-in authorizer from the example openapi.yaml (x-sallyport-jwt)', () => {
  it('an ID token: the claims reach the function', async () => {
    const { id_token } = await auth.issueTokens('bob');
    const r = await req('/profile', `Bearer ${id_token}`);
    assert.equal(r.status, 200, r.body);
    assert.equal((r.json() as Echo).authorizer.claims?.['cognito:username'], 'bob');
  });

  it('inventory/write scope: alice may POST, bob may not (401, as for Cognito)', async () => {
    const alice = (await auth.issueTokens('alice')).access_token;
    const bob = (await auth.issueTokens('bob')).access_token;
    assert.equal((await req('/inventory', alice, 'POST')).status, 200);
    assert.equal((await req('/inventory', bob, 'POST')).status, 401);
  });
});

describe('Python TOKEN authorizer: RFC 7662 introspection', () => {
  it('an opaque token with reports/read reaches the function', async () => {
    const { access_token } = await auth.issueTokens('alice', { format: 'opaque' });
    const r = await req('/reports', `Bearer ${access_token}`);
    assert.equal(r.status, 200, r.body);
    const { authorizer } = r.json() as Echo;
    assert.equal(authorizer.username, 'alice');
    assert.equal(authorizer.introspected, 'true');
  });

  it('a token without reports/read: explicit Deny → 403', async () => {
    const { access_token } = await auth.issueTokens('bob');
    const r = await req('/reports', `Bearer ${access_token}`);
    assert.equal(r.status, 403);
    assert.equal(
      r.body,
      '{"Message":"User is not authorized to access this resource with an explicit deny"}',
    );
  });

  it('an inactive token → 401', async () => {
    const r = await req('/reports', 'Bearer not-a-token-the-server-knows');
    assert.equal(r.status, 401);
    assert.equal(r.body, '{"message":"Unauthorized"}');
  });
});
