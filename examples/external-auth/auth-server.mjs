// A small external authentication system for the example and the tests: it issues RS256 and
// ES256 JWTs (Cognito-shaped ID and access tokens) for a few test users, publishes its keys at
// /.well-known/jwks.json with OIDC discovery, answers OAuth 2.0 token introspection (RFC 7662),
// and rotates its keys on demand. Not for production: users and secrets are hard-coded.
//
//   node examples/external-auth/auth-server.mjs [--port 9000]
//
// Endpoints:
//   GET  /.well-known/openid-configuration   OIDC discovery
//   GET  /.well-known/jwks.json              public keys (current and previous)
//   POST /oauth2/token                       grant_type=password (username, password, client_id,
//                                            scope, alg=RS256|ES256, token_format=jwt|opaque)
//   POST /oauth2/introspect                  RFC 7662, HTTP Basic auth as the gateway client
//   POST /admin/rotate                       new signing keys; old ones stay published
//   POST /admin/rotate?drop=1                new signing keys; old ones unpublished
//   POST /admin/jwks-outage?down=1|0         /.well-known/* answer 503 while down
//   POST /admin/sign                         JSON {claims, alg?, kid?}: sign anything (tests)
import { createServer } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { URL, URLSearchParams, pathToFileURL } from 'node:url';
import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify } from 'jose';

export const CLIENT_ID = 'demo-client';
/** The client the gateway's introspecting authorizer authenticates as (RFC 7662 §2.1). */
export const INTROSPECTION_CLIENT = { id: 'gateway', secret: 'gateway-secret' };
export const USERS = {
  alice: {
    password: 'wonderland',
    sub: '6f1c6a84-0d1e-4f6b-9f51-2f1c2b6a0a11',
    email: 'alice@example.com',
    groups: ['admin', 'staff'],
    scopes: ['orders/read', 'orders/write', 'inventory/read', 'inventory/write', 'reports/read'],
  },
  bob: {
    password: 'builder',
    sub: '0b3f2e1d-7c6b-4a59-8e7f-1a2b3c4d5e6f',
    email: 'bob@example.com',
    groups: ['staff'],
    scopes: ['orders/read', 'inventory/read'],
  },
};
const TOKEN_SECONDS = 3600;

async function newKeys(generation) {
  const keys = {};
  for (const alg of ['RS256', 'ES256']) {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    const kid = `${alg.toLowerCase()}-${generation}-${randomBytes(4).toString('hex')}`;
    const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
    keys[alg] = { kid, privateKey, jwk };
  }
  return keys;
}

/**
 * Starts the server. `issuer` defaults to the server's own URL.
 * Returns { url, issuer, issueTokens, sign, rotate, setJwksDown, close }.
 */
