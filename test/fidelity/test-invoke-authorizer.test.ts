// TestInvokeAuthorizer's answer as its API reference defines it, through
// @aws-sdk/client-api-gateway and a real `sallyport serve`.
// https://docs.aws.amazon.com/apigateway/latest/api/API_TestInvokeAuthorizer.html
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import {
  CreateAuthorizerCommand,
  CreateRestApiCommand,
  TestInvokeAuthorizerCommand,
} from '@aws-sdk/client-api-gateway';
import { serve, type Served } from '../e2e/harness.js';
import { ADMIN_ENV, createExampleFunction, lambdaUri, sdkClients } from './sdk-client.js';

const REFERENCE = 'https://docs.aws.amazon.com/apigateway/latest/api/API_TestInvokeAuthorizer.html';

let s: Served;
before(async () => {
  s = await serve([], ADMIN_ENV);
});
after(() => s.stop());

it('clientStatus is 0 when the authorizer succeeded, else what the client would get', async () => {
  const { apigw, lambda } = sdkClients(s);
  await createExampleFunction(lambda, 'walkthrough-auth', 'authorizer');
  const api = await apigw.send(new CreateRestApiCommand({ name: 'test-invoke' }));
  const authorizer = await apigw.send(
    new CreateAuthorizerCommand({
      restApiId: api.id,
      name: 'auth',
      type: 'TOKEN',
      authorizerUri: lambdaUri('walkthrough-auth'),
      identitySource: 'method.request.header.jwt_token',
    }),
  );
  const test = (token?: string) =>
    apigw.send(
      new TestInvokeAuthorizerCommand({
        restApiId: api.id,
        authorizerId: authorizer.id,
        headers: token === undefined ? {} : { jwt_token: token },
      }),
    );

  const allowed = await test('allow');
  // "The HTTP status code that the client would have received. Value is 0 if the authorizer
  // succeeded."
  assert.equal(allowed.clientStatus, 0, REFERENCE);
  assert.equal(allowed.principalId, 'user|allow', REFERENCE);
  assert.equal(typeof allowed.policy, 'string', REFERENCE);
  assert.equal(typeof allowed.latency, 'number', REFERENCE);
  assert.match(allowed.log ?? '', /Successfully completed authorizer execution/, REFERENCE);

  // An authorizer that denies everything still succeeded: its policy is the answer.
  assert.equal((await test('deny')).clientStatus, 0, REFERENCE);
  // No token: the client would have got 401; the function throwing "Unauthorized" likewise.
  assert.equal((await test()).clientStatus, 401, REFERENCE);
  assert.equal((await test('unauthorized')).clientStatus, 401, REFERENCE);
});
