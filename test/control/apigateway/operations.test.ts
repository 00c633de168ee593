// Every API Gateway operation through the real SDK, with exact fields.
// https://docs.aws.amazon.com/apigateway/latest/api/API_Operations.html
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CreateAuthorizerCommand,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateStageCommand,
  DeleteAuthorizerCommand,
  DeleteDeploymentCommand,
  DeleteIntegrationCommand,
  DeleteMethodCommand,
  DeleteResourceCommand,
  DeleteRestApiCommand,
  DeleteStageCommand,
  FlushStageAuthorizersCacheCommand,
  GetAuthorizerCommand,
  GetAuthorizersCommand,
  GetDeploymentCommand,
  GetDeploymentsCommand,
  GetGatewayResponseCommand,
  GetGatewayResponsesCommand,
  GetIntegrationCommand,
  GetMethodCommand,
  GetResourceCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  GetStageCommand,
  GetStagesCommand,
  PutGatewayResponseCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  UpdateAuthorizerCommand,
  UpdateIntegrationCommand,
  UpdateResourceCommand,
  UpdateRestApiCommand,
  UpdateStageCommand,
  type APIGatewayClient,
} from '@aws-sdk/client-api-gateway';
import { startAdmin, uriOf, type Admin } from './harness.js';

let admin: Admin;
let client: APIGatewayClient;
before(async () => {
  admin = await startAdmin();
  client = admin.client;
});
after(() => admin.close());

async function newApi(name = 'ops') {
  const api = await client.send(new CreateRestApiCommand({ name }));
  return { apiId: api.id!, rootId: api.rootResourceId! };
}

async function mockMethod(apiId: string, resourceId: string, httpMethod = 'GET') {
  await client.send(
    new PutMethodCommand({ restApiId: apiId, resourceId, httpMethod, authorizationType: 'NONE' }),
  );
  await client.send(
    new PutIntegrationCommand({
      restApiId: apiId,
      resourceId,
      httpMethod,
      type: 'MOCK',
      requestTemplates: { 'application/json': '{"statusCode": 200}' },
    }),
  );
}

test('CreateRestApi / GetRestApi / UpdateRestApi / GetRestApis / DeleteRestApi', async () => {
  const created = await client.send(
    new CreateRestApiCommand({
      name: 'pets',
      description: 'Pet store',
      binaryMediaTypes: ['image/png'],
      minimumCompressionSize: 1024,
      apiKeySource: 'AUTHORIZER',
      endpointConfiguration: { types: ['REGIONAL'] },
    }),
  );
  assert.equal(created.$metadata.httpStatusCode, 201);
  const got = await client.send(new GetRestApiCommand({ restApiId: created.id }));
  assert.deepEqual(
    { ...got, $metadata: undefined },
    {
      $metadata: undefined,
      id: created.id,
      name: 'pets',
      description: 'Pet store',
      createdDate: created.createdDate,
      binaryMediaTypes: ['image/png'],
      minimumCompressionSize: 1024,
      apiKeySource: 'AUTHORIZER',
      endpointConfiguration: { types: ['REGIONAL'], ipAddressType: 'ipv4' },
      disableExecuteApiEndpoint: false,
      rootResourceId: created.rootResourceId,
    },
  );
  const updated = await client.send(
    new UpdateRestApiCommand({
      restApiId: created.id,
      patchOperations: [
        { op: 'replace', path: '/name', value: 'pets2' },
        { op: 'replace', path: '/description', value: '' },
        { op: 'add', path: '/binaryMediaTypes/image~1jpeg' },
        { op: 'remove', path: '/binaryMediaTypes/image~1png' },
        { op: 'replace', path: '/minimumCompressionSize', value: '' },
        { op: 'replace', path: '/apiKeySource', value: 'HEADER' },
      ],
    }),
  );
  assert.equal(updated.name, 'pets2');
  assert.equal(updated.description, undefined);
  assert.deepEqual(updated.binaryMediaTypes, ['image/jpeg']);
  assert.equal(updated.minimumCompressionSize, undefined);
  assert.equal(updated.apiKeySource, 'HEADER');

  const list = await client.send(new GetRestApisCommand({}));
  assert.ok(list.items!.some((a) => a.id === created.id && a.name === 'pets2'));

  const deleted = await client.send(new DeleteRestApiCommand({ restApiId: created.id }));
  assert.equal(deleted.$metadata.httpStatusCode, 202);
  assert.equal(await admin.store.get('restapi', '', created.id!), undefined);
  assert.deepEqual(await admin.store.list('resource', created.id!), []);
});