export async function startAuthServer({ port = 0, host = '127.0.0.1', issuer } = {}) {
  let generation = 1;
  let current = await newKeys(generation);
  let published = [current.RS256.jwk, current.ES256.jwk];
  let jwksDown = false;
  const opaque = new Map();
  let base = '';
  const iss = () => issuer ?? base;

  const sign = (claims, { alg = 'RS256', kid } = {}) => {
    const key = current[alg];
    if (!key) throw new Error(`unsupported alg ${alg}`);
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ iat: now, iss: iss(), ...claims })
      .setProtectedHeader({ alg, kid: kid ?? key.kid, typ: 'JWT' })
      .sign(key.privateKey);
  };

  const issueTokens = async (username, { scope, alg = 'RS256', format = 'jwt' } = {}) => {
    const user = USERS[username];
    if (!user) throw new Error(`no user ${username}`);
    const now = Math.floor(Date.now() / 1000);
    const granted = scope ? scope.split(' ').filter((s) => user.scopes.includes(s)) : user.scopes;
    const common = { sub: user.sub, iss: iss(), auth_time: now, exp: now + TOKEN_SECONDS };
    const idToken = await sign(
      {
        ...common,
        aud: CLIENT_ID,
        token_use: 'id',
        'cognito:username': username,
        'cognito:groups': user.groups,
        email: user.email,
        email_verified: true,
      },
      { alg },
    );
    const accessClaims = {
      ...common,
      client_id: CLIENT_ID,
      token_use: 'access',
      scope: granted.join(' '),
      username,
      jti: randomUUID(),
    };
    let accessToken;
    if (format === 'opaque') {
      accessToken = randomBytes(24).toString('base64url');
      opaque.set(accessToken, accessClaims);
    } else {
      accessToken = await sign(accessClaims, { alg });
    }
    return {
      id_token: idToken,
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: TOKEN_SECONDS,
    };
  };

  const rotate = async ({ drop = false } = {}) => {
    generation += 1;
    const previous = published;
    current = await newKeys(generation);
    published = [current.RS256.jwk, current.ES256.jwk, ...(drop ? [] : previous)];
    return { kids: [current.RS256.kid, current.ES256.kid] };
  };

  // RFC 7662 §2.2: active plus the token's claims; inactive tokens answer only {active:false}.
  const introspect = async (token) => {
    const stored = opaque.get(token);
    let claims = stored;
    if (!claims) {
      try {
        ({ payload: claims } = await jwtVerify(token, createLocalJWKSet({ keys: published }), {
          issuer: iss(),
          algorithms: ['RS256', 'ES256'],
        }));
      } catch {
        return { active: false };
      }
    }
    if (typeof claims.exp === 'number' && claims.exp <= Date.now() / 1000) return { active: false };
    return { active: true, token_type: 'Bearer', ...claims };
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error) =>
      send(res, 500, { error: 'server_error', detail: `${error}` }),
    );
  });

  async function handle(req, res) {
    const url = new URL(req.url, base);
    const route = `${req.method} ${url.pathname}`;
    if (url.pathname.startsWith('/.well-known/') && jwksDown)
      return send(res, 503, { error: 'down' });
    switch (route) {
      case 'GET /.well-known/openid-configuration':
        return send(res, 200, {
          issuer: iss(),
          jwks_uri: `${base}/.well-known/jwks.json`,
          token_endpoint: `${base}/oauth2/token`,
          introspection_endpoint: `${base}/oauth2/introspect`,
          grant_types_supported: ['password'],
          id_token_signing_alg_values_supported: ['RS256', 'ES256'],
          scopes_supported: [...new Set(Object.values(USERS).flatMap((u) => u.scopes))],
        });
      case 'GET /.well-known/jwks.json':
        return send(res, 200, { keys: published }, { 'cache-control': 'max-age=300' });
      case 'POST /oauth2/token': {
        const form = new URLSearchParams(await body(req));
        const user = USERS[form.get('username') ?? ''];
        if (form.get('grant_type') !== 'password')
          return send(res, 400, { error: 'unsupported_grant_type' });
        if (form.get('client_id') !== CLIENT_ID) return send(res, 401, { error: 'invalid_client' });
        if (!user || user.password !== form.get('password'))
          return send(res, 400, { error: 'invalid_grant' });
        return send(
          res,
          200,
          await issueTokens(form.get('username'), {
            scope: form.get('scope') ?? undefined,
            alg: form.get('alg') ?? 'RS256',
            format: form.get('token_format') ?? 'jwt',
          }),
        );
      }
      case 'POST /oauth2/introspect': {
        const expected = `Basic ${Buffer.from(`${INTROSPECTION_CLIENT.id}:${INTROSPECTION_CLIENT.secret}`).toString('base64')}`;
        if (req.headers.authorization !== expected)
          return send(res, 401, { error: 'invalid_client' });
        const token = new URLSearchParams(await body(req)).get('token');
        return send(res, 200, token ? await introspect(token) : { active: false });
      }
      case 'POST /admin/rotate':
        return send(res, 200, await rotate({ drop: url.searchParams.get('drop') === '1' }));
      case 'POST /admin/jwks-outage':
        jwksDown = url.searchParams.get('down') !== '0';
        return send(res, 200, { down: jwksDown });
      case 'POST /admin/sign': {
        const { claims, alg, kid } = JSON.parse((await body(req)) || '{}');
        return send(res, 200, { token: await sign(claims, { alg, kid }) });
      }
      default:
        return send(res, 404, { error: 'not_found' });
    }
  }

  await new Promise((resolve) => server.listen(port, host, resolve));
  base = `http://${host}:${server.address().port}`;
  return {
    url: base,
    get issuer() {
      return iss();
    },
    issueTokens,
    sign,
    rotate,
    introspect,
    publicJwks: () => ({ keys: [...published] }),
    setJwksDown: (down) => {
      jwksDown = down;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function body(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.on('data', (chunk) => (data += chunk));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

function send(res, status, json, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(json));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const at = process.argv.indexOf('--port');
  const port = at === -1 ? Number(process.env.PORT ?? 9000) : Number(process.argv[at + 1]);
  const server = await startAuthServer({ port });
  console.log(`auth server listening on ${server.url} (issuer ${server.issuer})`);
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void server.close());
}
