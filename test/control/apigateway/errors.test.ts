// Bad requests get AWS's error type and status, and never change the store.
// https://docs.aws.amazon.com/apigateway/latest/api/CommonErrors.html
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateStageCommand,
  GetMethodCommand,
  GetResourceCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  PutMethodCommand,
  UpdateMethodCommand,
  UpdateRestApiCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '../admin/sha256.js';
import { CREDENTIALS, dump, startAdmin, type Admin } from './harness.js';

let admin: Admin;
let apiId: string;
let rootId: string;
before(async () => {
  admin = await startAdmin();
  const api = await admin.client.send(new CreateRestApiCommand({ name: 'errors' }));
  apiId = api.id!;
  rootId = api.rootResourceId!;
  await admin.client.send(
    new PutMethodCommand({
      restApiId: apiId,
      resourceId: rootId,
      httpMethod: 'GET',
      authorizationType: 'NONE',
    }),
  );
});
after(() => admin.close());

/** Runs `fn`, expects AWS's error, and proves the store did not change. */
async function refused(
  fn: () => Promise<unknown>,
  expected: { name: string; status: number; message?: string | RegExp },
) {
  const before = await dump(admin.store, [apiId]);
  await assert.rejects(fn(), (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(error.name, expected.name);
    assert.equal(error.$metadata?.httpStatusCode, expected.status);
    if (typeof expected.message === 'string') assert.equal(error.message, expected.message);
    else if (expected.message) assert.match(error.message, expected.message);
    return true;
  });
  assert.equal(await dump(admin.store, [apiId]), before, 'the store is unchanged');
}

test('unknown ids: NotFoundException 404 with AWS messages', async () => {
  const { client } = admin;
  await refused(() => client.send(new GetRestApiCommand({ restApiId: 'nope000000' })), {
    name: 'NotFoundException',
    status: 404,
    message: 'Invalid API identifier specified 123456789012:nope000000',
  });
  await refused(
    () => client.send(new GetResourceCommand({ restApiId: apiId, resourceId: 'zzzzzz' })),
    {
      name: 'NotFoundException',
      status: 404,
      message: 'Invalid Resource identifier specified',
    },
  );
  await refused(
    () =>
      client.send(
        new GetMethodCommand({ restApiId: apiId, resourceId: rootId, httpMethod: 'POST' }),
      ),
    { name: 'NotFoundException', status: 404, message: 'Invalid Method identifier specified' },
  );
  await refused(
    () =>
      client.send(
        new CreateResourceCommand({ restApiId: apiId, parentId: 'zzzzzz', pathPart: 'x' }),
      ),
    { name: 'NotFoundException', status: 404, message: 'Invalid Resource identifier specified' },
  );
  await refused(
    () =>
      client.send(
        new CreateStageCommand({ restApiId: apiId, stageName: 's', deploymentId: 'zzzzzz' }),
      ),
    { name: 'NotFoundException', status: 404, message: 'Invalid Deployment identifier specified' },
  );
});

test('bad patch paths and ops, worded as AWS words them per entity', async () => {
  const { client } = admin;
  await refused(
    () =>
      client.send(
        new UpdateRestApiCommand({
          restApiId: apiId,
          patchOperations: [
            { op: 'replace', path: '/name', value: 'renamed' },
            { op: 'replace', path: '/nonsense', value: 'x' },
          ],
        }),
      ),
    {
      name: 'BadRequestException',
      status: 400,
      // test_apigateway_api.snapshot.json :: test_update_rest_api_behaviour
      message: 'Invalid patch path /nonsense',
    },
  );
  await refused(
    () =>
      client.send(
        new UpdateMethodCommand({
          restApiId: apiId,
          resourceId: rootId,
          httpMethod: 'GET',
          patchOperations: [{ op: 'add', path: '/authorizationType', value: 'CUSTOM' }],
        }),
      ),
    {
      name: 'BadRequestException',
      status: 400,
      // test_apigateway_api.snapshot.json :: test_update_method_validation (unsupported-operation)
      message: 'Invalid patch operation specified. Must be one of: [replace]',
    },
  );
  await refused(
    () =>
      client.send(
        new UpdateMethodCommand({
          restApiId: apiId,
          resourceId: rootId,
          httpMethod: 'GET',
          patchOperations: [{ op: 'replace', path: '/authorizationType', value: 'CUSTOM' }],
        }),
      ),
    {
      name: 'BadRequestException',
      status: 400,
      message:
        'Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.',
    },
  );
  await refused(
    () =>
      client.send(
        new UpdateRestApiCommand({
          restApiId: apiId,
          patchOperations: [{ op: 'jump' as 'add', path: '/name', value: 'x' }],
        }),
      ),
    {
      // test_apigateway_api.snapshot.json :: test_update_rest_api_concatenation_of_errors
      name: 'ValidationException',
      status: 400,
      message:
        "1 validation error detected: Value 'jump' at 'updateRestApiInput.patchOperations.1.member.op' failed to satisfy constraint: Member must satisfy enum value set: [add, remove, move, test, replace, copy]",
    },
  );
});