test('resources: create, get with embed=methods, move/rename, delete the subtree', async () => {
  const { apiId, rootId } = await newApi();
  const pets = await client.send(
    new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: 'pets' }),
  );
  assert.equal(pets.$metadata.httpStatusCode, 201);
  const petId = await client.send(
    new CreateResourceCommand({ restApiId: apiId, parentId: pets.id, pathPart: '{petId}' }),
  );
  assert.equal(petId.path, '/pets/{petId}');
  await mockMethod(apiId, petId.id!);

  const plain = await client.send(
    new GetResourceCommand({ restApiId: apiId, resourceId: petId.id }),
  );
  assert.deepEqual(plain.resourceMethods, { GET: {} });
  const embedded = await client.send(
    new GetResourcesCommand({ restApiId: apiId, embed: ['methods'] }),
  );
  const withMethod = embedded.items!.find((r) => r.id === petId.id)!;
  assert.equal(withMethod.resourceMethods!.GET!.httpMethod, 'GET');
  assert.equal(withMethod.resourceMethods!.GET!.methodIntegration!.type, 'MOCK');

  const renamed = await client.send(
    new UpdateResourceCommand({
      restApiId: apiId,
      resourceId: pets.id,
      patchOperations: [{ op: 'replace', path: '/pathPart', value: 'animals' }],
    }),
  );
  assert.equal(renamed.path, '/animals');
  const child = await client.send(
    new GetResourceCommand({ restApiId: apiId, resourceId: petId.id }),
  );
  assert.equal(child.path, '/animals/{petId}', 'descendants follow');

  const deleted = await client.send(
    new DeleteResourceCommand({ restApiId: apiId, resourceId: pets.id }),
  );
  assert.equal(deleted.$metadata.httpStatusCode, 202);
  const left = await client.send(new GetResourcesCommand({ restApiId: apiId }));
  assert.deepEqual(left.items, [{ id: rootId, path: '/' }]);
});

