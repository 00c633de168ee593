// Create/Get/Update answers and refusals of the API Gateway control API, compared with answers
// recorded against AWS: LocalStack's tests/aws/services/apigateway/test_apigateway_api.snapshot.json
// (each case names its test and key there), and the API reference for shapes it does not record.
// Through @aws-sdk/client-api-gateway and a real `sallyport serve`.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import * as A from '@aws-sdk/client-api-gateway';
import { serve, type Served } from '../e2e/harness.js';
import { assertJsonLike } from '../support/recorded-answer.js';
import { ADMIN_ENV, sdkClients } from './sdk-client.js';

const SNAPSHOT = 'localstack tests/aws/services/apigateway/test_apigateway_api.snapshot.json';
const ID10 = /^[a-z0-9]{10}$/;
const ID6 = /^[a-z0-9]{6}$/;

let s: Served;
let apigw: A.APIGatewayClient;
before(async () => {
  s = await serve([], ADMIN_ENV);
  apigw = sdkClients(s).apigw;
});
after(() => s.stop());

/** An SDK output as the snapshot records it: no $metadata, dates as "datetime". */
function recorded(output: object): unknown {
  return JSON.parse(
    JSON.stringify(output, (key, value: unknown) =>
      key === '$metadata'
        ? undefined
        : typeof value === 'string' && key.endsWith('Date')
          ? 'datetime'
          : value,
    ),
  );
}

function assertAnswer(output: object, expected: unknown, source: string) {
  assertJsonLike(recorded(output), expected, '$', `(AWS: ${SNAPSHOT} :: ${source})`);
}

/** The error AWS answered: its type, HTTP status and message, exactly. */
async function assertRefusal(
  send: () => Promise<unknown>,
  expected: { type: string; message: string },
  source: string,
) {
  await assert.rejects(send, (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
    const where = `(AWS: ${SNAPSHOT} :: ${source})`;
    assert.equal(e.name, expected.type, where);
    assert.equal(e.message, expected.message, where);
    const status = { NotFoundException: 404, ConflictException: 409 }[e.name] ?? 400;
    assert.equal(e.$metadata?.httpStatusCode, status, where);
    return true;
  });
}

const restApi = (extra: object = {}) => ({
  apiKeySource: 'HEADER',
  createdDate: 'datetime',
  disableExecuteApiEndpoint: false,
  endpointConfiguration: { ipAddressType: 'ipv4', types: ['EDGE'] },
  id: ID10,
  name: /./,
  rootResourceId: ID10,
  ...extra,
});

it('RestApi: the defaults, tags, and the endpoint types', async () => {
  const created = await apigw.send(new A.CreateRestApiCommand({ name: 'only-name' }));
  assertAnswer(created, restApi(), 'test_create_rest_api_with_optional_params create-only-name');
  const tagged = await apigw.send(
    new A.CreateRestApiCommand({ name: 'tagged', tags: { MY_TAG1: 'MY_VALUE1' } }),
  );
  const withTags = restApi({ tags: { MY_TAG1: 'MY_VALUE1' } });
  assertAnswer(tagged, withTags, 'test_create_rest_api_with_tags create-rest-api-w-tags');
  assertAnswer(
    await apigw.send(new A.GetRestApiCommand({ restApiId: tagged.id })),
    withTags,
    'test_create_rest_api_with_tags get-rest-api-w-tags',
  );
  // An update's answer carries `tags: {}` even when there are none.
  const updated = await apigw.send(
    new A.UpdateRestApiCommand({
      restApiId: created.id,
      patchOperations: [{ op: 'replace', path: '/minimumCompressionSize', value: '10' }],
    }),
  );
  assertAnswer(
    updated,
    restApi({ minimumCompressionSize: 10, tags: {} }),
    'test_update_rest_api_compression enable-compression',
  );
  for (const [type, ipAddressType] of [
    ['REGIONAL', 'ipv4'],
    ['PRIVATE', 'dualstack'],
  ] as const) {
    const api = await apigw.send(
      new A.CreateRestApiCommand({ name: type, endpointConfiguration: { types: [type] } }),
    );
    assertAnswer(
      api,
      restApi({ endpointConfiguration: { ipAddressType, types: [type] } }),
      `test_create_rest_api_verify_defaults create-with-${type.toLowerCase()}-default`,
    );
  }
});

