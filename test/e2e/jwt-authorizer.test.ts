// The built-in COGNITO_USER_POOLS authorizer end to end, through the real CLI and real HTTP,
// against the example's external authentication system (started here on a free port): AWS's
// answers for good and bad tokens, claims as the function receives them, key rotation and a
// JWKS endpoint that goes down.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-integrate-with-cognito.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-enable-cognito-user-pool.html
// https://repost.aws/knowledge-center/api-gateway-cognito-401-unauthorized
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SignJWT, base64url, decodeJwt, decodeProtectedHeader } from 'jose';
import { startAuthServer, type AuthServer } from '../../examples/external-auth/auth-server.mjs';
import { ROOT, call, eventually, serve, tempProject, type Served } from './harness.js';

const API = 'jwtapi0001';
const ORDERS = join(ROOT, 'examples/external-auth/functions/orders');
const integration = `
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:orders/invocations`;
const scheme = (issuer: string, extra: string) => `
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authtype: cognito_user_pools
      x-amazon-apigateway-authorizer:
        type: cognito_user_pools
        providerARNs: [arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example]
        authorizerResultTtlInSeconds: 0
      x-sallyport-jwt:
        issuer: ${issuer}
        audience: [demo-client]
        algorithms: [RS256, ES256]
        jwksCooldownSeconds: 0${extra}`;

let auth: AuthServer;
let s: Served;
const url = (path: string) => `${s.base}/restapis/${API}/dev/_user_request_${path}`;
const get = (path: string, token?: string, method = 'GET') =>
  call(url(path), { method, headers: token === undefined ? {} : { Authorization: token } });

interface Echo {
  route: string;
  authorizer: { claims: Record<string, string> } & Record<string, unknown>;
}

before(async () => {
  auth = await startAuthServer();
  const dir = tempProject(`
functions:
  orders:
    Runtime: nodejs20.x
    Handler: index.handler
    Code: ${ORDERS}
apis:
  - name: jwt-api
    id: ${API}
    openapi: ./openapi.yaml
    stages:
      dev: {}
`);
  writeFileSync(
    join(dir, 'openapi.yaml'),
    `openapi: 3.0.1
info: { title: jwt-api, version: '1' }
paths:
  /profile:
    get:
      security: [{ built-in: [] }]${integration}
  /inventory:
    get:
      security: [{ built-in: [inventory/read] }]${integration}
    post:
      security: [{ built-in: [inventory/write] }]${integration}
  /short-keys:
    get:
      security: [{ short-keys: [] }]${integration}
components:
  securitySchemes:
    built-in:${scheme(auth.issuer, '')}
    short-keys:${scheme(auth.issuer, '\n        jwksCacheSeconds: 1')}
`,
  );
  s = await serve(['--config', dir]);
});

after(async () => {
  await s?.stop();
  await auth?.close();
});

const now = () => Math.floor(Date.now() / 1000);
const idClaims = (extra: Record<string, unknown> = {}) => ({
  sub: 'u-1',
  aud: 'demo-client',
  token_use: 'id',
  exp: now() + 600,
  ...extra,
});

function assertUnauthorized(r: Awaited<ReturnType<typeof call>>, message = 'Unauthorized') {
  assert.equal(r.status, 401, r.body);
  assert.equal(r.body, JSON.stringify({ message }));
  assert.equal(r.headers['x-amzn-errortype'], 'UnauthorizedException');
}

/** The gateway logs why it refused, so each test proves the refusal it meant to cause. */
async function assertRefusedFor(r: Awaited<ReturnType<typeof call>>, reason: RegExp) {
  assertUnauthorized(r);
  const requestId = String(r.headers['x-amzn-requestid']);
  const logged = () =>
    s
      .output()
      .split('\n')
      .find((l) => l.includes('JWT authorizer') && l.includes(requestId));
  // Logs are written asynchronously: poll for the line, with a deadline.
  await eventually(() => logged() !== undefined);
  assert.match(logged()!, reason);
}

describe('built-in COGNITO_USER_POOLS authorizer: valid tokens', () => {
  it('an ID token reaches the function with requestContext.authorizer.claims, every value a string', async () => {
    const { id_token } = await auth.issueTokens('alice');
    const r = await get('/profile', id_token);
    assert.equal(r.status, 200, r.body);
    const { authorizer } = r.json() as Echo;
    // Only `claims`: no principalId, no context, as AWS gives Cognito-authorized requests.
    assert.deepEqual(Object.keys(authorizer), ['claims']);
    const { claims } = authorizer;
    const exp = new Date(decodeJwt(id_token).exp! * 1000);
    assert.equal(claims.sub, '6f1c6a84-0d1e-4f6b-9f51-2f1c2b6a0a11');
    assert.equal(claims.token_use, 'id');
    assert.equal(claims.aud, 'demo-client');
    assert.equal(claims['cognito:username'], 'alice');
    assert.equal(claims['cognito:groups'], '[admin, staff]');
    assert.equal(claims.email_verified, 'true');
    assert.match(claims.auth_time!, /^\d+$/);
    // exp / iat as java.util.Date#toString: "Sun Dec 17 07:28:12 UTC 2017".
    assert.match(claims.exp!, /^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/);
    assert.equal(claims.exp!.slice(-4), String(exp.getUTCFullYear()));
  });

  it('the token may come bare or after "Bearer "', async () => {
    const { id_token } = await auth.issueTokens('bob');
    assert.equal((await get('/profile', `Bearer ${id_token}`)).status, 200);
  });

  it('ES256 tokens verify as well as RS256', async () => {
    const { id_token } = await auth.issueTokens('bob', { alg: 'ES256' });
    assert.equal(decodeProtectedHeader(id_token).alg, 'ES256');
    assert.equal((await get('/profile', id_token)).status, 200);
  });

  it('authorizationScopes: an access token holding one of the method scopes passes', async () => {
    const { access_token } = await auth.issueTokens('bob');
    const r = await get('/inventory', access_token);
    assert.equal(r.status, 200, r.body);
    assert.equal((r.json() as Echo).authorizer.claims.scope, 'orders/read inventory/read');
  });
});

