// An authorizer whose function does not exist: AWS deploys the API, and answers the methods that
// use it 500 AUTHORIZER_CONFIGURATION_ERROR at request time; a function created later is used
// without a redeploy. Through @aws-sdk/client-api-gateway and a real `sallyport serve`.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import {
  CreateAuthorizerCommand,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
} from '@aws-sdk/client-api-gateway';
import { call, eventually, serve, type Served } from '../e2e/harness.js';
import { assertRecordedAnswer } from '../support/recorded-answer.js';
import {
  ADMIN_ENV,
  createInvokableFunction,
  lambdaUri,
  sdkClients,
  untilStatus,
} from './sdk-client.js';

const RESPONSE_TYPES =
  'https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html (AUTHORIZER_CONFIGURATION_ERROR: 500, {"message":$context.error.messageString} with a null message)';

let s: Served;
before(async () => {
  s = await serve([], ADMIN_ENV);
});
after(() => s.stop());

async function mockMethod(apiId: string, resourceId: string, authorizerId?: string) {
  const { apigw } = sdkClients(s);
  const m = { restApiId: apiId, resourceId, httpMethod: 'GET' };
  await apigw.send(
    new PutMethodCommand({
      ...m,
      authorizationType: authorizerId ? 'CUSTOM' : 'NONE',
      authorizerId,
    }),
  );
  await apigw.send(
    new PutIntegrationCommand({
      ...m,
      type: 'MOCK',
      requestTemplates: { 'application/json': '{"statusCode": 200}' },
    }),
  );
  await apigw.send(new PutMethodResponseCommand({ ...m, statusCode: '200' }));
  await apigw.send(
    new PutIntegrationResponseCommand({
      ...m,
      statusCode: '200',
      responseTemplates: { 'application/json': '{"ok": true}' },
    }),
  );
}

it('deploys, answers 500 until the function exists, then uses it without a redeploy', async () => {
  const { apigw, lambda } = sdkClients(s);
  const api = await apigw.send(new CreateRestApiCommand({ name: 'ghost-authorizer' }));
  const authorizer = await apigw.send(
    new CreateAuthorizerCommand({
      restApiId: api.id,
      name: 'ghost',
      type: 'TOKEN',
      authorizerUri: lambdaUri('ghost-auth'),
      identitySource: 'method.request.header.jwt_token',
      authorizerResultTtlInSeconds: 0,
    }),
  );
  for (const [pathPart, authorizerId] of [
    ['open', undefined],
    ['haunted', authorizer.id],
  ] as const) {
    const res = await apigw.send(
      new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart }),
    );
    await mockMethod(api.id!, res.id!, authorizerId);
  }
  // No function behind the authorizer: the deployment still succeeds, as on AWS.
  const deployment = await apigw.send(
    new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }),
  );
  assert.match(deployment.id ?? '', /^[a-z0-9]{6}$/);

  const base = `${s.base}/restapis/${api.id}/dev/_user_request_`;
  const open = await untilStatus(`${base}/open`, 200);
  assert.equal(open.body, '{"ok": true}');
  const haunted = await call(`${base}/haunted`, { headers: { jwt_token: 'allow' } });
  assertRecordedAnswer(haunted, {
    source: RESPONSE_TYPES,
    status: 500,
    headers: { 'x-amzn-errortype': 'AuthorizerConfigurationException' },
    body: { message: null },
  });
  // The reason goes to the log (AWS's execution log), never to the caller.
  // It travels on the server's stdout, which may arrive after the answer.
  await eventually(() =>
    /Lambda function ghost-auth.*Execution failed due to configuration error/.test(s.output()),
  );

  await createInvokableFunction(
    lambda,
    'ghost-auth',
    'authorizer',
    `arn:aws:execute-api:us-east-1:123456789012:${api.id}/authorizers/${authorizer.id}`,
  );
  const served = await untilStatus(`${base}/haunted`, 200, { jwt_token: 'allow' });
  assert.equal(served.body, '{"ok": true}');
});