it('RestApi: refusals', async () => {
  const create = (input: Partial<A.CreateRestApiCommandInput>) => () =>
    apigw.send(new A.CreateRestApiCommand({ name: 'refused', ...input }));
  await assertRefusal(
    create({ description: '' }),
    { type: 'BadRequestException', message: 'Description cannot be an empty string' },
    'test_create_rest_api_with_optional_params create-empty-desc',
  );
  await assertRefusal(
    create({ endpointConfiguration: { types: [] } }),
    {
      type: 'BadRequestException',
      message: 'REGIONAL Configuration and EDGE Configuration cannot be both DISABLED.',
    },
    'test_create_rest_api_with_endpoint_configuration create-with-empty-types',
  );
  await assertRefusal(
    create({ endpointConfiguration: { types: ['EDGE', 'REGIONAL'] } }),
    { type: 'BadRequestException', message: 'Cannot create an api with multiple Endpoint Types.' },
    'test_create_rest_api_with_endpoint_configuration create-with-two-types',
  );
  await assertRefusal(
    create({
      endpointConfiguration: { types: ['wrong' as 'EDGE'], ipAddressType: 'wrong' as 'ipv4' },
    }),
    {
      type: 'ValidationException',
      message:
        "2 validation errors detected: Value '[wrong]' at 'createRestApiInput.endpointConfiguration.types' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [PRIVATE, EDGE, REGIONAL]]; Value 'wrong' at 'createRestApiInput.endpointConfiguration.ipAddressType' failed to satisfy constraint: Member must satisfy enum value set: [ipv4, dualstack]",
    },
    'test_create_rest_api_with_endpoint_configuration create-with-invalid-types-and-ip-address-type',
  );
  await assertRefusal(
    create({ endpointConfiguration: { types: ['PRIVATE'], ipAddressType: 'ipv4' } }),
    {
      type: 'BadRequestException',
      message: 'Only dualstack ipAddressType is supported for Private APIs.',
    },
    'test_create_rest_api_private_type create-with-private-type-and-ipv4-ip-address-type',
  );
  const api = await apigw.send(new A.CreateRestApiCommand({ name: 'patched' }));
  const update = (ops: A.PatchOperation[]) => () =>
    apigw.send(new A.UpdateRestApiCommand({ restApiId: api.id, patchOperations: ops }));
  await assertRefusal(
    update([{ op: 'replace', path: '/minimumCompressionSize', value: '-1' }]),
    {
      type: 'BadRequestException',
      message: 'Invalid minimum compression size, must be between 0 and 10485760',
    },
    'test_update_rest_api_compression set-negative-compression',
  );
  await assertRefusal(
    update([{ op: 'add', path: '/binaryMediaTypes', value: 'image/png' }]),
    { type: 'BadRequestException', message: 'Invalid patch path /binaryMediaTypes' },
    'test_update_rest_api_behaviour update-rest-api-add-base-path',
  );
  await assertRefusal(
    update([{ op: 'add', path: '/minimumCompressionSize', value: '10' }]),
    {
      type: 'BadRequestException',
      message: 'Invalid patch operation specified. Must be one of: [replace]',
    },
    'test_update_rest_api_compression unsupported-operation',
  );
  await assertRefusal(
    update([{ op: 'replace', path: '/endpointConfiguration/types/0', value: 'wrong' }]),
    {
      type: 'BadRequestException',
      message: 'Invalid EndpointTypes specified. Valid options are REGIONAL,EDGE,PRIVATE',
    },
    'test_update_rest_api_ip_address_type update-rest-api-wrong-type',
  );
  await assertRefusal(
    update([{ op: 'replace', path: '/endpointConfiguration/ipAddressType', value: 'wrong' }]),
    { type: 'BadRequestException', message: 'ipAddressType must be either ipv4 or dualstack.' },
    'test_update_rest_api_ip_address_type update-rest-api-wrong-ipAddressType',
  );
  const wrongOp = (op: string): A.PatchOperation => ({
    op: op as 'add',
    path: '/endpointConfiguration/ipAddressType',
    value: 'ipv4',
  });
  await assertRefusal(
    update([wrongOp('wrong'), wrongOp('wrong')]),
    {
      type: 'ValidationException',
      message:
        "2 validation errors detected: Value 'wrong' at 'updateRestApiInput.patchOperations.1.member.op' failed to satisfy constraint: Member must satisfy enum value set: [add, remove, move, test, replace, copy]; Value 'wrong' at 'updateRestApiInput.patchOperations.2.member.op' failed to satisfy constraint: Member must satisfy enum value set: [add, remove, move, test, replace, copy]",
    },
    'test_update_rest_api_concatenation_of_errors update-rest-api-wrong-operations-on-ipAddressType',
  );
});