test('methods, method responses, integrations and integration responses', async () => {
  const { apiId, rootId } = await newApi();
  const put = await client.send(
    new PutMethodCommand({
      restApiId: apiId,
      resourceId: rootId,
      httpMethod: 'POST',
      authorizationType: 'NONE',
      apiKeyRequired: true,
      operationName: 'CreateThing',
      requestParameters: { 'method.request.header.X-Id': true },
    }),
  );
  assert.equal(put.$metadata.httpStatusCode, 201);
  const response = await client.send(
    new PutMethodResponseCommand({
      restApiId: apiId,
      resourceId: rootId,
      httpMethod: 'POST',
      statusCode: '200',
      responseParameters: { 'method.response.header.X-Out': false },
    }),
  );
  assert.equal(response.$metadata.httpStatusCode, 201);
  assert.deepEqual(response.responseParameters, { 'method.response.header.X-Out': false });
  const integration = await client.send(
    new PutIntegrationCommand({
      restApiId: apiId,
      resourceId: rootId,
      httpMethod: 'POST',
      type: 'HTTP_PROXY',
      integrationHttpMethod: 'POST',
      uri: 'http://example.com/{proxy}',
      timeoutInMillis: 5000,
    }),
  );
  assert.equal(integration.connectionType, 'INTERNET');
  const ir = await client.send(
    new PutIntegrationResponseCommand({
      restApiId: apiId,
      resourceId: rootId,
      httpMethod: 'POST',
      statusCode: '200',
      selectionPattern: '2\\d{2}',
    }),
  );
  assert.equal(ir.$metadata.httpStatusCode, 201);
  const patched = await client.send(
    new UpdateIntegrationCommand({
      restApiId: apiId,
      resourceId: rootId,
      httpMethod: 'POST',
      patchOperations: [
        { op: 'replace', path: '/timeoutInMillis', value: '6000' },
        {
          op: 'add',
          path: '/requestParameters/integration.request.header.X-Id',
          value: 'method.request.header.X-Id',
        },
      ],
    }),
  );
  assert.equal(patched.timeoutInMillis, 6000);
  assert.deepEqual(patched.requestParameters, {
    'integration.request.header.X-Id': 'method.request.header.X-Id',
  });
  const method = await client.send(
    new GetMethodCommand({ restApiId: apiId, resourceId: rootId, httpMethod: 'POST' }),
  );
  assert.deepEqual(
    { ...method, $metadata: undefined },
    {
      $metadata: undefined,
      httpMethod: 'POST',
      authorizationType: 'NONE',
      apiKeyRequired: true,
      operationName: 'CreateThing',
      requestParameters: { 'method.request.header.X-Id': true },
      methodResponses: {
        '200': { statusCode: '200', responseParameters: { 'method.response.header.X-Out': false } },
      },
      methodIntegration: {
        type: 'HTTP_PROXY',
        httpMethod: 'POST',
        uri: 'http://example.com/{proxy}',
        connectionType: 'INTERNET',
        requestParameters: { 'integration.request.header.X-Id': 'method.request.header.X-Id' },
        passthroughBehavior: 'WHEN_NO_MATCH',
        timeoutInMillis: 6000,
        cacheNamespace: rootId,
        cacheKeyParameters: [],
        integrationResponses: { '200': { statusCode: '200', selectionPattern: '2\\d{2}' } },
      },
    },
  );
  const delI = await client.send(
    new DeleteIntegrationCommand({ restApiId: apiId, resourceId: rootId, httpMethod: 'POST' }),
  );
  assert.equal(delI.$metadata.httpStatusCode, 204);
  await assert.rejects(
    client.send(
      new GetIntegrationCommand({ restApiId: apiId, resourceId: rootId, httpMethod: 'POST' }),
    ),
    { name: 'NotFoundException', message: 'Invalid Integration identifier specified' },
  );
  const delM = await client.send(
    new DeleteMethodCommand({ restApiId: apiId, resourceId: rootId, httpMethod: 'POST' }),
  );
  assert.equal(delM.$metadata.httpStatusCode, 204);
});

