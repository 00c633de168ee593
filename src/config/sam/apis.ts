// AWS::Serverless::Api (and the implicit ServerlessRestApi) with the functions' Api events → one
// OpenAPI document per API, built the way SAM builds the API's definition: DefinitionBody (or the
// DefinitionUri file) as given, each event's method added with a Lambda proxy integration, the
// Auth section's authorizers added as security schemes.
// https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-api.html
// https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-api.html
import { isObject, text, type Json } from '../source/values.js';
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { parseYaml } from '../../support/yaml.js';
import { restApiIdFor } from '../../support/stable-id.js';
import type { ConvertedApi } from '../source/to-project.js';
import type { Path } from '../source/located-yaml.js';
import {
  API_KEY_SCHEME,
  BUILT_IN_SCHEMES,
  IAM_SCHEME,
  lambdaUri,
  securitySchemes,
} from './authorizers.js';
import {
  allowedMethods,
  pathItemMethods,
  preflightOperation,
  quoted,
  type PreflightLiterals,
} from '../../cors/console-cors.js';
import { withGlobals } from './globals.js';
import type { Template } from './template.js';

// SAM names the API its Api events create without RestApiId ServerlessRestApi, stage Prod.
// https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-generated-resources-function.html
const IMPLICIT_API = 'ServerlessRestApi';
const IMPLICIT_STAGE = 'Prod';

const NOT_EMULATED_API_PROPERTIES: Record<string, string> = {
  Description: 'descriptions and tags',
  Tags: 'descriptions and tags',
  PropagateTags: 'descriptions and tags',
  TracingEnabled: 'X-Ray tracing',
  EndpointConfiguration: 'endpoint types (every API is served on this machine)',
  Domain: 'custom domain names',
  OpenApiVersion: 'the OpenAPI version SAM writes',
  Mode: 'the OpenAPI import mode (the definition is always applied whole)',
  FailOnWarnings: 'the OpenAPI import mode (the definition is always applied whole)',
  MergeDefinitions: 'the OpenAPI import mode (the definition is always applied whole)',
  AlwaysDeploy: 'deployment settings (every start deploys the template)',
  AccessLogSetting: 'access log destinations (use sallyport.yaml accessLogSettings)',
  CacheClusterEnabled: 'the stage cache (responses are not cached)',
  CacheClusterSize: 'the stage cache (responses are not cached)',
  DisableExecuteApiEndpoint: 'the execute-api endpoint switch (the API is always served)',
};

interface ApiBuild {
  logicalId: string;
  name: string;
  document: Json;
  openapiFile?: string;
  stages: ConvertedApi['stages'];
  schemes: Set<string>;
  defaultAuthorizer?: string;
  apiKeyRequired: boolean;
  cors?: PreflightLiterals;
  /** Auth.AddDefaultAuthorizerToCorsPreflight: SAM's default is true. */
  authorizePreflight: boolean;
}

export function convertServerlessApis(template: Template): ConvertedApi[] {
  const builds = new Map<string, ApiBuild>();
  for (const resource of template.resources.values()) {
    if (resource.type !== 'AWS::Serverless::Api') continue;
    const props = withGlobals(template.root, 'Api', resource.properties);
    builds.set(
      restApiIdFor(resource.logicalId),
      buildApi(template, resource.logicalId, props, [
        'Resources',
        resource.logicalId,
        'Properties',
      ]),
    );
  }
  for (const resource of template.resources.values()) {
    if (resource.type !== 'AWS::Serverless::Function') continue;
    const events = resource.properties.Events;
    if (!isObject(events)) continue;
    for (const [name, event] of Object.entries(events)) {
      if (!isObject(event) || event.Type !== 'Api') continue;
      const at = ['Resources', resource.logicalId, 'Properties', 'Events', name, 'Properties'];
      const props = template.resolve(event.Properties ?? {}, at);
      if (!isObject(props)) template.fail(at, 'expected Path and Method');
      let api: ApiBuild | undefined;
      if (props.RestApiId === undefined) {
        api = builds.get(restApiIdFor(IMPLICIT_API));
        if (!api) {
          const implicit = withGlobals(template.root, 'Api', { StageName: IMPLICIT_STAGE });
          api = buildApi(template, IMPLICIT_API, implicit, ['Globals', 'Api']);
          builds.set(restApiIdFor(IMPLICIT_API), api);
        }
      } else {
        api = builds.get(text(props.RestApiId));
        if (!api)
          template.fail(
            [...at, 'RestApiId'],
            'expected a Ref to an AWS::Serverless::Api of this template',
          );
      }
      addEventMethod(template, api, template.functionArn(resource.logicalId), props, at);
    }
  }
  return [...builds.values()].map((api) => {
    if (api.cors) addPreflights(api, api.cors);
    const converted: ConvertedApi = {
      name: api.name,
      id: restApiIdFor(api.logicalId),
      where: template.where(['Resources', api.logicalId]),
      document: api.document,
      stages: api.stages,
    };
    if (api.openapiFile) converted.openapiFile = api.openapiFile;
    return converted;
  });
}

