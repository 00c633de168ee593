// Issue 3's walkthrough through the real AWS SDKs against a real `sallyport serve`: functions
// uploaded as zips, the API built operation by operation, nothing live until deployed, AWS's
// exact answers, the console's Test buttons, a restart keeping everything — on SQLite, and on
// PostgreSQL with two nodes sharing one database when SALLYPORT_TEST_PG is set.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  APIGatewayClient,
  CreateAuthorizerCommand,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  GetRestApisCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  TestInvokeAuthorizerCommand,
  TestInvokeMethodCommand,
  UpdateMethodCommand,
} from '@aws-sdk/client-api-gateway';
import {
  AddPermissionCommand,
  CreateFunctionCommand,
  InvokeCommand,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import { makeZip } from '../control/lambda/make-zip.js';
import { ROOT, call, serve, type Served } from './harness.js';

const CREDENTIALS = { accessKeyId: 'AKIASALLYPORTTEST001', secretAccessKey: 'x'.repeat(40) };
const ENV = {
  SALLYPORT_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
  SALLYPORT_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
};
const EXAMPLE = join(ROOT, 'examples/sayhello/functions');
const uri = (name: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${name}/invocations`;

function clients(s: Served, secretAccessKey = CREDENTIALS.secretAccessKey) {
  const config = {
    endpoint: s.admin!,
    region: 'us-east-1',
    credentials: { ...CREDENTIALS, secretAccessKey },
  };
  return { apigw: new APIGatewayClient(config), lambda: new LambdaClient(config) };
}

const zipOf = (folder: string) =>
  makeZip([
    { path: 'index.js', content: readFileSync(join(folder, 'index.js')) },
    { path: 'package.json', content: '{ "type": "commonjs" }' },
  ]);

/** Polls a request until it answers `status` (deployments reach the data plane asynchronously). */
async function until(url: string, headers: Record<string, string>, status: number) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = await call(url, { headers });
    if (r.status === status || Date.now() > deadline) return r;
    await new Promise((ok) => setTimeout(ok, 50));
  }
}

/** Builds the walkthrough's API through node `a`; returns the API id. */
async function walkthrough(a: Served, b: Served = a) {
  const { apigw, lambda } = clients(a);
  for (const [name, folder] of [
    ['api-authorizer', 'authorizer'],
    ['sayhello', 'hello'],
  ] as const) {
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs20.x',
        Role: 'arn:aws:iam::123456789012:role/lambda',
        Handler: 'index.handler',
        Code: { ZipFile: zipOf(join(EXAMPLE, folder)) },
        Environment: { Variables: { GREETING: 'Hello' } },
      }),
    );
  }
  const api = await apigw.send(new CreateRestApiCommand({ name: 'seed-api' }));
  const res = await apigw.send(
    new CreateResourceCommand({
      restApiId: api.id,
      parentId: api.rootResourceId,
      pathPart: 'sayhello',
    }),
  );
  await apigw.send(
    new PutMethodCommand({
      restApiId: api.id,
      resourceId: res.id,
      httpMethod: 'GET',
      authorizationType: 'NONE',
    }),
  );
  await apigw.send(
    new PutIntegrationCommand({
      restApiId: api.id,
      resourceId: res.id,
      httpMethod: 'GET',
      type: 'AWS_PROXY',
      integrationHttpMethod: 'POST',
      uri: uri('sayhello'),
    }),
  );
  // The console's "Grant & Create": API Gateway may invoke the function for this method.
  const executeApi = `arn:aws:execute-api:us-east-1:123456789012:${api.id}`;
  await lambda.send(
    new AddPermissionCommand({
      FunctionName: 'sayhello',
      StatementId: 'apigateway-get-sayhello',
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      SourceArn: `${executeApi}/*/GET/sayhello`,
    }),
  );
  await apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }));
  const url = `${b.base}/restapis/${api.id}/dev/_user_request_/sayhello`;

  // Deployed without an authorizer: anyone gets the function's answer.
  const open = await until(url, {}, 200);
  assert.equal(open.status, 200, open.body);
  assert.deepEqual(open.json(), { message: 'Hello from Lambda!', principalId: 'anonymous' });

  const authorizer = await apigw.send(
    new CreateAuthorizerCommand({
      restApiId: api.id,
      name: 'api-authorizer',
      type: 'TOKEN',
      authorizerUri: uri('api-authorizer'),
      identitySource: 'method.request.header.jwt_token',
      authorizerResultTtlInSeconds: 0,
    }),
  );
  await lambda.send(
    new AddPermissionCommand({
      FunctionName: 'api-authorizer',
      StatementId: 'apigateway-authorizer',
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      SourceArn: `${executeApi}/authorizers/${authorizer.id}`,
    }),
  );
  await apigw.send(
    new UpdateMethodCommand({
      restApiId: api.id,
      resourceId: res.id,
      httpMethod: 'GET',
      patchOperations: [
        { op: 'replace', path: '/authorizationType', value: 'CUSTOM' },
        { op: 'replace', path: '/authorizerId', value: authorizer.id },
      ],
    }),
  );
  // Not deployed yet: callers see no change.
  assert.equal((await call(url)).status, 200);

  await apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }));
  const denied = await until(url, {}, 401);
  assert.equal(denied.status, 401);
  assert.equal(denied.body, '{"message":"Unauthorized"}');
  assert.equal(denied.headers['x-amzn-errortype'], 'UnauthorizedException');
  const allowed = await call(url, { headers: { jwt_token: 'allow' } });
  assert.equal(allowed.status, 200);
  assert.deepEqual(allowed.json(), { message: 'Hello from Lambda!', principalId: 'user|allow' });
  const deny = await call(url, { headers: { jwt_token: 'deny' } });
  assert.equal(deny.status, 403);
  assert.equal(
    deny.body,
    '{"Message":"User is not authorized to access this resource with an explicit deny"}',
  );
  return { apiId: api.id!, resourceId: res.id!, authorizerId: authorizer.id!, url };
}

describe('control plane on SQLite, driven by @aws-sdk/client-api-gateway and client-lambda', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sallyport-cp-'));
  let s: Served;
  after(async () => {
    await s?.stop();
  });

  it('replays the walkthrough; TestInvoke* answer as the console; a restart keeps everything', async () => {
    s = await serve(['--data-dir', dataDir], ENV);
    const { apiId, resourceId, authorizerId, url } = await walkthrough(s);
    const { apigw, lambda } = clients(s);

    const test = await apigw.send(
      new TestInvokeMethodCommand({ restApiId: apiId, resourceId, httpMethod: 'GET' }),
    );
    assert.equal(test.status, 200);
    assert.deepEqual(JSON.parse(test.body!), {
      message: 'Hello from Lambda!',
      principalId: 'anonymous',
    });
    const testAuth = await apigw.send(
      new TestInvokeAuthorizerCommand({
        restApiId: apiId,
        authorizerId,
        headers: { jwt_token: 'allow' },
      }),
    );
    // 0 when the authorizer succeeded (API_TestInvokeAuthorizer.html).
    assert.equal(testAuth.clientStatus, 0);
    assert.equal(testAuth.principalId, 'user|allow');

    const invoked = await lambda.send(
      new InvokeCommand({
        FunctionName: 'sayhello',
        Payload: JSON.stringify({ requestContext: {} }),
      }),
    );
    assert.equal(invoked.StatusCode, 200);
    const payload = JSON.parse(Buffer.from(invoked.Payload!).toString()) as { statusCode: number };
    assert.equal(payload.statusCode, 200);

    // A wrong signature is refused as AWS refuses it, and changes nothing.
    await assert.rejects(
      clients(s, 'y'.repeat(40)).apigw.send(new CreateRestApiCommand({ name: 'nope' })),
      (e: Error & { name: string; $metadata: { httpStatusCode?: number } }) =>
        e.name === 'InvalidSignatureException' && e.$metadata.httpStatusCode === 403,
    );

    assert.equal(await s.stop(), 0);
    s = await serve(['--data-dir', dataDir], ENV);
    const apis = await clients(s).apigw.send(new GetRestApisCommand({}));
    assert.deepEqual(
      apis.items?.map((a) => a.id),
      [apiId],
    );
    const restartedUrl = url.replace(/^http:\/\/[^/]+/, s.base);
    assert.equal((await call(restartedUrl)).status, 401);
    assert.equal((await call(restartedUrl, { headers: { jwt_token: 'allow' } })).status, 200);
    // One API deployed: the bare URL form reaches it.
    assert.equal(
      (await call(`${s.base}/dev/sayhello`, { headers: { jwt_token: 'allow' } })).status,
      200,
    );
  });
});

const PG = process.env.SALLYPORT_TEST_PG;
describe(
  'control plane on PostgreSQL: two nodes share one configuration',
  { skip: PG ? false : 'skipped: set SALLYPORT_TEST_PG to run' },
  () => {
    const servers: Served[] = [];
    after(async () => {
      for (const s of servers) await s.stop();
    });

    it('a deployment through one node is served by the other within seconds', async () => {
      const schema = `e2e_${process.pid}_${Date.now()}`;
      const store = `${PG}${PG!.includes('?') ? '&' : '?'}schema=${schema}`;
      const a = await serve(['--store', store], ENV);
      servers.push(a);
      const b = await serve(['--store', store], ENV);
      servers.push(b);
      // Built through node a; every check of the walkthrough is made against node b.
      await walkthrough(a, b);
    });
  },
);
