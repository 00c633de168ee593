// The plain CloudFormation resources of a REST API — RestApi (with Body), Resource, Method,
// Authorizer, Deployment, Stage — gathered into one OpenAPI document per RestApi, the same document
// an export of that API from API Gateway would give, and imported like any other.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/AWS_ApiGateway.html
import { isObject, text, type Json } from '../source/values.js';
import { restApiIdFor } from '../../support/stable-id.js';
import type { ConvertedApi } from '../source/to-project.js';
import type { Path } from '../source/located-yaml.js';
import { customScheme } from './authorizers.js';
import type { Resource, Template } from './template.js';

const NOT_EMULATED: Record<string, string> = {
  Description: 'descriptions and tags',
  Tags: 'descriptions and tags',
  EndpointConfiguration: 'endpoint types (every API is served on this machine)',
  FailOnWarnings: 'the OpenAPI import mode (the definition is always applied whole)',
  Mode: 'the OpenAPI import mode (the definition is always applied whole)',
  Parameters: 'the OpenAPI import mode (the definition is always applied whole)',
  DisableExecuteApiEndpoint: 'the execute-api endpoint switch (the API is always served)',
  AccessLogSetting: 'access log destinations (use sallyport.yaml accessLogSettings)',
  TracingEnabled: 'X-Ray tracing',
  CacheClusterEnabled: 'the stage cache (responses are not cached)',
  CacheClusterSize: 'the stage cache (responses are not cached)',
  ClientCertificateId: 'client certificates for backends',
  DocumentationVersion: 'API documentation',
  StageDescription: 'descriptions and tags',
  DeploymentCanarySettings: 'canary deployments',
  Credentials: 'IAM (functions run with the permissions of the machine)',
  AuthorizerCredentials: 'IAM (functions run with the permissions of the machine)',
  OperationName: 'descriptions and tags',
};

interface RestApiBuild {
  logicalId: string;
  name: string;
  document: Json;
  stages: ConvertedApi['stages'];
}

export function convertRestApis(template: Template): ConvertedApi[] {
  const apis = new Map<string, RestApiBuild>();
  const byType = (type: string) =>
    [...template.resources.values()].filter((r) => r.type === `AWS::ApiGateway::${type}`);
  for (const r of byType('RestApi')) apis.set(restApiIdFor(r.logicalId), restApi(template, r));
  const apiOf = (r: Resource): RestApiBuild => {
    const id = prop(template, r, 'RestApiId');
    const api = apis.get(text(id));
    if (!api)
      template.fail(
        ['Resources', r.logicalId, 'Properties', 'RestApiId'],
        'expected a Ref to an AWS::ApiGateway::RestApi of this template',
      );
    return api;
  };
  const schemeNames = new Map<string, string>();
  for (const r of byType('Authorizer')) {
    const api = apiOf(r);
    const name = text(prop(template, r, 'Name') ?? r.logicalId);
    schemeNames.set(`AWS::ApiGateway::Authorizer:${r.logicalId}`, name);
    const securityDefinitions = (api.document.securityDefinitions ??= {}) as Json;
    securityDefinitions[name] = authorizerScheme(template, r);
  }
  for (const r of byType('Method')) method(template, r, apiOf(r), schemeNames);
  for (const type of ['Deployment', 'Stage']) {
    for (const r of byType(type)) {
      const api = apiOf(r);
      const stageName = prop(template, r, 'StageName');
      if (stageName === undefined) continue; // a Deployment without a stage: the Stage names it
      const variables =
        prop(template, r, 'Variables') ??
        (prop(template, r, 'StageDescription') as Json | undefined)?.Variables ??
        {};
      acceptRest(template, r, [
        'RestApiId',
        'StageName',
        'Variables',
        'DeploymentId',
        'Description',
        'MethodSettings',
      ]);
      if (prop(template, r, 'MethodSettings') !== undefined)
        template.accept('stage logging and metrics settings', 'MethodSettings');
      if (api.stages.some((s) => s.stageName === stageName)) continue;
      api.stages.push({
        stageName: text(stageName),
        variables: variables as Json,
        where: template.where(['Resources', r.logicalId]),
      });
    }
  }
  return [...apis.values()].map((api) => ({
    name: api.name,
    id: restApiIdFor(api.logicalId),
    where: template.where(['Resources', api.logicalId]),
    document: api.document,
    stages: api.stages,
  }));
}