function buildApi(template: Template, logicalId: string, props: Json, base: Path): ApiBuild {
  const value = (key: string) =>
    props[key] === undefined ? undefined : template.resolve(props[key], [...base, key]);
  for (const key of Object.keys(props)) {
    const kind = NOT_EMULATED_API_PROPERTIES[key];
    if (kind) template.accept(kind, key);
  }
  refuse(template, props, base, {
    Models: 'Models are not converted: put them in DefinitionBody (definitions)',
    CanarySetting: 'canary deployments are not emulated',
  });
  const name = typeof value('Name') === 'string' ? (value('Name') as string) : logicalId;
  const { document, openapiFile } = definition(template, props, base, name);
  const stageName = value('StageName');
  if (typeof stageName !== 'string')
    template.fail([...base, 'StageName'], 'StageName is required (a stage name)');
  const variables = value('Variables') ?? {};
  if (!isObject(variables)) template.fail([...base, 'Variables'], 'expected a mapping');
  const api: ApiBuild = {
    logicalId,
    name,
    document,
    stages: [{ stageName, variables, where: template.where([...base, 'StageName']) }],
    schemes: new Set(),
    apiKeyRequired: false,
    authorizePreflight: true,
  };
  if (props.Cors !== undefined) api.cors = corsOf(template, value('Cors'), [...base, 'Cors']);
  if (openapiFile) api.openapiFile = openapiFile;
  applyStageAndApiSettings(template, api, value, base);
  if (props.Auth !== undefined) readAuth(template, api, props.Auth, [...base, 'Auth']);
  return api;
}

function refuse(
  template: Template,
  props: Json,
  base: Path,
  reasons: Record<string, string>,
): void {
  for (const [key, reason] of Object.entries(reasons))
    if (props[key] !== undefined) template.fail([...base, key], reason);
}

function definition(
  template: Template,
  props: Json,
  base: Path,
  title: string,
): { document: Json; openapiFile?: string } {
  if (props.DefinitionBody !== undefined) {
    const body = template.resolve(props.DefinitionBody, [...base, 'DefinitionBody']);
    if (!isObject(body)) template.fail([...base, 'DefinitionBody'], 'expected an OpenAPI document');
    return { document: structuredClone(body) };
  }
  if (props.DefinitionUri !== undefined) {
    const uri = template.resolve(props.DefinitionUri, [...base, 'DefinitionUri']);
    if (typeof uri !== 'string' || uri.startsWith('s3://'))
      template.fail(
        [...base, 'DefinitionUri'],
        'a definition in S3 is not read: name a file beside the template',
      );
    const file = resolve(dirname(template.file), uri);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return template.fail([...base, 'DefinitionUri'], `file not found: ${uri}`);
    }
    const parsed = parseYaml(text);
    if (!parsed.ok)
      template.fail(
        [...base, 'DefinitionUri'],
        `${basename(file)}:${parsed.line}:${parsed.column}: ${parsed.reason}`,
      );
    if (!isObject(parsed.value))
      template.fail([...base, 'DefinitionUri'], `${uri}: expected an OpenAPI document`);
    return { document: parsed.value, openapiFile: file };
  }
  return { document: { swagger: '2.0', info: { title, version: '1.0' }, paths: {} } };
}

function applyStageAndApiSettings(
  template: Template,
  api: ApiBuild,
  value: (key: string) => unknown,
  base: Path,
): void {
  const doc = api.document;
  const binary = value('BinaryMediaTypes');
  // SAM writes `~1` for `/` in BinaryMediaTypes (CloudFormation's escaping).
  if (Array.isArray(binary))
    doc['x-amazon-apigateway-binary-media-types'] = binary.map((t) =>
      text(t).replaceAll('~1', '/'),
    );
  const compression = value('MinimumCompressionSize');
  if (compression !== undefined) doc['x-amazon-apigateway-minimum-compression-size'] = compression;
  const keySource = value('ApiKeySourceType');
  if (keySource !== undefined) doc['x-amazon-apigateway-api-key-source'] = keySource;
  const responses = value('GatewayResponses');
  if (responses !== undefined)
    doc['x-amazon-apigateway-gateway-responses'] = gatewayResponses(template, responses, [
      ...base,
      'GatewayResponses',
    ]);
  const methodSettings = value('MethodSettings');
  if (methodSettings !== undefined) {
    if (!Array.isArray(methodSettings))
      template.fail([...base, 'MethodSettings'], 'expected a list');
    const changing = ['ThrottlingRateLimit', 'ThrottlingBurstLimit', 'CachingEnabled'];
    methodSettings.forEach((setting, i) => {
      for (const key of changing)
        if (isObject(setting) && setting[key] !== undefined)
          template.fail(
            [...base, 'MethodSettings', i, key],
            `${key} in a template is not converted yet: set method throttles with the admin API (UpdateStage)`,
          );
    });
    template.accept('stage logging and metrics settings', 'MethodSettings');
  }
}