test('authorizers: create, list, get, update, delete (refused while a method uses it)', async () => {
  const { apiId, rootId } = await newApi();
  const a = await client.send(
    new CreateAuthorizerCommand({
      restApiId: apiId,
      name: 'req',
      type: 'REQUEST',
      authorizerUri: uriOf('token-auth'),
      identitySource: 'method.request.header.Auth, method.request.querystring.q',
      authorizerResultTtlInSeconds: 60,
    }),
  );
  assert.equal(a.$metadata.httpStatusCode, 201);
  const list = await client.send(new GetAuthorizersCommand({ restApiId: apiId }));
  assert.deepEqual(
    list.items!.map((x) => x.id),
    [a.id],
  );
  const updated = await client.send(
    new UpdateAuthorizerCommand({
      restApiId: apiId,
      authorizerId: a.id,
      patchOperations: [
        { op: 'replace', path: '/authorizerResultTtlInSeconds', value: '0' },
        { op: 'replace', path: '/name', value: 'req2' },
      ],
    }),
  );
  assert.equal(updated.authorizerResultTtlInSeconds, 0);
  assert.equal(updated.name, 'req2');
  const got = await client.send(new GetAuthorizerCommand({ restApiId: apiId, authorizerId: a.id }));
  assert.deepEqual(
    { ...got, $metadata: undefined },
    {
      $metadata: undefined,
      id: a.id,
      name: 'req2',
      type: 'REQUEST',
      authType: 'custom',
      authorizerUri: uriOf('token-auth'),
      identitySource: 'method.request.header.Auth, method.request.querystring.q',
      authorizerResultTtlInSeconds: 0,
    },
  );
  await client.send(
    new PutMethodCommand({
      restApiId: apiId,
      resourceId: rootId,
      httpMethod: 'GET',
      authorizationType: 'CUSTOM',
      authorizerId: a.id,
    }),
  );
  await assert.rejects(
    client.send(new DeleteAuthorizerCommand({ restApiId: apiId, authorizerId: a.id })),
    {
      name: 'BadRequestException',
      message: "Cannot delete authorizer 'req2', is referenced in method: GET:/",
    },
  );
  await client.send(
    new DeleteMethodCommand({ restApiId: apiId, resourceId: rootId, httpMethod: 'GET' }),
  );
  const deleted = await client.send(
    new DeleteAuthorizerCommand({ restApiId: apiId, authorizerId: a.id }),
  );
  assert.equal(deleted.$metadata.httpStatusCode, 202);
});

test('deployments and stages: snapshot, stage variables by patch, flush, delete rules', async () => {
  const { apiId, rootId } = await newApi();
  await mockMethod(apiId, rootId);
  const d1 = await client.send(
    new CreateDeploymentCommand({ restApiId: apiId, description: 'first' }),
  );
  assert.equal(d1.$metadata.httpStatusCode, 201);
  const stage = await client.send(
    new CreateStageCommand({
      restApiId: apiId,
      stageName: 'prod',
      deploymentId: d1.id,
      variables: { fn: 'echo' },
      description: 'production',
    }),
  );
  assert.equal(stage.$metadata.httpStatusCode, 201);
  assert.deepEqual(
    {
      stageName: stage.stageName,
      deploymentId: stage.deploymentId,
      variables: stage.variables,
      description: stage.description,
      cacheClusterEnabled: stage.cacheClusterEnabled,
      tracingEnabled: stage.tracingEnabled,
    },
    {
      stageName: 'prod',
      deploymentId: d1.id,
      variables: { fn: 'echo' },
      description: 'production',
      cacheClusterEnabled: false,
      tracingEnabled: false,
    },
  );
  assert.ok(stage.createdDate instanceof Date && stage.lastUpdatedDate instanceof Date);
  assert.deepEqual(admin.events.at(-1), { kind: 'stage', scope: apiId, id: 'prod' });

  const d2 = await client.send(new CreateDeploymentCommand({ restApiId: apiId }));
  const updated = await client.send(
    new UpdateStageCommand({
      restApiId: apiId,
      stageName: 'prod',
      patchOperations: [
        { op: 'replace', path: '/deploymentId', value: d2.id },
        { op: 'replace', path: '/variables/fn', value: 'other' },
        { op: 'add', path: '/variables/color', value: 'blue' },
        { op: 'copy', from: '/variables/color', path: '/variables/shade' },
        { op: 'remove', path: '/variables/fn' },
      ],
    }),
  );
  assert.equal(updated.deploymentId, d2.id);
  assert.deepEqual(updated.variables, { color: 'blue', shade: 'blue' });

  const stages = await client.send(new GetStagesCommand({ restApiId: apiId, deploymentId: d2.id }));
  assert.deepEqual(
    stages.item!.map((s) => s.stageName),
    ['prod'],
  );
  const none = await client.send(new GetStagesCommand({ restApiId: apiId, deploymentId: d1.id }));
  assert.deepEqual(none.item, []);

  const deployments = await client.send(new GetDeploymentsCommand({ restApiId: apiId }));
  assert.deepEqual(
    deployments.items!.map((d) => d.id),
    [d1.id, d2.id],
  );
  const summary = await client.send(
    new GetDeploymentCommand({ restApiId: apiId, deploymentId: d1.id, embed: ['apisummary'] }),
  );
  assert.equal(summary.description, 'first');
  assert.deepEqual(summary.apiSummary, {
    '/': { GET: { authorizationType: 'NONE', apiKeyRequired: false } },
  });

  await assert.rejects(
    client.send(new DeleteDeploymentCommand({ restApiId: apiId, deploymentId: d2.id })),
    {
      name: 'BadRequestException',
      message: 'Active stages pointing to this deployment must be moved or deleted',
    },
  );
  const delD = await client.send(
    new DeleteDeploymentCommand({ restApiId: apiId, deploymentId: d1.id }),
  );
  assert.equal(delD.$metadata.httpStatusCode, 202);

  const flushed = await client.send(
    new FlushStageAuthorizersCacheCommand({ restApiId: apiId, stageName: 'prod' }),
  );
  assert.equal(flushed.$metadata.httpStatusCode, 202);
  assert.deepEqual(admin.flushed.at(-1), `${apiId}/prod`);
  assert.deepEqual(admin.events.at(-1), { kind: 'authorizercache', scope: apiId, id: 'prod' });

  const delS = await client.send(new DeleteStageCommand({ restApiId: apiId, stageName: 'prod' }));
  assert.equal(delS.$metadata.httpStatusCode, 202);
  await assert.rejects(client.send(new GetStageCommand({ restApiId: apiId, stageName: 'prod' })), {
    name: 'NotFoundException',
    message: 'Invalid Stage identifier specified',
  });
});