function prop(template: Template, r: Resource, key: string): unknown {
  const value = r.properties[key];
  return value === undefined
    ? undefined
    : template.resolve(value, ['Resources', r.logicalId, 'Properties', key]);
}

/** Properties outside `used` must be listed as not emulated, or they are an error. */
function acceptRest(template: Template, r: Resource, used: string[]): void {
  for (const key of Object.keys(r.properties)) {
    if (used.includes(key)) continue;
    const kind = NOT_EMULATED[key];
    if (kind) template.accept(kind, key);
    else
      template.fail(
        ['Resources', r.logicalId, 'Properties', key],
        `${key} of ${r.type} is not supported`,
      );
  }
}

function restApi(template: Template, r: Resource): RestApiBuild {
  acceptRest(template, r, [
    'Name',
    'Body',
    'BinaryMediaTypes',
    'ApiKeySourceType',
    'MinimumCompressionSize',
  ]);
  const body = prop(template, r, 'Body');
  if (body !== undefined && !isObject(body))
    template.fail(['Resources', r.logicalId, 'Properties', 'Body'], 'expected an OpenAPI document');
  const name = text(prop(template, r, 'Name') ?? r.logicalId);
  const document: Json = body
    ? structuredClone(body)
    : { swagger: '2.0', info: { title: name, version: '1.0' }, paths: {} };
  const binary = prop(template, r, 'BinaryMediaTypes');
  if (Array.isArray(binary)) document['x-amazon-apigateway-binary-media-types'] = binary;
  const source = prop(template, r, 'ApiKeySourceType');
  if (source !== undefined) document['x-amazon-apigateway-api-key-source'] = source;
  const size = prop(template, r, 'MinimumCompressionSize');
  if (size !== undefined) document['x-amazon-apigateway-minimum-compression-size'] = size;
  return { logicalId: r.logicalId, name, document, stages: [] };
}

function resourcePath(template: Template, ref: unknown, at: Path): string {
  const value = text(ref);
  if (value.startsWith('root:')) return '/';
  const prefix = 'AWS::ApiGateway::Resource:';
  if (!value.startsWith(prefix))
    template.fail(
      at,
      'expected !GetAtt Api.RootResourceId or a Ref to an AWS::ApiGateway::Resource',
    );
  const r = template.resources.get(value.slice(prefix.length))!;
  const parent = resourcePath(template, prop(template, r, 'ParentId'), [
    'Resources',
    r.logicalId,
    'Properties',
    'ParentId',
  ]);
  const part = prop(template, r, 'PathPart');
  return `${parent === '/' ? '' : parent}/${text(part)}`;
}

// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-authorizer.html
function authorizerScheme(template: Template, r: Resource): Json {
  acceptRest(template, r, [
    'RestApiId',
    'Name',
    'Type',
    'AuthorizerUri',
    'IdentitySource',
    'IdentityValidationExpression',
    'AuthorizerResultTtlInSeconds',
  ]);
  const type = prop(template, r, 'Type');
  if (type !== 'TOKEN' && type !== 'REQUEST')
    template.fail(
      ['Resources', r.logicalId, 'Properties', 'Type'],
      type === 'COGNITO_USER_POOLS'
        ? 'Cognito authorizers are not read from templates: a local gateway cannot reach the user pool'
        : 'expected TOKEN or REQUEST',
    );
  const authorizer: Json = {
    type: type.toLowerCase(),
    authorizerUri: prop(template, r, 'AuthorizerUri'),
  };
  const source = prop(template, r, 'IdentitySource');
  if (source !== undefined) authorizer.identitySource = source;
  const expression = prop(template, r, 'IdentityValidationExpression');
  if (expression !== undefined) authorizer.identityValidationExpression = expression;
  // "If it is not specified, the default value is 300." (AuthorizerResultTtlInSeconds)
  authorizer.authorizerResultTtlInSeconds =
    prop(template, r, 'AuthorizerResultTtlInSeconds') ?? 300;
  return customScheme(authorizer);
}

// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-method.html
function method(
  template: Template,
  r: Resource,
  api: RestApiBuild,
  schemes: Map<string, string>,
): void {
  const at = ['Resources', r.logicalId, 'Properties'];
  acceptRest(template, r, [
    'RestApiId',
    'ResourceId',
    'HttpMethod',
    'AuthorizationType',
    'AuthorizerId',
    'ApiKeyRequired',
    'Integration',
    'MethodResponses',
    'RequestParameters',
  ]);
  const path = resourcePath(template, prop(template, r, 'ResourceId'), [...at, 'ResourceId']);
  const httpMethod = text(prop(template, r, 'HttpMethod')).toLowerCase();
  const key = httpMethod === 'any' ? 'x-amazon-apigateway-any-method' : httpMethod;
  const paths = (api.document.paths ??= {}) as Json;
  const operation: Json = { responses: {} };
  ((paths[path] ??= {}) as Json)[key] = operation;
  const security: Json = {};
  const authType = prop(template, r, 'AuthorizationType') ?? 'NONE';
  if (authType === 'CUSTOM') {
    const name = schemes.get(text(prop(template, r, 'AuthorizerId')));
    if (!name)
      template.fail(
        [...at, 'AuthorizerId'],
        'expected a Ref to an AWS::ApiGateway::Authorizer of this template',
      );
    security[name] = [];
  } else if (authType === 'AWS_IAM') {
    ((api.document.securityDefinitions ??= {}) as Json).sigv4 = {
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'awsSigv4',
    };
    security.sigv4 = [];
  } else if (authType !== 'NONE')
    template.fail(
      [...at, 'AuthorizationType'],
      `${text(authType)} methods are not read from templates (NONE, CUSTOM or AWS_IAM)`,
    );
  if (prop(template, r, 'ApiKeyRequired') === true) {
    ((api.document.securityDefinitions ??= {}) as Json).api_key = {
      type: 'apiKey',
      name: 'x-api-key',
      in: 'header',
    };
    security.api_key = [];
  }
  if (Object.keys(security).length > 0) operation.security = [security];
  const params = prop(template, r, 'RequestParameters');
  if (isObject(params))
    operation.parameters = Object.entries(params).map(([name, required]) => {
      const m = /^method\.request\.(header|querystring|path)\.(.+)$/.exec(name);
      if (!m)
        template.fail(
          [...at, 'RequestParameters', name],
          'expected method.request.header|querystring|path.<name>',
        );
      return {
        name: m[2],
        in: m[1] === 'querystring' ? 'query' : m[1],
        required: required === true,
        type: 'string',
      };
    });
  const responses = prop(template, r, 'MethodResponses');
  if (Array.isArray(responses))
    for (const response of responses as Json[]) {
      const headers: Json = {};
      for (const name of Object.keys(
        isObject(response.ResponseParameters) ? response.ResponseParameters : {},
      ))
        headers[name.replace('method.response.header.', '')] = { type: 'string' };
      (operation.responses as Json)[text(response.StatusCode)] = { description: '', headers };
    }
  const integration = prop(template, r, 'Integration');
  if (integration !== undefined)
    operation['x-amazon-apigateway-integration'] = toIntegration(template, integration, [
      ...at,
      'Integration',
    ]);
}

// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-apigateway-method-integration.html
function toIntegration(template: Template, raw: unknown, at: Path): Json {
  if (!isObject(raw)) template.fail(at, 'expected a mapping');
  const names: Record<string, string> = {
    Type: 'type',
    IntegrationHttpMethod: 'httpMethod',
    Uri: 'uri',
    RequestTemplates: 'requestTemplates',
    RequestParameters: 'requestParameters',
    PassthroughBehavior: 'passthroughBehavior',
    ContentHandling: 'contentHandling',
    TimeoutInMillis: 'timeoutInMillis',
    CacheKeyParameters: 'cacheKeyParameters',
    CacheNamespace: 'cacheNamespace',
    ConnectionType: 'connectionType',
  };
  const out: Json = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'IntegrationResponses') {
      if (!Array.isArray(value)) template.fail([...at, key], 'expected a list');
      const responses: Json = {};
      for (const entry of value as Json[]) {
        const response: Json = { statusCode: text(entry.StatusCode) };
        if (entry.ResponseParameters !== undefined)
          response.responseParameters = entry.ResponseParameters;
        if (entry.ResponseTemplates !== undefined)
          response.responseTemplates = entry.ResponseTemplates;
        if (entry.ContentHandling !== undefined) response.contentHandling = entry.ContentHandling;
        responses[typeof entry.SelectionPattern === 'string' ? entry.SelectionPattern : 'default'] =
          response;
      }
      out.responses = responses;
    } else if (key === 'Credentials')
      template.accept(NOT_EMULATED.Credentials!, 'Integration.Credentials');
    else if (names[key]) out[names[key]] = key === 'Type' ? text(value).toLowerCase() : value;
    else template.fail([...at, key], `${key} of an integration is not supported`);
  }
  return out;
}
