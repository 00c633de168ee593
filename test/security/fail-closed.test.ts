// Protection a method asks for is enforced, or the deployment is refused: nothing answers 200
// as if it were protected. On main, `apiKeyRequired: true` deployed and answered anyone, and
// API Gateway invoked functions whose resource policy does not allow it.
// https://repost.aws/knowledge-center/api-gateway-rest-api-lambda-integrations
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  APIGatewayClient,
  CreateAuthorizerCommand,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  PutIntegrationCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import {
  AddPermissionCommand,
  CreateFunctionCommand,
  LambdaClient,
  RemovePermissionCommand,
} from '@aws-sdk/client-lambda';
import { makeZip } from '../control/lambda/make-zip.js';
import { ROOT, call, eventually, run, serve, type Served } from '../e2e/harness.js';
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
const APIKEY_REFUSAL =
  'API keys and usage plans are not supported yet: method GET /x has apiKeyRequired set to true; set it to false (and protect the method another way) to deploy';

describe('apiKeyRequired is refused until API keys are built', () => {
  it('serve --config exits with one line that says why', async () => {
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
    const dataDir = mkdtempSync(join(tmpdir(), 'sallyport-fail-'));
    const r = await run(['serve', '--config', dir, '--port', '0', '--data-dir', dataDir]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), `sallyport: ${APIKEY_REFUSAL}`);
  });

  it('CreateDeployment answers 400 BadRequestException with the reason', async () => {
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
      await apigw.send(
        new PutMethodCommand({ ...method, authorizationType: 'NONE', apiKeyRequired: true }),
      );
      await apigw.send(new PutIntegrationCommand({ ...method, type: 'MOCK' }));
      await assert.rejects(
        apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' })),
        (e: Error & { $metadata: { httpStatusCode?: number } }) =>
          e.name === 'BadRequestException' &&
          e.$metadata.httpStatusCode === 400 &&
          e.message === APIKEY_REFUSAL,
      );
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