it('Resource, Model, RequestValidator and Method: patch refusals as each words them', async () => {
  const api = await apigw.send(new A.CreateRestApiCommand({ name: 'patches' }));
  const restApiId = api.id;
  const pets = await apigw.send(
    new A.CreateResourceCommand({ restApiId, parentId: api.rootResourceId, pathPart: 'pets' }),
  );
  assertAnswer(
    pets,
    { id: ID6, parentId: api.rootResourceId, path: '/pets', pathPart: 'pets' },
    'test_resource_lifecycle create-resource',
  );
  const resource = (op: A.PatchOperation) => () =>
    apigw.send(
      new A.UpdateResourceCommand({ restApiId, resourceId: pets.id, patchOperations: [op] }),
    );
  await assertRefusal(
    resource({ op: 'replace', path: '/invalid', value: 'x' }),
    {
      type: 'BadRequestException',
      message:
        "Invalid patch path  '/invalid' specified for op 'replace'. Must be one of: [/parentId, /pathPart]",
    },
    'test_update_resource_behaviour invalid-path-part',
  );
  await assertRefusal(
    resource({ op: 'remove', path: '/pathPart' }),
    {
      type: 'BadRequestException',
      message:
        "Invalid patch path  '/pathPart' specified for op 'remove'. Please choose supported operations",
    },
    'test_update_resource_behaviour remove-unsupported',
  );

  await apigw.send(
    new A.CreateModelCommand({
      restApiId,
      name: 'mySchema',
      contentType: 'application/json',
      schema: '{"title": "mySchema", "type": "object"}',
    }),
  );
  await assertRefusal(
    () =>
      apigw.send(
        new A.UpdateModelCommand({
          restApiId,
          modelName: 'mySchema',
          patchOperations: [{ op: 'replace', path: '/name', value: 'x' }],
        }),
      ),
    {
      type: 'BadRequestException',
      message:
        "Invalid patch path  '/name' specified for op 'replace'. Must be one of: [/description, /schema]",
    },
    'test_update_model update-model-invalid-path',
  );

  const validator = await apigw.send(new A.CreateRequestValidatorCommand({ restApiId, name: 'v' }));
  assertAnswer(
    validator,
    { id: ID6, name: 'v', validateRequestBody: false, validateRequestParameters: false },
    'test_request_validator_lifecycle create-request-validator',
  );
  await assertRefusal(
    () =>
      apigw.send(
        new A.UpdateRequestValidatorCommand({
          restApiId,
          requestValidatorId: validator.id,
          patchOperations: [{ op: 'replace', path: '/invalidPath', value: 'x' }],
        }),
      ),
    {
      type: 'BadRequestException',
      message:
        "Invalid patch path  '/invalidPath' specified for op 'replace'. Must be one of: [/name, /validateRequestParameters, /validateRequestBody]",
    },
    'test_invalid_update_request_validator_operations update-request-validator-invalid-path',
  );

  const m = { restApiId, resourceId: api.rootResourceId, httpMethod: 'ANY' };
  assertAnswer(
    await apigw.send(new A.PutMethodCommand({ ...m, authorizationType: 'NONE' })),
    { apiKeyRequired: false, authorizationType: 'NONE', httpMethod: 'ANY' },
    'test_method_lifecycle put-base-method-response',
  );
  const method = (op: A.PatchOperation) => () =>
    apigw.send(new A.UpdateMethodCommand({ ...m, patchOperations: [op] }));
  await assertRefusal(
    method({ op: 'add', path: '/operationName', value: 'operationName' }),
    {
      type: 'BadRequestException',
      message: 'Invalid patch operation specified. Must be one of: [replace]',
    },
    'test_update_method_validation unsupported-operation',
  );
  await assertRefusal(
    method({ op: 'add', path: '/httpMethod', value: 'PUT' }),
    { type: 'BadRequestException', message: 'Invalid patch path /httpMethod' },
    'test_update_method_validation unsupported-path',
  );
});

