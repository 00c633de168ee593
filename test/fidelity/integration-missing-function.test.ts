// A Lambda integration whose fixed URI names a function that does not exist: AWS's PutIntegration
// and CreateDeployment do not look the function up; the method answers 500 Internal server error,
// the reason in the execution log, and a function created later is used without a redeploy — as
// for an authorizer's missing function (authorizer-missing-function.test.ts). Through
// @aws-sdk/client-api-gateway and a real `sallyport serve`.
// https://docs.aws.amazon.com/apigateway/latest/api/API_PutIntegration.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import {
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  PutIntegrationCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import { eventually, serve, type Served } from '../e2e/harness.js';
import { assertRecordedAnswer } from '../support/recorded-answer.js';
import {
  ADMIN_ENV,
  createInvokableFunction,
  lambdaUri,
  sdkClients,
  untilStatus,
} from './sdk-client.js';

const DEFAULT_5XX =
  'https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html (DEFAULT_5XX; "Internal server error" as for AWS\'s other Lambda configuration errors)';

let s: Served;
before(async () => {
  s = await serve([], ADMIN_ENV);
});
after(() => s.stop());

it('deploys, answers 500 until the function exists, then calls it without a redeploy', async () => {
  const { apigw, lambda } = sdkClients(s);
  const api = await apigw.send(new CreateRestApiCommand({ name: 'ghost-integration' }));
  const res = await apigw.send(
    new CreateResourceCommand({
      restApiId: api.id,
      parentId: api.rootResourceId,
      pathPart: 'hello',
    }),
  );
  const m = { restApiId: api.id, resourceId: res.id, httpMethod: 'GET' };
  await apigw.send(new PutMethodCommand({ ...m, authorizationType: 'NONE' }));
  const integration = await apigw.send(
    new PutIntegrationCommand({
      ...m,
      type: 'AWS_PROXY',
      integrationHttpMethod: 'POST',
      uri: lambdaUri('ghost-hello'),
    }),
  );
  assert.equal(integration.uri, lambdaUri('ghost-hello'));
  const deployment = await apigw.send(
    new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }),
  );
  assert.match(deployment.id ?? '', /^[a-z0-9]{6}$/);

  const url = `${s.base}/restapis/${api.id}/dev/_user_request_/hello`;
  assertRecordedAnswer(await untilStatus(url, 500), {
    source: DEFAULT_5XX,
    status: 500,
    headers: { 'x-amzn-errortype': 'InternalServerErrorException' },
    body: { message: 'Internal server error' },
  });
  // The reason goes to the log (AWS's execution log), never to the caller.
  await eventually(() => /Lambda function ghost-hello does not exist/.test(s.output()));

  await createInvokableFunction(
    lambda,
    'ghost-hello',
    'hello',
    `arn:aws:execute-api:us-east-1:123456789012:${api.id}/*/GET/hello`,
  );
  const served = await untilStatus(url, 200);
  assert.equal(served.status, 200, served.body);
});