test('AWS refuses to deploy a method without an integration', async () => {
  await refused(
    () => admin.client.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'dev' })),
    { name: 'BadRequestException', status: 400, message: 'No integration defined for method' },
  );
});

test('conflicts and invalid input', async () => {
  const { client } = admin;
  await refused(
    () =>
      client.send(
        new PutMethodCommand({
          restApiId: apiId,
          resourceId: rootId,
          httpMethod: 'GET',
          authorizationType: 'NONE',
        }),
      ),
    { name: 'ConflictException', status: 409, message: 'Method already exists for this resource' },
  );
  await refused(
    () =>
      client.send(
        new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: 'a b' }),
      ),
    {
      name: 'BadRequestException',
      status: 400,
      message: /^Resource's path part only allow a-zA-Z0-9\._-/,
    },
  );
  await refused(() => client.send(new CreateRestApiCommand({ name: '' })), {
    name: 'ValidationException',
    status: 400,
    message:
      "1 validation error detected: Value '' at 'createRestApiInput.name' failed to satisfy constraint: Member must have length greater than or equal to 1",
  });
  await refused(
    () =>
      client.send(
        new UpdateStageCommand({ restApiId: apiId, stageName: 'missing', patchOperations: [] }),
      ),
    { name: 'NotFoundException', status: 404 },
  );
  // A Smithy range constraint: ValidationException, as AWS words every "N validation errors".
  await refused(() => client.send(new GetRestApisCommand({ limit: 501 })), {
    name: 'ValidationException',
    status: 400,
  });
});

/** A correctly signed request whose body the SDK would never send. */
async function rawSigned(method: string, path: string, body: string) {
  const url = new URL(admin.endpoint);
  const signer = new SignatureV4({
    credentials: CREDENTIALS,
    region: 'us-east-1',
    service: 'apigateway',
    sha256: Sha256,
  });
  const request = await signer.sign({
    method,
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path,
    query: {},
    headers: { host: url.host, 'content-type': 'application/json' },
    body,
  });
  return fetch(`${admin.endpoint}${path}`, { method, headers: request.headers, body });
}

test('malformed JSON: BadRequestException, nothing created', async () => {
  const before = await dump(admin.store, [apiId]);
  const response = await rawSigned('POST', '/restapis', '{"name": ');
  assert.equal(response.status, 400);
  assert.equal(response.headers.get('x-amzn-errortype'), 'BadRequestException');
  assert.deepEqual(await response.json(), {
    message: 'Could not parse request body into json: the body is not a JSON object',
  });
  assert.equal(await dump(admin.store, [apiId]), before);
});

test('a wrong secret: 403 InvalidSignatureException through the SDK', async () => {
  const client = new APIGatewayClient({
    endpoint: admin.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: CREDENTIALS.accessKeyId, secretAccessKey: 'wrong' },
    maxAttempts: 1,
  });
  await refused(() => client.send(new CreateRestApiCommand({ name: 'x' })), {
    name: 'InvalidSignatureException',
    status: 403,
    message: /^The request signature we calculated does not match the signature you provided/,
  });
  client.destroy();
});

test('an unknown access key: 403 UnrecognizedClientException through the SDK', async () => {
  const client = new APIGatewayClient({
    endpoint: admin.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  await refused(() => client.send(new CreateRestApiCommand({ name: 'x' })), {
    name: 'UnrecognizedClientException',
    status: 403,
    message: 'The security token included in the request is invalid.',
  });
  client.destroy();
});

test('clock skew over 15 minutes: 403 InvalidSignatureException "Signature expired"', async () => {
  const skewed = await startAdmin({ now: () => Date.now() + 20 * 60 * 1000 });
  try {
    await assert.rejects(skewed.client.send(new CreateRestApiCommand({ name: 'x' })), {
      name: 'InvalidSignatureException',
      message:
        /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/,
    });
    assert.deepEqual(await skewed.store.list('restapi', ''), []);
  } finally {
    await skewed.close();
  }
});
