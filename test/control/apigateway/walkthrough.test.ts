// The walkthrough's control-plane half (docs/walkthrough.md), through the real AWS SDK over SigV4: create an
// API, a resource and a method with a Lambda proxy integration, an authorizer, attach it, deploy,
// and the console's Test buttons.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CreateAuthorizerCommand,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  GetMethodCommand,
  GetResourcesCommand,
  GetStageCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  TestInvokeAuthorizerCommand,
  TestInvokeMethodCommand,
  UpdateMethodCommand,
} from '@aws-sdk/client-api-gateway';
import type { Deployment, Stage } from '../../../src/model/types.js';
import { startAdmin, uriOf, type Admin } from './harness.js';

let admin: Admin;
before(async () => {
  admin = await startAdmin({ functions: true });
});
after(() => admin.close());

test('walkthrough: create, integrate, authorize, deploy, test-invoke', async () => {
  const { client } = admin;
  const api = await client.send(new CreateRestApiCommand({ name: 'sayhello-api' }));
  assert.match(api.id!, /^[a-z0-9]{10}$/);
  assert.equal(api.name, 'sayhello-api');
  assert.ok(api.createdDate instanceof Date);
  assert.match(api.rootResourceId!, /^[a-z0-9]{10}$/);
  assert.equal(api.apiKeySource, 'HEADER');
  assert.deepEqual(api.endpointConfiguration, { types: ['EDGE'], ipAddressType: 'ipv4' });

  const resources = await client.send(new GetResourcesCommand({ restApiId: api.id }));
  assert.deepEqual(resources.items, [{ id: api.rootResourceId, path: '/' }]);

  const hello = await client.send(
    new CreateResourceCommand({
      restApiId: api.id,
      parentId: api.rootResourceId,
      pathPart: 'sayhello',
    }),
  );
  assert.match(hello.id!, /^[a-z0-9]{6}$/);
  assert.deepEqual(
    { parentId: hello.parentId, pathPart: hello.pathPart, path: hello.path },
    { parentId: api.rootResourceId, pathPart: 'sayhello', path: '/sayhello' },
  );

  const method = await client.send(
    new PutMethodCommand({
      restApiId: api.id,
      resourceId: hello.id,
      httpMethod: 'GET',
      authorizationType: 'NONE',
    }),
  );
  assert.deepEqual(
    {
      httpMethod: method.httpMethod,
      authorizationType: method.authorizationType,
      apiKeyRequired: method.apiKeyRequired,
    },
    { httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired: false },
  );

  const integration = await client.send(
    new PutIntegrationCommand({
      restApiId: api.id,
      resourceId: hello.id,
      httpMethod: 'GET',
      type: 'AWS_PROXY',
      integrationHttpMethod: 'POST',
      uri: uriOf('echo'),
    }),
  );
  assert.equal(integration.type, 'AWS_PROXY');
  assert.equal(integration.httpMethod, 'POST');
  assert.equal(integration.uri, uriOf('echo'));
  assert.equal(integration.timeoutInMillis, 29000);
  assert.equal(integration.passthroughBehavior, 'WHEN_NO_MATCH');
  assert.equal(integration.cacheNamespace, hello.id);
  assert.deepEqual(integration.cacheKeyParameters, []);

  const first = await client.send(
    new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }),
  );
  assert.match(first.id!, /^[a-z0-9]{6}$/);
  assert.ok(first.createdDate instanceof Date);
  const stage = await client.send(new GetStageCommand({ restApiId: api.id, stageName: 'dev' }));
  assert.equal(stage.deploymentId, first.id);
  assert.deepEqual(admin.events.at(-1), { kind: 'stage', scope: api.id, id: 'dev' });

  const authorizer = await client.send(
    new CreateAuthorizerCommand({
      restApiId: api.id,
      name: 'jwt',
      type: 'TOKEN',
      authorizerUri: uriOf('token-auth'),
      identitySource: 'method.request.header.jwt_token',
      authorizerResultTtlInSeconds: 0,
    }),
  );
  assert.match(authorizer.id!, /^[a-z0-9]{6}$/);
  assert.deepEqual(
    {
      name: authorizer.name,
      type: authorizer.type,
      authType: authorizer.authType,
      identitySource: authorizer.identitySource,
      ttl: authorizer.authorizerResultTtlInSeconds,
    },
    {
      name: 'jwt',
      type: 'TOKEN',
      authType: 'custom',
      identitySource: 'method.request.header.jwt_token',
      ttl: 0,
    },
  );

  const updated = await client.send(
    new UpdateMethodCommand({
      restApiId: api.id,
      resourceId: hello.id,
      httpMethod: 'GET',
      patchOperations: [
        { op: 'replace', path: '/authorizationType', value: 'CUSTOM' },
        { op: 'replace', path: '/authorizerId', value: authorizer.id },
      ],
    }),
  );
  assert.equal(updated.authorizationType, 'CUSTOM');
  assert.equal(updated.authorizerId, authorizer.id);

  // Not deployed yet: the stage still serves the first deployment's snapshot.
  const deployed = await admin.store.get<Deployment>('deployment', api.id!, first.id!);
  const servedMethod = deployed!.snapshot.resources.find((r) => r.path === '/sayhello')!
    .resourceMethods.GET!;
  assert.equal(servedMethod.authorizationType, 'NONE');

  const second = await client.send(
    new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev', description: 'auth' }),
  );
  assert.equal(second.description, 'auth');
  const stored = await admin.store.get<Stage>('stage', api.id!, 'dev');
  assert.equal(stored!.deploymentId, second.id);

  const got = await client.send(
    new GetMethodCommand({ restApiId: api.id, resourceId: hello.id, httpMethod: 'GET' }),
  );
  assert.equal(got.methodIntegration?.uri, uriOf('echo'));

  // TestInvokeMethod runs the working copy and skips the authorizer, as the console's Test.
  const tested = await client.send(
    new TestInvokeMethodCommand({
      restApiId: api.id,
      resourceId: hello.id,
      httpMethod: 'GET',
      pathWithQueryString: '/sayhello?name=ada',
      headers: { 'X-Test': 'yes' },
    }),
  );
  assert.equal(tested.status, 200);
  assert.equal(tested.headers?.['X-Echo'], 'yes');
  assert.deepEqual(tested.multiValueHeaders?.['Set-Cookie'], ['a=1', 'b=2']);
  const echoed = JSON.parse(tested.body!) as {
    event: {
      path: string;
      queryStringParameters: Record<string, string>;
      headers: Record<string, string>;
      requestContext: { stage: string; resourceId: string };
    };
  };
  assert.equal(echoed.event.path, '/sayhello');
  assert.deepEqual(echoed.event.queryStringParameters, { name: 'ada' });
  assert.equal(echoed.event.headers['X-Test'], 'yes');
  assert.equal(echoed.event.requestContext.stage, 'test-invoke-stage');
  assert.equal(echoed.event.requestContext.resourceId, hello.id);
  assert.match(tested.log!, /^Execution log for request [0-9a-f-]{36}\n/);
  assert.match(tested.log!, /: Method completed with status: 200\n/);
  assert.equal(typeof tested.latency, 'number');

  const allow = await client.send(
    new TestInvokeAuthorizerCommand({
      restApiId: api.id,
      authorizerId: authorizer.id,
      headers: { jwt_token: 'allow' },
    }),
  );
  // 0 when the authorizer succeeded: https://docs.aws.amazon.com/apigateway/latest/api/API_TestInvokeAuthorizer.html
  assert.equal(allow.clientStatus, 0);
  assert.equal(allow.principalId, 'user-allow');
  const policy = JSON.parse(allow.policy!) as { Statement: { Effect: string; Resource: string }[] };
  assert.deepEqual(policy.Statement[0], {
    Action: 'execute-api:Invoke',
    Effect: 'Allow',
    Resource: `arn:aws:execute-api:us-east-1:123456789012:${api.id}/ESTestInvoke-stage/*/*`,
  });
  // A token shorter than 12 characters is all stars (observability/execution-log-format.ts).
  assert.match(allow.log!, /: Incoming identity: \*{5}\n/);
  assert.doesNotMatch(allow.log!, /"authorizationToken":"allow"/, 'the token is masked');
  assert.match(
    allow.log!,
    /: Endpoint request URI: https:\/\/lambda\.us-east-1\.amazonaws\.com\/2015-03-31\/functions\/arn:aws:lambda:us-east-1:123456789012:function:token-auth\/invocations\n/,
  );

  const deny = await client.send(
    new TestInvokeAuthorizerCommand({
      restApiId: api.id,
      authorizerId: authorizer.id,
      headers: { jwt_token: 'deny' },
    }),
  );
  assert.equal(deny.clientStatus, 0, 'the authorizer succeeded; its policy is not evaluated here');
  assert.equal(deny.principalId, 'user-deny');

  const missing = await client.send(
    new TestInvokeAuthorizerCommand({ restApiId: api.id, authorizerId: authorizer.id }),
  );
  assert.equal(missing.clientStatus, 401);

  const unauthorized = await client.send(
    new TestInvokeAuthorizerCommand({
      restApiId: api.id,
      authorizerId: authorizer.id,
      headers: { jwt_token: 'unauthorized' },
    }),
  );
  assert.equal(unauthorized.clientStatus, 401);

  const boom = await client.send(
    new TestInvokeAuthorizerCommand({
      restApiId: api.id,
      authorizerId: authorizer.id,
      headers: { jwt_token: 'boom' },
    }),
  );
  assert.equal(boom.clientStatus, 500);
});