// https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-gatewayresponse.html
function gatewayResponses(template: Template, raw: unknown, at: Path): Json {
  if (!isObject(raw)) template.fail(at, 'expected a mapping by response type');
  const out: Json = {};
  for (const [type, response] of Object.entries(raw)) {
    if (!isObject(response)) template.fail([...at, type], 'expected a mapping');
    const entry: Json = {};
    if (response.StatusCode !== undefined) entry.statusCode = text(response.StatusCode);
    if (response.ResponseTemplates !== undefined)
      entry.responseTemplates = response.ResponseTemplates;
    const params = response.ResponseParameters;
    if (isObject(params)) {
      const mapped: Json = {};
      const kinds: Record<string, string> = {
        Headers: 'header',
        Paths: 'path',
        QueryStrings: 'querystring',
      };
      for (const [kind, values] of Object.entries(params)) {
        const prefix = kinds[kind];
        if (!prefix || !isObject(values))
          template.fail(
            [...at, type, 'ResponseParameters', kind],
            'expected Headers, Paths or QueryStrings',
          );
        for (const [name, v] of Object.entries(values))
          mapped[`gatewayresponse.${prefix}.${name}`] = v;
      }
      entry.responseParameters = mapped;
    }
    out[type] = entry;
  }
  return out;
}

function readAuth(template: Template, api: ApiBuild, raw: unknown, at: Path): void {
  const auth = template.resolve(raw, at);
  if (!isObject(auth)) template.fail(at, 'expected a mapping');
  refuse(template, auth, at, {
    UsagePlan:
      'usage plans are not read from templates yet: declare them in sallyport.yaml (usagePlans)',
    ResourcePolicy: 'resource policies are not emulated',
  });
  if (auth.InvokeRole !== undefined)
    template.accept('IAM (functions run with the permissions of the machine)', 'Auth.InvokeRole');
  const schemes = securitySchemes(template, auth.Authorizers, [...at, 'Authorizers']);
  for (const [name, scheme] of Object.entries(schemes)) addScheme(api, name, scheme);
  if (auth.DefaultAuthorizer !== undefined) {
    const name = text(auth.DefaultAuthorizer);
    if (name !== IAM_SCHEME && !(name in schemes))
      template.fail(
        [...at, 'DefaultAuthorizer'],
        `no authorizer "${name}" in Auth.Authorizers (nor AWS_IAM)`,
      );
    api.defaultAuthorizer = name;
  }
  api.apiKeyRequired = auth.ApiKeyRequired === true;
  api.authorizePreflight = auth.AddDefaultAuthorizerToCorsPreflight !== false;
}