it('an unknown API, as each Create* words it', async () => {
  const restApiId = 'test-fake-rest-id';
  await assertRefusal(
    () => apigw.send(new A.CreateRequestValidatorCommand({ restApiId, name: 'v' })),
    { type: 'BadRequestException', message: 'Invalid REST API identifier specified' },
    'test_validators_crud_no_api wrong-rest-api-id-create-validator',
  );
  await assertRefusal(
    () =>
      apigw.send(
        new A.CreateAuthorizerCommand({
          restApiId,
          name: 'a',
          type: 'TOKEN',
          authorizerUri:
            'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:f/invocations',
          identitySource: 'method.request.header.Authorization',
        }),
      ),
    {
      type: 'ConflictException',
      message:
        'Unable to complete operation due to concurrent modification. Please try again later.',
    },
    'test_authorizer_crud_no_api wrong-rest-api-id-create-authorizer',
  );
  await assertRefusal(
    () => apigw.send(new A.GetAuthorizersCommand({ restApiId })),
    {
      type: 'NotFoundException',
      message: `Invalid API identifier specified 123456789012:${restApiId}`,
    },
    'test_authorizer_crud_no_api wrong-rest-api-id-get-authorizers (its account id)',
  );
});

it('Integration and Stage: every default AWS fills in', async () => {
  const api = await apigw.send(new A.CreateRestApiCommand({ name: 'defaults' }));
  const m = { restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET' };
  await apigw.send(new A.PutMethodCommand({ ...m, authorizationType: 'NONE' }));
  const integration = await apigw.send(
    new A.PutIntegrationCommand({
      ...m,
      type: 'HTTP_PROXY',
      integrationHttpMethod: 'GET',
      uri: 'http://example.com',
    }),
  );
  assertAnswer(
    integration,
    {
      cacheKeyParameters: [],
      cacheNamespace: api.rootResourceId,
      // The recording sets VPC_LINK; without one the type is INTERNET, its default
      // (https://docs.aws.amazon.com/apigateway/latest/api/API_Integration.html).
      connectionType: 'INTERNET',
      httpMethod: 'GET',
      passthroughBehavior: 'WHEN_NO_MATCH',
      timeoutInMillis: 29000,
      type: 'HTTP_PROXY',
      uri: 'http://example.com',
    },
    'test_create_integration_with_vpc_link put-integration-vpc-link (without the VPC link)',
  );
  await assertRefusal(
    () => apigw.send(new A.PutIntegrationCommand({ ...m, type: 'HTTPS_PROXY' as 'HTTP' })),
    {
      type: 'ValidationException',
      message:
        "1 validation error detected: Value 'HTTPS_PROXY' at 'putIntegrationInput.type' failed to satisfy constraint: Member must satisfy enum value set: [HTTP, MOCK, AWS_PROXY, HTTP_PROXY, AWS]",
    },
    'test_put_integration_wrong_type put-integration-wrong-type',
  );
  await apigw.send(new A.CreateDeploymentCommand({ restApiId: api.id, stageName: 'stage1' }));
  const stages = await apigw.send(new A.GetStagesCommand({ restApiId: api.id }));
  assertAnswer(
    stages,
    {
      item: [
        {
          cacheClusterEnabled: false,
          cacheClusterStatus: 'NOT_AVAILABLE',
          createdDate: 'datetime',
          deploymentId: ID6,
          lastUpdatedDate: 'datetime',
          methodSettings: {},
          stageName: 'stage1',
          tracingEnabled: false,
        },
      ],
    },
    'test_get_stages_filters_by_deployment_id all-stages',
  );
});

it('Stage methodSettings: stored under */* and answered in full, as MethodSetting defines', async () => {
  // The AWS CLI reference's update-stage examples show AWS's answers: keys `*/*` and `~1{path}/GET`,
  // every setting filled in, `loggingLevel` only once set, throttling at the account's 10000/5000.
  // https://docs.aws.amazon.com/cli/latest/reference/apigateway/update-stage.html
  const api = await apigw.send(new A.CreateRestApiCommand({ name: 'settings' }));
  const m = { restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET' };
  await apigw.send(new A.PutMethodCommand({ ...m, authorizationType: 'NONE' }));
  await apigw.send(new A.PutIntegrationCommand({ ...m, type: 'MOCK' }));
  await apigw.send(new A.CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }));
  const updated = await apigw.send(
    new A.UpdateStageCommand({
      restApiId: api.id,
      stageName: 'dev',
      patchOperations: [
        { op: 'replace', path: '/*/*/logging/loglevel', value: 'INFO' },
        { op: 'replace', path: '/*/*/logging/dataTrace', value: 'true' },
        { op: 'replace', path: '/*/*/metrics/enabled', value: 'false' },
        { op: 'replace', path: '/~1/GET/caching/enabled', value: 'true' },
        { op: 'replace', path: '/~1/GET/caching/ttlInSeconds', value: '15' },
      ],
    }),
  );
  assert.deepEqual(
    updated.methodSettings,
    {
      '*/*': {
        metricsEnabled: false,
        loggingLevel: 'INFO',
        dataTraceEnabled: true,
        throttlingBurstLimit: 5000,
        throttlingRateLimit: 10000,
        cachingEnabled: false,
        cacheTtlInSeconds: 300,
        cacheDataEncrypted: false,
        requireAuthorizationForCacheControl: true,
        unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
      },
      '~1/GET': {
        metricsEnabled: false,
        dataTraceEnabled: false,
        throttlingBurstLimit: 5000,
        throttlingRateLimit: 10000,
        cachingEnabled: true,
        cacheTtlInSeconds: 15,
        cacheDataEncrypted: false,
        requireAuthorizationForCacheControl: true,
        unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
      },
    },
    'https://docs.aws.amazon.com/cli/latest/reference/apigateway/update-stage.html',
  );
});