describe('built-in COGNITO_USER_POOLS authorizer: refusals are 401 with AWS bodies', () => {
  it('no Authorization header', async () => assertUnauthorized(await get('/profile')));

  it('an expired token: "The incoming token has expired"', async () => {
    const token = await auth.sign(idClaims({ exp: now() - 60, iat: now() - 3600 }));
    assertUnauthorized(await get('/profile', token), 'The incoming token has expired');
  });

  it('a token not yet valid (nbf in the future)', async () => {
    await assertRefusedFor(
      await get('/profile', await auth.sign(idClaims({ nbf: now() + 600 }))),
      /nbf/,
    );
  });

  it('a token from another issuer', async () => {
    const token = await auth.sign(idClaims({ iss: 'https://evil.example.com' }));
    await assertRefusedFor(
      await get('/profile', token),
      /issuer https:\/\/evil.example.com not trusted/,
    );
  });

  it('a token for another audience', async () => {
    await assertRefusedFor(
      await get('/profile', await auth.sign(idClaims({ aud: 'other-client' }))),
      /audience/,
    );
  });

  it('an access token where no scopes are configured (an ID token is required)', async () => {
    const { access_token } = await auth.issueTokens('alice');
    await assertRefusedFor(await get('/profile', access_token), /ID token expected/);
  });

  it('an ID token where scopes are configured (an access token is required)', async () => {
    const { id_token } = await auth.issueTokens('alice');
    await assertRefusedFor(await get('/inventory', id_token), /access token expected/);
  });

  it('an access token holding none of the method scopes', async () => {
    const { access_token } = await auth.issueTokens('bob');
    await assertRefusedFor(
      await get('/inventory', access_token, 'POST'),
      /none of the method scopes/,
    );
  });

  it('a bad signature', async () => {
    const { id_token } = await auth.issueTokens('alice');
    const [h, p, sig] = id_token.split('.') as [string, string, string];
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(p))) as object;
    const forged = base64url.encode(JSON.stringify({ ...claims, 'cognito:groups': ['root'] }));
    await assertRefusedFor(
      await get('/profile', `${h}.${forged}.${sig}`),
      /signature verification failed/,
    );
  });

  it('alg: none', async () => {
    const enc = (o: object) => base64url.encode(JSON.stringify(o));
    const kid = auth.publicJwks().keys[0]!.kid;
    const token = `${enc({ alg: 'none', kid })}.${enc({ ...idClaims(), iss: auth.issuer })}.`;
    await assertRefusedFor(await get('/profile', token), /alg none not allowed/);
  });

  it('HS256 signed with the issuer’s RSA public key (alg confusion)', async () => {
    const jwk = auth.publicJwks().keys.find((k) => k.kty === 'RSA')!;
    const secret = new TextEncoder().encode(JSON.stringify(jwk));
    const token = await new SignJWT({ ...idClaims(), iss: auth.issuer })
      .setProtectedHeader({ alg: 'HS256', kid: jwk.kid! })
      .sign(secret);
    await assertRefusedFor(await get('/profile', token), /alg HS256 not allowed/);
  });

  it('an unknown kid', async () => {
    const token = await auth.sign(idClaims(), { kid: 'no-such-key' });
    await assertRefusedFor(await get('/profile', token), /ERR_JWKS_NO_MATCHING_KEY/);
  });

  it('a header that is not a JWT', async () =>
    assertRefusedFor(await get('/profile', 'allow'), /not a JWT/));
});

describe('built-in COGNITO_USER_POOLS authorizer: keys', () => {
  it('key rotation mid-run: a token signed by a new kid triggers a JWKS refresh', async () => {
    const before = (await auth.issueTokens('alice')).id_token;
    assert.equal((await get('/profile', before)).status, 200);
    await auth.rotate({ drop: true });
    const afterRotation = (await auth.issueTokens('alice')).id_token;
    assert.notEqual(decodeProtectedHeader(afterRotation).kid, decodeProtectedHeader(before).kid);
    assert.equal((await get('/profile', afterRotation)).status, 200);
    // The dropped key is gone from the refreshed set: its tokens no longer verify.
    assertUnauthorized(await get('/profile', before));
  });

  it('JWKS endpoint down: cached keys serve until their TTL, then 401 with the reason logged', async () => {
    const fresh = async () => (await auth.issueTokens('bob')).id_token;
    assert.equal((await get('/short-keys', await fresh())).status, 200);
    auth.setJwksDown(true);
    try {
      // The keys fetched a moment ago are trusted for jwksCacheSeconds (1 s) …
      const deadline = Date.now() + 30_000;
      while ((await get('/short-keys', await fresh())).status !== 401) {
        assert.ok(Date.now() < deadline, 'cached keys still trusted after 30 s');
        await new Promise((r) => setTimeout(r, 50));
      }
      // … then every token is refused and the operator is told why.
      assertUnauthorized(await get('/short-keys', await fresh()));
      assert.match(s.output(), /signing keys unavailable/);
      assert.match(s.output(), /HTTP 503/);
    } finally {
      auth.setJwksDown(false);
    }
  });
});