// https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-corsconfiguration.html
// A string is AllowOrigin; every value is an API Gateway literal, quotes included ("'*'").
function corsOf(template: Template, raw: unknown, at: Path): PreflightLiterals {
  if (typeof raw === 'string') return { origin: raw };
  if (!isObject(raw)) template.fail(at, 'expected an origin ("\'*\'") or a CorsConfiguration');
  const keys = ['AllowOrigin', 'AllowMethods', 'AllowHeaders', 'MaxAge', 'AllowCredentials'];
  for (const key of Object.keys(raw))
    if (!keys.includes(key)) template.fail([...at, key], 'unknown property of Cors');
  const literal = (key: string): string | undefined => {
    const v = raw[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' && typeof v !== 'number')
      template.fail([...at, key], 'expected a quoted literal, e.g. "\'*\'"');
    return String(v);
  };
  const origin = literal('AllowOrigin');
  if (origin === undefined) template.fail(at, 'AllowOrigin is required');
  const cors: PreflightLiterals = { origin, credentials: raw.AllowCredentials === true };
  for (const [key, field] of [
    ['AllowMethods', 'methods'],
    ['AllowHeaders', 'headers'],
    ['MaxAge', 'maxAge'],
  ] as const) {
    const v = literal(key);
    if (v !== undefined) cors[field] = v;
  }
  return cors;
}

/**
 * SAM's preflight: an OPTIONS MOCK method on every path that has none, AllowMethods defaulting
 * to the path's methods, with the default authorizer unless AddDefaultAuthorizerToCorsPreflight
 * is false (SAM's default puts the preflight behind it).
 */
function addPreflights(api: ApiBuild, cors: PreflightLiterals): void {
  const oas3 = typeof api.document.openapi === 'string';
  for (const item of Object.values((api.document.paths ?? {}) as Json)) {
    if (!isObject(item) || item.options !== undefined) continue;
    const methods = cors.methods ?? quoted(allowedMethods(pathItemMethods(item)).join(','));
    const operation = preflightOperation({ ...cors, methods }, oas3);
    const authorizer = api.defaultAuthorizer;
    if (api.authorizePreflight && authorizer !== undefined && authorizer !== 'NONE')
      operation.security = [{ [authorizer]: [] }];
    item.options = operation;
  }
}

function addScheme(api: ApiBuild, name: string, scheme: Json): void {
  const doc = api.document;
  if (typeof doc.openapi === 'string') {
    const components = (doc.components ??= {}) as Json;
    ((components.securitySchemes ??= {}) as Json)[name] = scheme;
  } else ((doc.securityDefinitions ??= {}) as Json)[name] = scheme;
  api.schemes.add(name);
}

function addEventMethod(
  template: Template,
  api: ApiBuild,
  functionArn: string,
  props: Json,
  at: Path,
): void {
  for (const key of Object.keys(props))
    if (!['Path', 'Method', 'RestApiId', 'Auth', 'RequestParameters'].includes(key))
      template.fail(
        [...at, key],
        key === 'RequestModel'
          ? 'RequestModel is not converted: validate in DefinitionBody'
          : 'unknown property of an Api event',
      );
  if (typeof props.Path !== 'string' || !props.Path.startsWith('/'))
    template.fail([...at, 'Path'], 'expected a path starting with /');
  if (typeof props.Method !== 'string')
    template.fail([...at, 'Method'], 'expected an HTTP method (or any)');
  const method = props.Method.toLowerCase();
  const key = method === 'any' ? 'x-amazon-apigateway-any-method' : method;
  const paths = (api.document.paths ??= {}) as Json;
  const pathItem = (paths[props.Path] ??= {}) as Json;
  const operation = (pathItem[key] ??= { responses: {} }) as Json;
  operation['x-amazon-apigateway-integration'] ??= {
    type: 'aws_proxy',
    httpMethod: 'POST',
    uri: lambdaUri(template.ctx.region, functionArn),
  };
  const auth = isObject(props.Auth) ? props.Auth : {};
  for (const k of Object.keys(auth))
    if (
      ![
        'Authorizer',
        'ApiKeyRequired',
        'AuthorizationScopes',
        'InvokeRole',
        'ResourcePolicy',
      ].includes(k)
    )
      template.fail([...at, 'Auth', k], 'unknown property of an Api event Auth');
  if (auth.ResourcePolicy !== undefined)
    template.fail([...at, 'Auth', 'ResourcePolicy'], 'resource policies are not emulated');
  const authorizer = auth.Authorizer === undefined ? api.defaultAuthorizer : text(auth.Authorizer);
  const security: Json[] = [];
  if (authorizer !== undefined && authorizer !== 'NONE') {
    if (authorizer === IAM_SCHEME && !api.schemes.has(IAM_SCHEME))
      addScheme(api, IAM_SCHEME, BUILT_IN_SCHEMES[IAM_SCHEME]!);
    if (!api.schemes.has(authorizer))
      template.fail(
        [...at, 'Auth', 'Authorizer'],
        `no authorizer "${authorizer}" in the API's Auth.Authorizers`,
      );
    security.push({ [authorizer]: [] });
  }
  if ((auth.ApiKeyRequired ?? api.apiKeyRequired) === true) {
    if (!api.schemes.has(API_KEY_SCHEME))
      addScheme(api, API_KEY_SCHEME, BUILT_IN_SCHEMES[API_KEY_SCHEME]!);
    security.push({ [API_KEY_SCHEME]: [] });
  }
  if (security.length > 0 && operation.security === undefined)
    operation.security = [Object.assign({}, ...security)];
  if (props.RequestParameters !== undefined)
    operation.parameters = requestParameters(template, props.RequestParameters, [
      ...at,
      'RequestParameters',
    ]);
}

// https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-requestparameter.html
function requestParameters(template: Template, raw: unknown, at: Path): Json[] {
  if (!Array.isArray(raw)) template.fail(at, 'expected a list');
  return raw.map((entry, i) => {
    const [name, settings] =
      typeof entry === 'string'
        ? [entry, {}]
        : isObject(entry)
          ? (Object.entries(entry)[0] ?? ['', {}])
          : ['', {}];
    const m = /^method\.request\.(header|querystring|path)\.(.+)$/.exec(name);
    if (!m) template.fail([...at, i], 'expected method.request.header|querystring|path.<name>');
    const place = m[1] === 'querystring' ? 'query' : m[1]!;
    return {
      name: m[2],
      in: place,
      required: isObject(settings) && settings.Required === true,
      type: 'string',
    };
  });
}