test('gateway responses: all types listed, defaults marked, overrides put and read back', async () => {
  const { apiId } = await newApi();
  const put = await client.send(
    new PutGatewayResponseCommand({
      restApiId: apiId,
      responseType: 'UNAUTHORIZED',
      statusCode: '401',
      responseParameters: { 'gatewayresponse.header.WWW-Authenticate': "'Bearer'" },
      responseTemplates: { 'application/json': '{"error":"nope"}' },
    }),
  );
  assert.equal(put.$metadata.httpStatusCode, 201);
  const all = await client.send(new GetGatewayResponsesCommand({ restApiId: apiId, limit: 500 }));
  assert.equal(all.items!.length, 21);
  const unauthorized = all.items!.find((r) => r.responseType === 'UNAUTHORIZED');
  assert.deepEqual(unauthorized, {
    responseType: 'UNAUTHORIZED',
    statusCode: '401',
    responseParameters: { 'gatewayresponse.header.WWW-Authenticate': "'Bearer'" },
    responseTemplates: { 'application/json': '{"error":"nope"}' },
    defaultResponse: false,
  });
  const missing = await client.send(
    new GetGatewayResponseCommand({
      restApiId: apiId,
      responseType: 'MISSING_AUTHENTICATION_TOKEN',
    }),
  );
  assert.deepEqual(
    { ...missing, $metadata: undefined },
    {
      $metadata: undefined,
      responseType: 'MISSING_AUTHENTICATION_TOKEN',
      statusCode: '403',
      responseParameters: {},
      responseTemplates: { 'application/json': '{"message":$context.error.messageString}' },
      defaultResponse: true,
    },
  );
});

test('pagination: limit and position walk every item once', async () => {
  const { apiId, rootId } = await newApi();
  for (const part of ['a', 'b', 'c', 'd', 'e'])
    await client.send(
      new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: part }),
    );
  const seen: string[] = [];
  let position: string | undefined;
  let pages = 0;
  do {
    const page = await client.send(
      new GetResourcesCommand({ restApiId: apiId, limit: 2, position }),
    );
    assert.ok(page.items!.length <= 2);
    seen.push(...page.items!.map((r) => r.path!));
    position = page.position;
    pages++;
  } while (position);
  assert.equal(pages, 3);
  assert.deepEqual(seen, ['/', '/a', '/b', '/c', '/d', '/e']);
});
