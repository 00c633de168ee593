// Security schemes → authorizers; an operation's `security` → how its method is authorized.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authorizer.html
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { importDoc, lambdaProxy, lambdaUri, oas3 } from './helpers.js';

function withSchemes(schemes: Record<string, unknown>, security: unknown): Record<string, unknown> {
  return oas3(
    { '/x': { get: { security, ...lambdaProxy() } } },
    { components: { securitySchemes: schemes } },
  );
}

const tokenScheme = (
  authorizer: Record<string, unknown> = {},
  scheme: Record<string, unknown> = {},
) => ({
  type: 'apiKey',
  name: 'Authorization',
  in: 'header',
  'x-amazon-apigateway-authtype': 'custom',
  'x-amazon-apigateway-authorizer': {
    type: 'token',
    authorizerUri: lambdaUri('api-authorizer'),
    ...authorizer,
  },
  ...scheme,
});

function methodOf(doc: Record<string, unknown>) {
  return importDoc(doc).resources.find((r) => r.path === '/x')!.resourceMethods.GET!;
}

describe('authorizers', () => {
  it('TOKEN: identitySource from the header the scheme names, TTL 300 by default', () => {
    const snapshot = importDoc(withSchemes({ auth: tokenScheme() }, [{ auth: [] }]));
    assert.deepEqual(snapshot.authorizers, [
      {
        id: snapshot.authorizers[0]!.id,
        name: 'auth',
        type: 'TOKEN',
        authorizerUri: lambdaUri('api-authorizer'),
        identitySource: 'method.request.header.Authorization',
        authorizerResultTtlInSeconds: 300,
      },
    ]);
    assert.match(snapshot.authorizers[0]!.id, /^[a-z0-9]{6}$/);
  });

  it('REQUEST: a single header or query parameter from name/in when identitySource is absent', () => {
    const snapshot = importDoc(
      withSchemes({ auth: tokenScheme({ type: 'request' }, { name: 'token', in: 'query' }) }, [
        { auth: [] },
      ]),
    );
    assert.equal(snapshot.authorizers[0]?.type, 'REQUEST');
    assert.equal(snapshot.authorizers[0]?.identitySource, 'method.request.querystring.token');
  });

  it('REQUEST: no identity source is fine when caching is off (TTL 0)', () => {
    const snapshot = importDoc(
      withSchemes(
        {
          auth: tokenScheme(
            { type: 'request', authorizerResultTtlInSeconds: 0 },
            { name: 'Unused' },
          ),
        },
        [{ auth: [] }],
      ),
    );
    assert.equal(snapshot.authorizers[0]?.identitySource, undefined);
  });

  it('COGNITO_USER_POOLS: providerARNs, and scopes on the method', () => {
    const arn = 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc';
    const doc = withSchemes(
      {
        pool: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          'x-amazon-apigateway-authtype': 'cognito_user_pools',
          'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', providerARNs: [arn] },
        },
      },
      [{ pool: ['pets/read'] }],
    );
    const snapshot = importDoc(doc);
    assert.deepEqual(snapshot.authorizers[0], {
      id: snapshot.authorizers[0]!.id,
      name: 'pool',
      type: 'COGNITO_USER_POOLS',
      providerARNs: [arn],
      identitySource: 'method.request.header.Authorization',
      authorizerResultTtlInSeconds: 300,
    });
    const method = methodOf(doc);
    assert.equal(method.authorizationType, 'COGNITO_USER_POOLS');
    assert.deepEqual(method.authorizationScopes, ['pets/read']);
  });

  it('creates an authorizer for every scheme, used or not', () => {
    const snapshot = importDoc(withSchemes({ auth: tokenScheme() }, []));
    assert.equal(snapshot.authorizers.length, 1);
  });
});

describe('method security', () => {
  const schemes = {
    auth: tokenScheme(),
    api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' },
    sigv4: {
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'awsSigv4',
    },
  };

  it('a custom authorizer and an API key together', () => {
    const method = methodOf(withSchemes(schemes, [{ auth: [], api_key: [] }]));
    assert.equal(method.authorizationType, 'CUSTOM');
    assert.equal(method.apiKeyRequired, true);
    assert.match(method.authorizerId!, /^[a-z0-9]{6}$/);
  });

  it('an API key alone (type apiKey, name x-api-key, in header)', () => {
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-key-usage-plan-oas.html
    const method = methodOf(withSchemes(schemes, [{ api_key: [] }]));
    assert.deepEqual(
      [method.authorizationType, method.apiKeyRequired, method.authorizerId],
      ['NONE', true, undefined],
    );
  });

  it('awsSigv4 → AWS_IAM', () => {
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authtype.html
    assert.equal(methodOf(withSchemes(schemes, [{ sigv4: [] }])).authorizationType, 'AWS_IAM');
  });

  it('no security, or security: [] → NONE', () => {
    assert.equal(methodOf(withSchemes(schemes, [])).authorizationType, 'NONE');
    assert.equal(methodOf(withSchemes(schemes, undefined)).authorizationType, 'NONE');
  });
});

describe('x-sallyport-jwt: the built-in JWT authorizer’s settings', () => {
  // Sallyport's extension beside x-amazon-apigateway-authorizer; AWS ignores unknown x- keys,
  // so the same file still imports on AWS.
  const poolScheme = (jwt: unknown, authorizer: Record<string, unknown> = {}) => ({
    type: 'apiKey',
    name: 'Authorization',
    in: 'header',
    'x-amazon-apigateway-authtype': 'cognito_user_pools',
    'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', ...authorizer },
    'x-sallyport-jwt': jwt,
  });

  it('imports into jwtConfiguration; with an issuer, providerARNs are optional', () => {
    const snapshot = importDoc(
      withSchemes(
        {
          oidc: poolScheme({
            issuer: 'https://id.example.com',
            audience: 'my-api',
            jwksUri: 'https://id.example.com/keys',
            clockSkewSeconds: 30,
            algorithms: ['RS256', 'ES256'],
            jwksCooldownSeconds: 5,
          }),
        },
        [{ oidc: [] }],
      ),
    );
    assert.deepEqual(snapshot.authorizers[0]?.jwtConfiguration, {
      issuer: 'https://id.example.com',
      audience: ['my-api'],
      jwksUri: 'https://id.example.com/keys',
      clockSkewSeconds: 30,
      algorithms: ['RS256', 'ES256'],
      jwksCooldownSeconds: 5,
    });
    assert.equal(snapshot.authorizers[0]?.providerARNs, undefined);
  });

  it('refuses symmetric algorithms and none', () => {
    for (const alg of ['HS256', 'none']) {
      assert.throws(
        () =>
          importDoc(
            withSchemes(
              { oidc: poolScheme({ issuer: 'https://id.example.com', algorithms: [alg] }) },
              [{ oidc: [] }],
            ),
          ),
        /algorithms/,
      );
    }
  });

  it('without an issuer, providerARNs are still required', () => {
    assert.throws(
      () => importDoc(withSchemes({ oidc: poolScheme({ audience: ['a'] }) }, [{ oidc: [] }])),
      /providerARNs: ProviderARNs need to be specified for COGNITO_USER_POOLS authorizers$/,
    );
  });

  it('only applies to cognito_user_pools authorizers', () => {
    assert.throws(
      () =>
        importDoc(
          withSchemes(
            { auth: tokenScheme({}, { 'x-sallyport-jwt': { issuer: 'https://x.example' } }) },
            [{ auth: [] }],
          ),
        ),
      /only applies to a cognito_user_pools authorizer/,
    );
  });
});
