// Protection a method asks for is enforced, or the deployment is refused: nothing answers 200
// as if it were protected. Once, `apiKeyRequired: true` deployed and answered anyone, and
// API Gateway invoked functions whose resource policy does not allow it.
// https://repost.aws/knowledge-center/api-gateway-rest-api-lambda-integrations
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  APIGatewayClient,
  CreateAuthorizerCommand,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  UpdateMethodCommand,
} from '@aws-sdk/client-api-gateway';
import {
  AddPermissionCommand,
  CreateFunctionCommand,
  LambdaClient,
  RemovePermissionCommand,
} from '@aws-sdk/client-lambda';
import { makeZip } from '../control/lambda/make-zip.js';
import { ROOT, call, eventually, serve, type Served } from '../e2e/harness.js';
import {
  ECHO_INTEGRATION,
  echoProject,
  keysEnv,
  lambdaUri,
  refusal,
  until,
} from './echo-project.js';

const KEYS = { accessKeyId: 'AKIASALLYPORTFAIL001', secretAccessKey: 'f'.repeat(40) };
const ENV = keysEnv(KEYS);
const FUNCTIONS = join(ROOT, 'examples/sayhello/functions');
const EXECUTE_API = 'arn:aws:execute-api:us-east-1:123456789012';
const uri = lambdaUri;
const FORBIDDEN = '{"message":"Forbidden"}';

describe('apiKeyRequired is enforced, never served open', () => {
  it('serve --config: a method with the api_key scheme answers 403 without a key', async () => {
    const dir = echoProject(
      'keyedapi01',
      `paths:
  /x:
    get:
      security: [{ api_key: [] }]
      x-amazon-apigateway-integration: ${ECHO_INTEGRATION}
components:
  securitySchemes:
    api_key: { type: apiKey, name: x-api-key, in: header }
`,
    );
    const s = await serve(['--config', dir], ENV);
    try {
      for (const headers of [{}, { 'x-api-key': 'a-key-nobody-was-given-0001' }] as Record<
        string,
        string
      >[]) {
        const r = await call(`${s.base}/dev/x`, { headers });
        assert.equal(r.status, 403);
        assert.equal(r.body, FORBIDDEN);
      }
    } finally {
      await s.stop();
    }
  });

  it('a method made through the control plane with apiKeyRequired deploys and refuses keyless calls', async () => {
    const s = await serve([], ENV);
    try {
      const apigw = new APIGatewayClient({
        endpoint: s.admin!,
        region: 'us-east-1',
        credentials: KEYS,
      });
      const api = await apigw.send(new CreateRestApiCommand({ name: 'keyed' }));
      const res = await apigw.send(
        new CreateResourceCommand({
          restApiId: api.id,
          parentId: api.rootResourceId,
          pathPart: 'x',
        }),
      );
      const method = { restApiId: api.id, resourceId: res.id, httpMethod: 'GET' };
      await apigw.send(new PutMethodCommand({ ...method, authorizationType: 'NONE' }));
      await apigw.send(
        new PutIntegrationCommand({
          ...method,
          type: 'MOCK',
          requestTemplates: { 'application/json': '{"statusCode": 200}' },
        }),
      );
      await apigw.send(new PutMethodResponseCommand({ ...method, statusCode: '200' }));
      await apigw.send(new PutIntegrationResponseCommand({ ...method, statusCode: '200' }));
      await apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }));
      const url = `${s.base}/restapis/${api.id}/dev/_user_request_/x`;
      // Served open first (a 403 before that could be the stage not being there yet)…
      assert.equal((await until(url, 200)).status, 200);
      await apigw.send(
        new UpdateMethodCommand({
          ...method,
          patchOperations: [{ op: 'replace', path: '/apiKeyRequired', value: 'true' }],
        }),
      );
      await apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }));
      // …then, redeployed with apiKeyRequired, refused without a key.
      const r = await until(url, 403);
      assert.equal(r.status, 403);
      assert.equal(r.body, FORBIDDEN);
      apigw.destroy();
    } finally {
      await s.stop();
    }
  });
});

