// OpenAPI 3.0 and Swagger 2.0 documents with x-amazon-apigateway-* extensions, imported as
// API Gateway's ImportRestApi would build them.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-import-api.html
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_SETTINGS, type ApiSnapshot } from '../../src/model/types.js';
import { importOpenApi, OpenApiImportError } from '../../src/openapi/index.js';
import { API_ID, FUNCTIONS, importDoc, lambdaProxy, lambdaUri, oas3 } from './helpers.js';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/openapi');

function importFixture(name: string, apiId = API_ID): Promise<ApiSnapshot> {
  return importOpenApi(resolve(FIXTURES, name), {
    apiId,
    settings: DEFAULT_SETTINGS,
    functionExists: (fn) => FUNCTIONS.has(fn),
    now: () => 1700000000000,
  });
}

const HELLO = lambdaUri('hello');
const AUTHORIZER = lambdaUri('api-authorizer');

const EXPECTED: ApiSnapshot = {
  api: {
    id: API_ID,
    name: 'pets',
    description: 'Pets behind Lambda authorizers',
    createdDate: 1700000000000,
    binaryMediaTypes: ['image/png'],
    apiKeySource: 'HEADER',
  },
  resources: [
    { id: '8xxbxkut8s', path: '/', resourceMethods: {} },
    {
      id: 'dpn4g8',
      parentId: '8xxbxkut8s',
      pathPart: 'health',
      path: '/health',
      resourceMethods: {
        OPTIONS: {
          httpMethod: 'OPTIONS',
          authorizationType: 'NONE',
          apiKeyRequired: false,
          methodResponses: {
            '200': {
              statusCode: '200',
              responseParameters: { 'method.response.header.Access-Control-Allow-Origin': false },
            },
          },
          methodIntegration: {
            type: 'MOCK',
            timeoutInMillis: 29000,
            requestTemplates: { 'application/json': '{"statusCode": 200}' },
            integrationResponses: {
              '200': {
                statusCode: '200',
                responseParameters: { 'method.response.header.Access-Control-Allow-Origin': "'*'" },
              },
            },
          },
        },
      },
    },
    {
      id: 'ssrgcd',
      parentId: '8xxbxkut8s',
      pathPart: 'pets',
      path: '/pets',
      resourceMethods: {
        GET: {
          httpMethod: 'GET',
          authorizationType: 'CUSTOM',
          authorizerId: 'aps33g',
          apiKeyRequired: true,
          requestParameters: {
            'method.request.querystring.limit': false,
            'method.request.header.X-Trace': true,
          },
          methodResponses: { '200': { statusCode: '200' } },
          // ${AWS::Partition}, ${AWS::Region} and ${AWS::AccountId} resolved at import.
          methodIntegration: {
            type: 'AWS_PROXY',
            httpMethod: 'POST',
            uri: HELLO,
            timeoutInMillis: 5000,
          },
        },
      },
    },
    {
      id: 'n434jk',
      parentId: 'ssrgcd',
      pathPart: '{petId}',
      path: '/pets/{petId}',
      resourceMethods: {
        GET: {
          httpMethod: 'GET',
          authorizationType: 'NONE',
          apiKeyRequired: false,
          requestParameters: { 'method.request.path.petId': true },
          methodResponses: { '200': { statusCode: '200' } },
          methodIntegration: {
            type: 'HTTP_PROXY',
            httpMethod: 'GET',
            uri: 'http://backend.example.com/pets/{petId}',
            requestParameters: { 'integration.request.path.petId': 'method.request.path.petId' },
            passthroughBehavior: 'WHEN_NO_MATCH',
            timeoutInMillis: 29000,
          },
        },
      },
    },
    // The intermediate part becomes a resource with no methods.
    {
      id: 'qjmk72',
      parentId: 'n434jk',
      pathPart: 'photos',
      path: '/pets/{petId}/photos',
      resourceMethods: {},
    },
    {
      id: 'boj00t',
      parentId: 'qjmk72',
      pathPart: '{proxy+}',
      path: '/pets/{petId}/photos/{proxy+}',
      resourceMethods: {
        ANY: {
          httpMethod: 'ANY',
          authorizationType: 'NONE',
          apiKeyRequired: false,
          requestParameters: { 'method.request.path.proxy': true },
          methodIntegration: {
            type: 'AWS_PROXY',
            httpMethod: 'POST',
            uri: HELLO,
            timeoutInMillis: 29000,
          },
        },
      },
    },
    {
      id: '2fqv5t',
      parentId: '8xxbxkut8s',
      pathPart: 'sayhello',
      path: '/sayhello',
      resourceMethods: {
        GET: {
          httpMethod: 'GET',
          authorizationType: 'CUSTOM',
          authorizerId: 'tc2und',
          apiKeyRequired: false,
          operationName: 'sayHello',
          methodResponses: { '200': { statusCode: '200' } },
          methodIntegration: {
            type: 'AWS_PROXY',
            httpMethod: 'POST',
            uri: HELLO,
            timeoutInMillis: 29000,
          },
        },
      },
    },
  ],
  authorizers: [
    {
      id: 'tc2und',
      name: 'jwt-token',
      type: 'TOKEN',
      authorizerUri: AUTHORIZER,
      // From the scheme's `name` with `in: header`: the "Token Source".
      identitySource: 'method.request.header.jwt_token',
      identityValidationExpression: '^[a-z]+$',
      authorizerResultTtlInSeconds: 0,
    },
    {
      id: 'aps33g',
      name: 'request-auth',
      type: 'REQUEST',
      authorizerUri: AUTHORIZER,
      identitySource: 'method.request.header.Auth, method.request.querystring.token',
      authorizerResultTtlInSeconds: 300,
    },
  ],
  gatewayResponses: {
    DEFAULT_4XX: {
      responseType: 'DEFAULT_4XX',
      responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" },
      responseTemplates: { 'application/json': '{"message":$context.error.messageString}' },
    },
    UNAUTHORIZED: {
      responseType: 'UNAUTHORIZED',
      statusCode: '401',
      responseTemplates: { 'application/json': '{"message":"please sign in"}' },
    },
  },
};

