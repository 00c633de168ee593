// examples/sayhello-console: the walkthrough's non-proxy Lambda integration (the console's
// default), served from its project file and rebuilt through the SDK calls its README shows
// (put-integration --type AWS, put-method-response, put-integration-response).
// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-custom-integrations.html
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  GetResourcesCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
} from '@aws-sdk/client-api-gateway';
import { call, serve, type Served } from './harness.js';

const CREDENTIALS = { accessKeyId: 'AKIASALLYPORTCONSOLE', secretAccessKey: 'z'.repeat(40) };
// The console's default Python function's answer, json.dumps spacing and all.
const WHOLE = '{"statusCode": 200, "body": "\\"Hello from Lambda!\\""}';

describe('examples/sayhello-console', () => {
  let s: Served;
  before(async () => {
    s = await serve(['--config', 'examples/sayhello-console'], {
      SALLYPORT_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      SALLYPORT_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    });
  });
  after(async () => {
    assert.equal(await s.stop(), 0);
  });

  it("the client receives the function's whole return value as the body", async () => {
    const r = await call(`${s.base}/dev/sayhello`, { headers: { jwt_token: 'allow' } });
    assert.equal(r.status, 200);
    assert.equal(r.body, WHOLE);
    assert.equal(r.headers['content-type'], 'application/json');
  });

  it('the authorizer still guards it: no token is 401', async () => {
    const r = await call(`${s.base}/dev/sayhello`);
    assert.equal(r.status, 401);
    assert.equal(r.body, '{"message":"Unauthorized"}');
  });

  it("the README's CLI steps build the same integration", async () => {
    const apigw = new APIGatewayClient({
      endpoint: s.admin!,
      region: 'us-east-1',
      credentials: CREDENTIALS,
    });
    const restApiId = (await apigw.send(new CreateRestApiCommand({ name: 'console-cli' }))).id!;
    const root = (await apigw.send(new GetResourcesCommand({ restApiId }))).items![0]!.id!;
    const resourceId = (
      await apigw.send(
        new CreateResourceCommand({ restApiId, parentId: root, pathPart: 'sayhello' }),
      )
    ).id!;
    const at = { restApiId, resourceId, httpMethod: 'GET' };
    await apigw.send(new PutMethodCommand({ ...at, authorizationType: 'NONE' }));
    await apigw.send(
      new PutIntegrationCommand({
        ...at,
        type: 'AWS',
        integrationHttpMethod: 'POST',
        uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:sayhello/invocations',
        contentHandling: 'CONVERT_TO_TEXT',
      }),
    );
    await apigw.send(new PutMethodResponseCommand({ ...at, statusCode: '200' }));
    await apigw.send(
      new PutIntegrationResponseCommand({ ...at, statusCode: '200', selectionPattern: '' }),
    );
    await apigw.send(new CreateDeploymentCommand({ restApiId, stageName: 'dev' }));
    const url = `${s.base}/restapis/${restApiId}/dev/_user_request_/sayhello`;
    let r = await call(url);
    // A deployment reaches the data plane asynchronously: poll with a wide deadline.
    for (let i = 0; r.status === 403 && i < 600; i++) {
      await new Promise((ok) => setTimeout(ok, 50));
      r = await call(url);
    }
    assert.equal(r.status, 200, r.body);
    assert.equal(r.body, WHOLE);
  });
});