describe('Lambda resource policies for functions created through the control plane', () => {
  let s: Served;
  let apigw: APIGatewayClient;
  let lambda: LambdaClient;
  let apiId: string;
  let url: string;
  let authorizerId: string;

  before(async () => {
    s = await serve([], ENV);
    const config = { endpoint: s.admin!, region: 'us-east-1', credentials: KEYS };
    apigw = new APIGatewayClient(config);
    lambda = new LambdaClient(config);
    for (const [name, folder] of [
      ['sayhello', 'hello'],
      ['api-authorizer', 'authorizer'],
    ] as const) {
      await lambda.send(
        new CreateFunctionCommand({
          FunctionName: name,
          Runtime: 'nodejs20.x',
          Role: 'arn:aws:iam::123456789012:role/lambda',
          Handler: 'index.handler',
          Code: {
            ZipFile: makeZip([
              { path: 'index.js', content: readFileSync(join(FUNCTIONS, folder, 'index.js')) },
              { path: 'package.json', content: '{ "type": "commonjs" }' },
            ]),
          },
        }),
      );
    }
    const api = await apigw.send(new CreateRestApiCommand({ name: 'policies' }));
    apiId = api.id!;
    const authorizer = await apigw.send(
      new CreateAuthorizerCommand({
        restApiId: apiId,
        name: 'auth',
        type: 'TOKEN',
        authorizerUri: uri('api-authorizer'),
        identitySource: 'method.request.header.jwt_token',
        authorizerResultTtlInSeconds: 0,
      }),
    );
    authorizerId = authorizer.id!;
    for (const [pathPart, custom] of [
      ['open', false],
      ['guarded', true],
    ] as const) {
      const res = await apigw.send(
        new CreateResourceCommand({ restApiId: apiId, parentId: api.rootResourceId, pathPart }),
      );
      const method = { restApiId: apiId, resourceId: res.id, httpMethod: 'GET' };
      await apigw.send(
        new PutMethodCommand({
          ...method,
          authorizationType: custom ? 'CUSTOM' : 'NONE',
          ...(custom ? { authorizerId } : {}),
        }),
      );
      await apigw.send(
        new PutIntegrationCommand({
          ...method,
          type: 'AWS_PROXY',
          integrationHttpMethod: 'POST',
          uri: uri('sayhello'),
        }),
      );
    }
    await apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'dev' }));
    url = `${s.base}/restapis/${apiId}/dev/_user_request_`;
  });

  after(async () => {
    apigw?.destroy();
    lambda?.destroy();
    await s?.stop();
  });

  it('no permission: 500 {"message": "Internal server error"}, "Invalid permissions on Lambda function" logged', async () => {
    const r = await until(`${url}/open`, 500);
    assert.deepEqual(refusal(r), {
      status: 500,
      body: '{"message":"Internal server error"}',
      errorType: 'InternalServerErrorException',
    });
    // The log line is written asynchronously: wait for it.
    await eventually(() =>
      /Execution failed due to configuration error: Invalid permissions on Lambda function sayhello/.test(
        s.output(),
      ),
    );
  });

  it('AddPermission for apigateway.amazonaws.com with a matching SourceArn: 200; another ARN does not count', async () => {
    await lambda.send(
      new AddPermissionCommand({
        FunctionName: 'sayhello',
        StatementId: 'other-api',
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
        SourceArn: `${EXECUTE_API}:otherapi00/*/GET/open`,
      }),
    );
    await lambda.send(
      new AddPermissionCommand({
        FunctionName: 'sayhello',
        StatementId: 'this-api',
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
        SourceArn: `${EXECUTE_API}:${apiId}/*/GET/open`,
      }),
    );
    const r = await until(`${url}/open`, 200);
    assert.equal(r.status, 200, r.body);
    // Without it, the statement for another API's ARN alone lets nothing through.
    await lambda.send(
      new RemovePermissionCommand({ FunctionName: 'sayhello', StatementId: 'this-api' }),
    );
    assert.equal((await until(`${url}/open`, 500)).status, 500);
  });

  it('an authorizer without permission: 500 AuthorizerConfigurationException {"message":null}', async () => {
    await lambda.send(
      new AddPermissionCommand({
        FunctionName: 'sayhello',
        StatementId: 'all-methods',
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
        SourceArn: `${EXECUTE_API}:${apiId}/*`,
      }),
    );
    const headers = { jwt_token: 'allow' };
    const refused = await until(`${url}/guarded`, 500, headers);
    assert.deepEqual(refusal(refused), {
      status: 500,
      body: '{"message":null}',
      errorType: 'AuthorizerConfigurationException',
    });
    await lambda.send(
      new AddPermissionCommand({
        FunctionName: 'api-authorizer',
        StatementId: 'authorizer',
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
        SourceArn: `${EXECUTE_API}:${apiId}/authorizers/${authorizerId}`,
      }),
    );
    const allowed = await until(`${url}/guarded`, 200, headers);
    assert.equal(allowed.status, 200, allowed.body);
  });

  it('functions from sallyport.yaml are permitted implicitly', async () => {
    const dir = echoProject(
      'localapi01',
      `paths:
  /x:
    get:
      x-amazon-apigateway-integration: ${ECHO_INTEGRATION}
`,
    );
    const local = await serve(['--config', dir], ENV);
    try {
      assert.equal((await call(`${local.base}/dev/x`)).status, 200);
    } finally {
      await local.stop();
    }
  });
});
