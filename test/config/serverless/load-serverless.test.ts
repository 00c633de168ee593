// serverless.yml → the project model, with the Framework's defaults and authorizer settings.
// https://www.serverless.com/framework/docs/providers/aws/events/apigateway
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadServerlessProject } from '../../../src/config/serverless/load-serverless.js';

function service(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sallyport-sls-unit-'));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'handler.js'), 'exports.main = async () => ({});\n');
  writeFileSync(join(dir, 'serverless.yml'), yaml);
  return dir;
}

const at = (value: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], value);

const HEAD = `service: shop
provider:
  name: aws
  runtime: nodejs20.x
functions:
  auth:
    handler: src/handler.main
`;

describe('serverless.yml → project', () => {
  it('names as deployed, the Framework defaults, a REQUEST authorizer, private: true and the short form', async () => {
    const p = await loadServerlessProject(
      service(`${HEAD}  orders:
    handler: src/handler.main
    events:
      - http:
          path: /orders/{id}
          method: get
          private: true
          authorizer:
            name: auth
            type: request
            identitySource: method.request.header.X-Key, method.request.querystring.tenant
            resultTtlInSeconds: 30
      - http: POST orders
`),
    );
    assert.deepEqual(
      p.functions.map((f) => [f.FunctionName, f.Timeout, f.MemorySize]),
      [
        ['shop-dev-auth', 6, 1024],
        ['shop-dev-orders', 6, 1024],
      ],
    );
    const api = p.apis[0]!;
    assert.equal(api.name, 'dev-shop');
    assert.deepEqual(api.stages, [{ stageName: 'dev', variables: {} }]);
    const doc = api.document;
    assert.deepEqual(at(doc, 'paths', '/orders/{id}', 'get', 'security'), [
      { auth: [], api_key: [] },
    ]);
    assert.deepEqual(at(doc, 'securityDefinitions', 'auth', 'x-amazon-apigateway-authorizer'), {
      type: 'request',
      authorizerUri:
        'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:shop-dev-auth/invocations',
      authorizerResultTtlInSeconds: 30,
      identitySource: 'method.request.header.X-Key, method.request.querystring.tenant',
    });
    assert.ok(at(doc, 'paths', '/orders', 'post', 'x-amazon-apigateway-integration'));
  });

  it('a typo, several cors origins and httpApi events are errors naming file:line:column', async () => {
    await assert.rejects(
      loadServerlessProject(service(`${HEAD}    hander: x\n`)),
      /serverless\.yml:8:13: functions\.auth\.hander: not a function setting Sallyport knows \(a typo\?\)/,
    );
    await assert.rejects(
      loadServerlessProject(
        service(
          `${HEAD}    events:\n      - http: { path: a, method: get, cors: { origins: [a, b] } }\n`,
        ),
      ),
      /serverless\.yml:9:\d+: functions\.auth\.events\[0\]\.http\.cors\.origins: one origin \(or \*\) is converted/,
    );
    await assert.rejects(
      loadServerlessProject(service(`${HEAD}    events:\n      - httpApi: GET /a\n`)),
      /functions\.auth\.events\[0\]\.httpApi: httpApi events \(API Gateway v2\) are not served/,
    );
  });

  // https://www.serverless.com/framework/docs/providers/aws/events/apigateway#enabling-cors
  it("cors: true gives the path the Framework's OPTIONS MOCK method; a cors object sets its values", async () => {
    const p = await loadServerlessProject(
      service(`${HEAD}    events:
      - http: { path: a, method: get, cors: true }
      - http: { path: a, method: post, cors: true }
      - http:
          path: b
          method: get
          cors: { origin: 'https://app.example.com', headers: [jwt_token], allowCredentials: true, maxAge: 86400 }
`),
    );
    const doc = p.apis[0]!.document;
    const params = (path: string) =>
      at(
        doc,
        'paths',
        path,
        'options',
        'x-amazon-apigateway-integration',
        'responses',
        'default',
        'responseParameters',
      );
    assert.deepEqual(params('/a'), {
      'method.response.header.Access-Control-Allow-Origin': "'*'",
      'method.response.header.Access-Control-Allow-Headers':
        "'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token,X-Amz-User-Agent,X-Amzn-Trace-Id'",
      'method.response.header.Access-Control-Allow-Methods': "'OPTIONS,GET,POST'",
    });
    assert.deepEqual(params('/b'), {
      'method.response.header.Access-Control-Allow-Origin': "'https://app.example.com'",
      'method.response.header.Access-Control-Allow-Headers': "'jwt_token'",
      'method.response.header.Access-Control-Allow-Methods': "'OPTIONS,GET'",
      'method.response.header.Access-Control-Max-Age': "'86400'",
      'method.response.header.Access-Control-Allow-Credentials': "'true'",
    });
    assert.equal(at(doc, 'paths', '/a', 'options', 'security'), undefined);
  });
});
