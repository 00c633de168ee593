// TestInvokeAuthorizer for a COGNITO_USER_POOLS authorizer: the token in `headers` is checked as
// the data plane checks it, and the answer carries `clientStatus`, `claims`, `latency` and `log`
// as the API reference defines them ("claims: The open identity claims, with any supported custom
// attributes, returned from the Cognito Your User Pool configured for the API."). Through
// @aws-sdk/client-api-gateway and a real `sallyport serve`, against the external-auth example's
// issuer (x-sallyport-jwt).
// https://docs.aws.amazon.com/apigateway/latest/api/API_TestInvokeAuthorizer.html
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import {
  GetAuthorizersCommand,
  TestInvokeAuthorizerCommand,
  type TestInvokeAuthorizerCommandOutput,
} from '@aws-sdk/client-api-gateway';
import { startAuthServer, type AuthServer } from '../../examples/external-auth/auth-server.mjs';
import { serve, tempProject, type Served } from '../e2e/harness.js';
import { ADMIN_ENV, sdkClients } from './sdk-client.js';

const REFERENCE = 'https://docs.aws.amazon.com/apigateway/latest/api/API_TestInvokeAuthorizer.html';
const API = 'cognitot01';

let auth: AuthServer;
let s: Served;
let test: (headers: Record<string, string>) => Promise<TestInvokeAuthorizerCommandOutput>;

before(async () => {
  auth = await startAuthServer();
  const dir = tempProject(`
apis:
  - name: cognito-test
    id: ${API}
    openapi: ./openapi.yaml
    stages:
      dev: {}
`);
  writeFileSync(
    join(dir, 'openapi.yaml'),
    `openapi: 3.0.1
info: { title: cognito-test, version: '1' }
paths:
  /profile:
    get:
      security: [{ pool: [] }]
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: { application/json: '{"statusCode": 200}' }
        responses: { default: { statusCode: '200' } }
components:
  securitySchemes:
    pool:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authtype: cognito_user_pools
      x-amazon-apigateway-authorizer:
        type: cognito_user_pools
        providerARNs: [arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example]
      x-sallyport-jwt:
        issuer: ${auth.issuer}
        audience: [demo-client]
        algorithms: [RS256, ES256]
`,
  );
  s = await serve(['--config', dir], ADMIN_ENV);
  const { apigw } = sdkClients(s);
  const { items } = await apigw.send(new GetAuthorizersCommand({ restApiId: API }));
  const authorizerId = items?.[0]?.id;
  test = (headers) =>
    apigw.send(new TestInvokeAuthorizerCommand({ restApiId: API, authorizerId, headers }));
});

after(async () => {
  await s?.stop();
  await auth?.close();
});

const now = () => Math.floor(Date.now() / 1000);

it('a valid token: clientStatus 0 and its claims, every value a string', async () => {
  const token = await auth.sign({
    sub: 'u-1',
    aud: 'demo-client',
    token_use: 'id',
    email: 'u1@example.com',
    exp: now() + 600,
  });
  const answer = await test({ Authorization: token });
  // "Value is 0 if the authorizer succeeded."
  assert.equal(answer.clientStatus, 0, REFERENCE);
  assert.equal(answer.claims?.sub, 'u-1', REFERENCE);
  assert.equal(answer.claims?.email, 'u1@example.com', REFERENCE);
  assert.equal(answer.claims?.aud, 'demo-client', REFERENCE);
  for (const value of Object.values(answer.claims ?? {})) assert.equal(typeof value, 'string');
  assert.equal(typeof answer.latency, 'number', REFERENCE);
  assert.match(answer.log ?? '', /^Execution log for request [0-9a-f-]{36}\n/, REFERENCE);
  // A Lambda authorizer's fields are not a Cognito authorizer's.
  assert.equal(answer.policy, undefined);
  assert.equal(answer.authorization, undefined);
});

it('a refused token: the status the client would get, no claims', async () => {
  const expired = await auth.sign({
    sub: 'u-1',
    aud: 'demo-client',
    token_use: 'id',
    exp: now() - 60,
    iat: now() - 3600,
  });
  for (const [headers, message] of [
    [{}, 'Unauthorized'],
    [{ Authorization: 'not-a-jwt' }, 'Unauthorized'],
    [{ Authorization: expired }, 'The incoming token has expired'],
  ] as const) {
    const answer = await test(headers);
    assert.equal(answer.clientStatus, 401, `${JSON.stringify(headers)} ${REFERENCE}`);
    assert.equal(answer.claims, undefined);
    assert.ok((answer.log ?? '').trimEnd().endsWith(` : ${message}`), answer.log);
  }
});