describe('importOpenApi', () => {
  it('imports an OpenAPI 3.0 YAML document into the model', async () => {
    assert.deepEqual(await importFixture('petstore.oas3.yaml'), EXPECTED);
  });

  it('imports the same API written as Swagger 2.0 JSON into the same model', async () => {
    assert.deepEqual(await importFixture('petstore.swagger2.json'), EXPECTED);
  });

  it('gives the same ids on every import, and different ones for another API id', async () => {
    const again = await importFixture('petstore.oas3.yaml');
    assert.deepEqual(
      again.resources.map((r) => r.id),
      EXPECTED.resources.map((r) => r.id),
    );
    const other = await importFixture('petstore.oas3.yaml', 'zzzzzzzzzz');
    assert.equal(other.resources[0]?.id.length, 10);
    assert.notEqual(other.resources[0]?.id, '8xxbxkut8s');
    assert.notEqual(other.authorizers[0]?.id, 'tc2und');
  });

  it('reports a YAML syntax error with file, line and column', async () => {
    // Written at run time: a broken fixture would trip the repository's formatter.
    const dir = await mkdtemp(join(tmpdir(), 'sallyport-openapi-'));
    try {
      const file = join(dir, 'broken.yaml');
      await writeFile(
        file,
        'openapi: 3.0.1\ninfo:\n  title: broken\npaths:\n  /a:\n    get: [1, 2\n  /b: {}\n',
      );
      await assert.rejects(
        importOpenApi(file, {
          apiId: API_ID,
          settings: DEFAULT_SETTINGS,
          functionExists: () => true,
        }),
        (error: unknown) => {
          assert.ok(error instanceof OpenApiImportError);
          assert.equal(error.code, 'ERR_OPENAPI_SYNTAX');
          assert.equal(
            error.message,
            'broken.yaml:7:3: Flow sequence in block collection must be sufficiently indented and end with a ]',
          );
          return true;
        },
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports a file that cannot be read', async () => {
    await assert.rejects(importFixture('missing.yaml'), {
      code: 'ERR_OPENAPI_NOT_FOUND',
      message: `missing.yaml: cannot read ${resolve(FIXTURES, 'missing.yaml')}: ENOENT`,
    });
  });
});

describe('resources: the tree API Gateway builds from paths', () => {
  it('always has the root, and creates every intermediate path part', () => {
    const snapshot = importDoc(oas3({ '/a/b/{c}/{proxy+}': { get: lambdaProxy() } }));
    assert.deepEqual(
      snapshot.resources.map((r) => [
        r.path,
        r.pathPart,
        r.id.length,
        Object.keys(r.resourceMethods),
      ]),
      [
        ['/', undefined, 10, []],
        ['/a', 'a', 6, []],
        ['/a/b', 'b', 6, []],
        ['/a/b/{c}', '{c}', 6, []],
        ['/a/b/{c}/{proxy+}', '{proxy+}', 6, ['GET']],
      ],
    );
    const byPath = new Map(snapshot.resources.map((r) => [r.path, r]));
    assert.equal(byPath.get('/a/b/{c}/{proxy+}')?.parentId, byPath.get('/a/b/{c}')?.id);
    assert.equal(byPath.get('/a')?.parentId, byPath.get('/')?.id);
  });

  it('puts methods on the root resource for path /', () => {
    const snapshot = importDoc(oas3({ '/': { get: lambdaProxy() } }));
    assert.equal(snapshot.resources.length, 1);
    assert.deepEqual(Object.keys(snapshot.resources[0]!.resourceMethods), ['GET']);
  });

  it('accepts colons in a literal path part (events:batch)', () => {
    const snapshot = importDoc(oas3({ '/events:batch': { post: lambdaProxy() } }));
    assert.equal(snapshot.resources[1]?.pathPart, 'events:batch');
  });

  it('maps x-amazon-apigateway-any-method to ANY beside explicit methods', () => {
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-any-method.html
    const snapshot = importDoc(
      oas3({
        '/{proxy+}': { 'x-amazon-apigateway-any-method': lambdaProxy(), get: lambdaProxy() },
      }),
    );
    assert.deepEqual(Object.keys(snapshot.resources[1]!.resourceMethods).sort(), ['ANY', 'GET']);
  });
});

describe('api settings', () => {
  it('takes the name from info.title unless apiName is given, and defaults apiKeySource to HEADER', () => {
    const snapshot = importDoc(oas3({}));
    assert.deepEqual(snapshot.api, {
      id: API_ID,
      name: 'test-api',
      createdDate: 1700000000000,
      binaryMediaTypes: [],
      apiKeySource: 'HEADER',
    });
    assert.deepEqual(snapshot.resources.length, 1);
  });

  it('reads api-key-source AUTHORIZER and minimum-compression-size', () => {
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-api-key-source.html
    const snapshot = importDoc(
      oas3(
        {},
        {
          'x-amazon-apigateway-api-key-source': 'AUTHORIZER',
          'x-amazon-apigateway-minimum-compression-size': 1024,
        },
      ),
    );
    assert.equal(snapshot.api.apiKeySource, 'AUTHORIZER');
    assert.equal(snapshot.api.minimumCompressionSize, 1024);
  });
});