it('GatewayResponses: every type, in AWS order, with its default and what DEFAULT_5XX sets', async () => {
  const api = await apigw.send(new A.CreateRestApiCommand({ name: 'responses' }));
  const restApiId = api.id;
  const template = { 'application/json': '{"message":$context.error.messageString}' };
  const put = await apigw.send(
    new A.PutGatewayResponseCommand({
      restApiId,
      responseType: 'MISSING_AUTHENTICATION_TOKEN',
      statusCode: '404',
    }),
  );
  assertAnswer(
    put,
    {
      defaultResponse: false,
      responseParameters: {},
      responseTemplates: template,
      responseType: 'MISSING_AUTHENTICATION_TOKEN',
      statusCode: '404',
    },
    'test_gateway_response_put put-gateway-response-status-only',
  );
  const custom = {
    responseParameters: {
      'gatewayresponse.header.x-request-header': 'method.request.header.Accept',
    },
    responseTemplates: { 'application/json': '{"message": $context.error.messageString}' },
  };
  await apigw.send(
    new A.PutGatewayResponseCommand({
      restApiId,
      responseType: 'DEFAULT_5XX',
      statusCode: '599',
      ...custom,
    }),
  );
  const all = await apigw.send(new A.GetGatewayResponsesCommand({ restApiId }));
  const fives = ['API_CONFIGURATION_ERROR', 'AUTHORIZER_CONFIGURATION_ERROR', 'AUTHORIZER_FAILURE'];
  const status: Record<string, string | undefined> = {
    ACCESS_DENIED: '403',
    BAD_REQUEST_BODY: '400',
    BAD_REQUEST_PARAMETERS: '400',
    DEFAULT_4XX: undefined,
    EXPIRED_TOKEN: '403',
    INVALID_API_KEY: '403',
    INVALID_SIGNATURE: '403',
    QUOTA_EXCEEDED: '429',
    REQUEST_TOO_LARGE: '413',
    RESOURCE_NOT_FOUND: '404',
    THROTTLED: '429',
    UNAUTHORIZED: '401',
    UNSUPPORTED_MEDIA_TYPE: '415',
    WAF_FILTERED: '403',
  };
  const expected = [
    ...Object.keys(status),
    ...fives,
    'DEFAULT_5XX',
    'INTEGRATION_FAILURE',
    'INTEGRATION_TIMEOUT',
    'MISSING_AUTHENTICATION_TOKEN',
  ]
    .sort()
    .map((responseType) => {
      if (responseType === 'MISSING_AUTHENTICATION_TOKEN') return recorded(put);
      if (responseType === 'DEFAULT_5XX')
        return { defaultResponse: false, responseType, statusCode: '599', ...custom };
      if (responseType in status) {
        const code = status[responseType];
        return {
          defaultResponse: true,
          responseParameters: {},
          responseTemplates: template,
          responseType,
          ...(code ? { statusCode: code } : {}),
        };
      }
      // A 5XX type left at its default takes DEFAULT_5XX's status and mappings.
      return { defaultResponse: true, responseType, statusCode: '599', ...custom };
    });
  assertAnswer(all, { items: expected }, 'test_gateway_response_put get-gateway-responses');
  await assertRefusal(
    () =>
      apigw.send(
        new A.GetGatewayResponseCommand({
          restApiId,
          responseType: 'FAKE_RESPONSE_TYPE' as 'THROTTLED',
        }),
      ),
    {
      type: 'ValidationException',
      message:
        "1 validation error detected: Value 'FAKE_RESPONSE_TYPE' at 'responseType' failed to satisfy constraint: Member must satisfy enum value set: [REQUEST_TOO_LARGE, RESOURCE_NOT_FOUND, AUTHORIZER_CONFIGURATION_ERROR, MISSING_AUTHENTICATION_TOKEN, BAD_REQUEST_BODY, INVALID_SIGNATURE, INVALID_API_KEY, BAD_REQUEST_PARAMETERS, AUTHORIZER_FAILURE, UNAUTHORIZED, INTEGRATION_TIMEOUT, ACCESS_DENIED, DEFAULT_4XX, DEFAULT_5XX, WAF_FILTERED, QUOTA_EXCEEDED, THROTTLED, API_CONFIGURATION_ERROR, UNSUPPORTED_MEDIA_TYPE, INTEGRATION_FAILURE, EXPIRED_TOKEN]",
    },
    'test_gateway_response_validation get-gateway-response-wrong-response-type',
  );
});
