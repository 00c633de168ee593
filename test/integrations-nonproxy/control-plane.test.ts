// The console's non-proxy Lambda integration built through the AWS SDK against a real
// `sallyport serve`: PutIntegration --type AWS, PutMethodResponse, PutIntegrationResponse, their
// Get/Update/Delete, AWS's refusals, a deployment answering as configured, the export.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-custom-integrations.html
// https://docs.aws.amazon.com/apigateway/latest/api/API_PutIntegrationResponse.html
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateRestApiCommand,
  DeleteIntegrationResponseCommand,
  DeleteMethodResponseCommand,
  GetExportCommand,
  GetIntegrationResponseCommand,
  GetMethodCommand,
  GetMethodResponseCommand,
  GetResourcesCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  TestInvokeMethodCommand,
  UpdateIntegrationResponseCommand,
  UpdateMethodResponseCommand,
} from '@aws-sdk/client-api-gateway';
import { ROOT, call, serve, tempProject, type Served } from '../e2e/harness.js';

const CREDENTIALS = { accessKeyId: 'AKIASALLYPORTTEST013', secretAccessKey: 'y'.repeat(40) };
const FUNCTIONS = join(ROOT, 'test/fixtures/nonproxy/functions');
const uri = (name: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${name}/invocations`;

let s: Served;
let apigw: APIGatewayClient;
let restApiId: string;
let resourceId: string;
const at = () => ({ restApiId, resourceId, httpMethod: 'POST' });

/** The SDK's error for a refused command: its name, HTTP status and message. */
async function refusal(command: Promise<unknown>) {
  try {
    await command;
  } catch (error) {
    const e = error as Error & { $metadata: { httpStatusCode: number } };
    return { name: e.name, status: e.$metadata.httpStatusCode, message: e.message };
  }
  throw new Error('the command was accepted');
}

before(async () => {
  const dir = tempProject(`
functions:
  fail:
    Runtime: nodejs20.x
    Handler: index.handler
    Code: ${join(FUNCTIONS, 'fail')}
    Timeout: 30
`);
  s = await serve(['--config', dir], {
    SALLYPORT_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    SALLYPORT_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
  });
  apigw = new APIGatewayClient({
    endpoint: s.admin!,
    region: 'us-east-1',
    credentials: CREDENTIALS,
  });
  restApiId = (await apigw.send(new CreateRestApiCommand({ name: 'console-nonproxy' }))).id!;
  const resources = await apigw.send(new GetResourcesCommand({ restApiId }));
  resourceId = resources.items![0]!.id!;
  await apigw.send(new PutMethodCommand({ ...at(), authorizationType: 'NONE' }));
  const integration = await apigw.send(
    new PutIntegrationCommand({
      ...at(),
      type: 'AWS',
      integrationHttpMethod: 'POST',
      uri: uri('fail'),
    }),
  );
  assert.equal(integration.type, 'AWS');
  assert.equal(integration.passthroughBehavior, 'WHEN_NO_MATCH');
});

after(async () => {
  assert.equal(await s.stop(), 0);
});

describe('method responses and integration responses', () => {
  it('PutMethodResponse: 201 with the SDK shape; a second one for the status is a 409', async () => {
    const put = await apigw.send(
      new PutMethodResponseCommand({
        ...at(),
        statusCode: '400',
        responseParameters: { 'method.response.header.X-Error': false },
      }),
    );
    assert.equal(put.$metadata.httpStatusCode, 201);
    assert.deepEqual(put.responseParameters, { 'method.response.header.X-Error': false });
    await apigw.send(new PutMethodResponseCommand({ ...at(), statusCode: '200' }));
    const again = await refusal(
      apigw.send(new PutMethodResponseCommand({ ...at(), statusCode: '200' })),
    );
    assert.deepEqual(again, {
      name: 'ConflictException',
      status: 409,
      message: 'Response already exists for this resource',
    });
  });

  it('PutIntegrationResponse needs the method response; bad patterns and headers are 400', async () => {
    assert.deepEqual(
      await refusal(apigw.send(new PutIntegrationResponseCommand({ ...at(), statusCode: '418' }))),
      { name: 'NotFoundException', status: 404, message: 'Invalid Response status code specified' },
    );
    assert.deepEqual(
      await refusal(
        apigw.send(
          new PutIntegrationResponseCommand({ ...at(), statusCode: '400', selectionPattern: '(' }),
        ),
      ),
      { name: 'BadRequestException', status: 400, message: 'Invalid selection pattern specified' },
    );
    const undeclared = await refusal(
      apigw.send(
        new PutIntegrationResponseCommand({
          ...at(),
          statusCode: '400',
          responseParameters: { 'method.response.header.X-Nope': "'x'" },
        }),
      ),
    );
    assert.equal(undeclared.status, 400);
    assert.equal(
      undeclared.message,
      'Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression parameter specified: method.response.header.X-Nope]',
    );
  });

  it('PutIntegrationResponse / Get / Update: the SDK shapes round-trip', async () => {
    await apigw.send(new PutIntegrationResponseCommand({ ...at(), statusCode: '200' }));
    const put = await apigw.send(
      new PutIntegrationResponseCommand({
        ...at(),
        statusCode: '400',
        selectionPattern: 'Bad.*',
        responseParameters: {
          'method.response.header.X-Error': 'integration.response.body.errorType',
        },
        responseTemplates: { 'application/json': '{"error": "$input.path(\'$.errorMessage\')"}' },
      }),
    );
    assert.equal(put.$metadata.httpStatusCode, 201);
    const updated = await apigw.send(
      new UpdateIntegrationResponseCommand({
        ...at(),
        statusCode: '400',
        patchOperations: [{ op: 'replace', path: '/selectionPattern', value: 'Bad:.*' }],
      }),
    );
    assert.equal(updated.$metadata.httpStatusCode, 200);
    assert.equal(updated.selectionPattern, 'Bad:.*');
    const got = await apigw.send(new GetIntegrationResponseCommand({ ...at(), statusCode: '400' }));
    assert.deepEqual(
      { ...got, $metadata: undefined },
      {
        $metadata: undefined,
        statusCode: '400',
        selectionPattern: 'Bad:.*',
        responseParameters: {
          'method.response.header.X-Error': 'integration.response.body.errorType',
        },
        responseTemplates: { 'application/json': '{"error": "$input.path(\'$.errorMessage\')"}' },
      },
    );
    const method = await apigw.send(new GetMethodCommand(at()));
    assert.deepEqual(Object.keys(method.methodIntegration!.integrationResponses!).sort(), [
      '200',
      '400',
    ]);
  });

  it('a deployment answers as configured: the errorMessage selects 400, its template and header', async () => {
    await apigw.send(new CreateDeploymentCommand({ restApiId, stageName: 'dev' }));
    const endpoint = `${s.base}/restapis/${restApiId}/dev/_user_request_/`;
    let r = await call(endpoint, {
      method: 'POST',
      body: '{"message":"Bad: no name","type":"Input"}',
    });
    for (let i = 0; r.status === 403 && i < 600; i++) {
      await new Promise((ok) => setTimeout(ok, 50));
      r = await call(endpoint, {
        method: 'POST',
        body: '{"message":"Bad: no name","type":"Input"}',
      });
    }
    assert.equal(r.status, 400, r.body);
    assert.deepEqual(r.json(), { error: 'Bad: no name' });
    assert.equal(r.headers['x-error'], 'Input');
    const other = await call(endpoint, { method: 'POST', body: '{"message":"other"}' });
    assert.equal(other.status, 200);
    assert.equal((other.json() as { errorMessage: string }).errorMessage, 'other');
  });

  it("TestInvokeMethod runs the same mapping: the error's status, body and header", async () => {
    // https://docs.aws.amazon.com/apigateway/latest/api/API_TestInvokeMethod.html
    const r = await apigw.send(
      new TestInvokeMethodCommand({ ...at(), body: '{"message":"Bad: test","type":"T"}' }),
    );
    assert.equal(r.status, 400);
    assert.equal(r.body, '{"error": "Bad: test"}');
    assert.equal(r.headers?.['X-Error'], 'T');
  });

  it('the export carries the integration responses and method responses', async () => {
    const exported = await apigw.send(
      new GetExportCommand({
        restApiId,
        stageName: 'dev',
        exportType: 'oas30',
        parameters: { extensions: 'integrations' },
      }),
    );
    const doc = JSON.parse(Buffer.from(exported.body!).toString()) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    const post = doc.paths['/']!.post!;
    assert.deepEqual(Object.keys(post.responses as object).sort(), ['200', '400']);
    const integration = post['x-amazon-apigateway-integration'] as {
      type: string;
      responses: Record<string, { statusCode: string }>;
    };
    assert.equal(integration.type, 'aws');
    assert.equal(integration.responses['Bad:.*']!.statusCode, '400');
    assert.equal(integration.responses.default!.statusCode, '200');
  });

  it('UpdateMethodResponse (201, as the SDK model says) and the Deletes (204)', async () => {
    const updated = await apigw.send(
      new UpdateMethodResponseCommand({
        ...at(),
        statusCode: '400',
        patchOperations: [
          { op: 'add', path: '/responseParameters/method.response.header.X-More', value: 'true' },
        ],
      }),
    );
    assert.equal(updated.$metadata.httpStatusCode, 201);
    assert.deepEqual(updated.responseParameters, {
      'method.response.header.X-Error': false,
      'method.response.header.X-More': true,
    });
    const deleted = await apigw.send(
      new DeleteIntegrationResponseCommand({ ...at(), statusCode: '400' }),
    );
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    assert.equal(
      (await refusal(apigw.send(new GetIntegrationResponseCommand({ ...at(), statusCode: '400' }))))
        .status,
      404,
    );
    await apigw.send(new DeleteMethodResponseCommand({ ...at(), statusCode: '400' }));
    assert.equal(
      (await refusal(apigw.send(new GetMethodResponseCommand({ ...at(), statusCode: '400' }))))
        .message,
      'Invalid Response status code specified',
    );
  });
});
