// ApiSnapshot → OpenAPI 3.0 / Swagger 2.0 with API Gateway's x-amazon-apigateway-* extensions,
// as GetExport produces it; what this writes, import.ts reads back to the same model.
// https://docs.aws.amazon.com/apigateway/latest/api/API_GetExport.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-export-api.html
import type {
  ApiSnapshot,
  Authorizer,
  Integration,
  Method,
  MethodResponse,
  Model,
  RequestValidator,
  Resource,
  Settings,
} from '../model/types.js';
import { BUILT_IN_MODELS, withBuiltInModels } from '../gateway/validation/built-in-models.js';
import { parseModelUrl, rewriteRefs } from '../gateway/validation/model-ref.js';

export type ExportType = 'oas30' | 'swagger';

export interface ExportOptions {
  exportType: ExportType;
  stageName: string;
  settings: Settings;
  /** `integrations` adds x-amazon-apigateway-integration, `authorizers` the authorizer
   * extensions, `apigateway` both. */
  extensions: ReadonlySet<string>;
  /** `info.version`; AWS writes the deployment's date. */
  version?: string;
}

type Json = Record<string, unknown>;

const METHOD_KEYS: Record<string, string> = {
  GET: 'get',
  PUT: 'put',
  POST: 'post',
  DELETE: 'delete',
  OPTIONS: 'options',
  HEAD: 'head',
  PATCH: 'patch',
  ANY: 'x-amazon-apigateway-any-method',
};
const API_KEY_SCHEME = 'api_key';
const SIGV4_SCHEME = 'sigv4';

export function exportOpenApi(snapshot: ApiSnapshot, options: ExportOptions): Json {
  const oas3 = options.exportType === 'oas30';
  const withIntegrations =
    options.extensions.has('integrations') || options.extensions.has('apigateway');
  const withAuthorizers =
    options.extensions.has('authorizers') || options.extensions.has('apigateway');
  const { api } = snapshot;
  const schemes: Json = {};
  const authorizers = new Map(snapshot.authorizers.map((a) => [a.id, a]));
  const validators = new Map((snapshot.requestValidators ?? []).map((v) => [v.id, v]));
  const paths: Json = {};
  for (const resource of snapshot.resources) {
    const item = pathItem(resource, oas3, withIntegrations, authorizers, schemes, withAuthorizers);
    if (!item) continue;
    addRequestValidation(resource, item, oas3, withIntegrations ? validators : undefined);
    paths[resource.path] = item;
  }
  const info: Json = { title: api.name };
  if (api.description !== undefined) info.description = api.description;
  info.version =
    options.version ?? new Date(api.createdDate).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const host = `${api.id}.execute-api.${options.settings.region}.amazonaws.com`;
  const doc: Json = oas3
    ? {
        openapi: '3.0.1',
        info,
        servers: [
          {
            url: `https://${host}/{basePath}`,
            variables: { basePath: { default: options.stageName } },
          },
        ],
        paths,
      }
    : { swagger: '2.0', info, host, basePath: `/${options.stageName}`, schemes: ['https'], paths };
  const models = modelSchemas(exportedModels(snapshot), oas3);
  if (Object.keys(schemes).length > 0 || models) {
    if (oas3)
      doc.components = defined({
        schemas: models,
        securitySchemes: Object.keys(schemes).length > 0 ? schemes : undefined,
      });
    else {
      if (models) doc.definitions = models;
      if (Object.keys(schemes).length > 0) doc.securityDefinitions = schemes;
    }
  }
  if (withIntegrations) addApiExtensions(doc, snapshot);
  return doc;
}

/**
 * The models a document carries: all but `Empty` and `Error` as CreateRestApi made them and no
 * method names, so an API that never touched them exports (and re-imports) as it was written.
 */
/**
 * The API's models, without Empty and Error while unchanged and unused (CreateRestApi stores
 * them; an export → import must not grow them), plus those two when a method names them and the
 * API (an imported one) does not store them: AWS exports them then.
 */
function exportedModels(snapshot: ApiSnapshot): readonly Model[] {
  const used = new Set<string>();
  for (const resource of snapshot.resources)
    for (const method of Object.values(resource.resourceMethods)) {
      for (const name of Object.values(method?.requestModels ?? {})) used.add(name);
      for (const response of Object.values(method?.methodResponses ?? {}))
        for (const name of Object.values(response.responseModels ?? {})) used.add(name);
    }
  const own = (snapshot.models ?? []).filter((model) => used.has(model.name) || !isBuiltIn(model));
  return withBuiltInModels(own, used);
}

const isBuiltIn = (model: Model) =>
  BUILT_IN_MODELS.some(
    (b) =>
      b.name === model.name &&
      b.schema === model.schema &&
      b.description === model.description &&
      b.contentType === model.contentType,
  );

/** Models as document schemas; AWS's model URLs become `#/components/schemas/X` or `#/definitions/X`. */
function modelSchemas(models: readonly Model[], oas3: boolean): Json | undefined {
  if (models.length === 0) return undefined;
  const prefix = oas3 ? '#/components/schemas/' : '#/definitions/';
  const out: Json = {};
  for (const model of models) {
    let schema: unknown;
    try {
      schema = model.schema ? JSON.parse(model.schema) : {};
    } catch {
      // A model AWS accepted as text stays exportable; its schema is shown as text.
      schema = { description: model.schema };
    }
    out[model.name] = rewriteRefs(schema, (ref) => {
      const target = parseModelUrl(ref);
      return target ? prefix + target.name + target.fragment.replace(/^#/, '') : ref;
    });
  }
  return out;
}

/** A method's validator (extension) and requestModels (requestBody, or a Swagger body parameter). */
function addRequestValidation(
  resource: Resource,
  item: Json,
  oas3: boolean,
  validators: Map<string, RequestValidator> | undefined,
): void {
  for (const method of Object.values(resource.resourceMethods)) {
    if (!method) continue;
    const operation = item[METHOD_KEYS[method.httpMethod]!] as Json;
    const validator = method.requestValidatorId
      ? validators?.get(method.requestValidatorId)
      : undefined;
    if (validator) operation['x-amazon-apigateway-request-validator'] = validator.name;
    const models = Object.entries(method.requestModels ?? {});
    if (models.length === 0) continue;
    if (oas3) {
      operation.requestBody = {
        content: Object.fromEntries(
          models.map(([type, name]) => [
            type,
            { schema: { $ref: `#/components/schemas/${name}` } },
          ]),
        ),
        required: true,
      };
    } else {
      // Swagger 2 has one body parameter: the first model, for every content type.
      operation.consumes = models.map(([type]) => type);
      const body = {
        in: 'body',
        name: models[0]![1],
        required: true,
        schema: { $ref: `#/definitions/${models[0]![1]}` },
      };
      operation.parameters = [...((operation.parameters as Json[] | undefined) ?? []), body];
    }
  }
}

function addApiExtensions(doc: Json, snapshot: ApiSnapshot): void {
  const { api } = snapshot;
  const responses = Object.values(snapshot.gatewayResponses);
  if (responses.length > 0) {
    doc['x-amazon-apigateway-gateway-responses'] = Object.fromEntries(
      responses.map((r) => [
        r.responseType,
        defined({
          statusCode: r.statusCode,
          responseParameters: r.responseParameters,
          responseTemplates: r.responseTemplates,
        }),
      ]),
    );
  }
  if (api.binaryMediaTypes.length > 0)
    doc['x-amazon-apigateway-binary-media-types'] = api.binaryMediaTypes;
  if (api.apiKeySource !== 'HEADER') doc['x-amazon-apigateway-api-key-source'] = api.apiKeySource;
  if (api.minimumCompressionSize !== undefined)
    doc['x-amazon-apigateway-minimum-compression-size'] = api.minimumCompressionSize;
  const validators = snapshot.requestValidators ?? [];
  if (validators.length > 0)
    doc['x-amazon-apigateway-request-validators'] = Object.fromEntries(
      validators.map((v) => [
        v.name,
        {
          validateRequestBody: v.validateRequestBody,
          validateRequestParameters: v.validateRequestParameters,
        },
      ]),
    );
}

function pathItem(
  resource: Resource,
  oas3: boolean,
  withIntegrations: boolean,
  authorizers: Map<string, Authorizer>,
  schemes: Json,
  withAuthorizers: boolean,
): Json | undefined {
  const methods = Object.values(resource.resourceMethods).filter((m) => m !== undefined);
  if (methods.length === 0) return undefined;
  const item: Json = {};
  for (const method of methods) {
    const operation: Json = {};
    if (method.operationName !== undefined) operation.operationId = method.operationName;
    const parameters = requestParameters(method, oas3);
    if (parameters.length > 0) operation.parameters = parameters;
    operation.responses = methodResponses(method.methodResponses ?? {}, oas3);
    const security = securityOf(method, authorizers, schemes, withAuthorizers);
    if (security) operation.security = [security];
    if (withIntegrations && method.methodIntegration)
      operation['x-amazon-apigateway-integration'] = integration(
        method.methodIntegration,
        resource,
      );
    item[METHOD_KEYS[method.httpMethod]!] = operation;
  }
  return item;
}

const LOCATIONS: Record<string, string> = { path: 'path', querystring: 'query', header: 'header' };

function requestParameters(method: Method, oas3: boolean): Json[] {
  const out: Json[] = [];
  for (const [key, required] of Object.entries(method.requestParameters ?? {})) {
    const m = /^method\.request\.(path|querystring|header)\.(.+)$/.exec(key);
    if (!m) continue;
    const parameter: Json = {
      name: m[2],
      in: LOCATIONS[m[1]!],
      required: m[1] === 'path' || required,
    };
    if (oas3) parameter.schema = { type: 'string' };
    else parameter.type = 'string';
    out.push(parameter);
  }
  return out;
}

function methodResponses(responses: Record<string, MethodResponse>, oas3: boolean): Json {
  const out: Json = {};
  for (const [code, response] of Object.entries(responses)) {
    const entry: Json = { description: `${code} response` };
    const headers = Object.keys(response.responseParameters ?? {})
      .map((k) => /^method\.response\.header\.(.+)$/.exec(k)?.[1])
      .filter((h): h is string => h !== undefined);
    if (headers.length > 0)
      entry.headers = Object.fromEntries(
        headers.map((h) => [h, oas3 ? { schema: { type: 'string' } } : { type: 'string' }]),
      );
    const models = Object.entries(response.responseModels ?? {});
    // Swagger 2 has one response schema: the first model's.
    if (oas3 && models.length > 0)
      entry.content = Object.fromEntries(
        models.map(([type, name]) => [type, { schema: { $ref: `#/components/schemas/${name}` } }]),
      );
    else if (models.length > 0) entry.schema = { $ref: `#/definitions/${models[0]![1]}` };
    out[code] = entry;
  }
  return out;
}

/** The method's security requirement; registers the schemes it names. */
function securityOf(
  method: Method,
  authorizers: Map<string, Authorizer>,
  schemes: Json,
  withAuthorizers: boolean,
): Json | undefined {
  const requirement: Json = {};
  const authorizer = method.authorizerId ? authorizers.get(method.authorizerId) : undefined;
  if (
    (method.authorizationType === 'CUSTOM' || method.authorizationType === 'COGNITO_USER_POOLS') &&
    authorizer
  ) {
    schemes[authorizer.name] = authorizerScheme(authorizer, withAuthorizers);
    requirement[authorizer.name] =
      method.authorizationType === 'COGNITO_USER_POOLS' ? (method.authorizationScopes ?? []) : [];
  }
  if (method.authorizationType === 'AWS_IAM') {
    schemes[SIGV4_SCHEME] = {
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'awsSigv4',
    };
    requirement[SIGV4_SCHEME] = [];
  }
  if (method.apiKeyRequired) {
    schemes[API_KEY_SCHEME] = { type: 'apiKey', name: 'x-api-key', in: 'header' };
    requirement[API_KEY_SCHEME] = [];
  }
  return Object.keys(requirement).length > 0 ? requirement : undefined;
}

// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authorizer.html
function authorizerScheme(authorizer: Authorizer, withExtension: boolean): Json {
  const header = /^method\.request\.header\.([^\s,]+)$/.exec(authorizer.identitySource ?? '')?.[1];
  const scheme: Json = {
    type: 'apiKey',
    name: authorizer.type === 'REQUEST' ? 'Unused' : (header ?? 'Authorization'),
    in: 'header',
    'x-amazon-apigateway-authtype':
      authorizer.type === 'COGNITO_USER_POOLS' ? 'cognito_user_pools' : 'custom',
  };
  if (!withExtension) return scheme;
  scheme['x-amazon-apigateway-authorizer'] = defined({
    type: authorizer.type.toLowerCase(),
    authorizerUri: authorizer.authorizerUri,
    authorizerCredentials: authorizer.authorizerCredentials,
    identitySource: authorizer.identitySource,
    identityValidationExpression: authorizer.identityValidationExpression,
    authorizerResultTtlInSeconds: authorizer.authorizerResultTtlInSeconds,
    providerARNs: authorizer.providerARNs,
  });
  return scheme;
}

// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-integration.html
function integration(integration: Integration, resource: Resource): Json {
  const responses = Object.values(integration.integrationResponses ?? {});
  return defined({
    type: integration.type.toLowerCase(),
    httpMethod: integration.httpMethod,
    uri: integration.uri,
    requestParameters: integration.requestParameters,
    requestTemplates: integration.requestTemplates,
    passthroughBehavior: integration.passthroughBehavior?.toLowerCase(),
    contentHandling: integration.contentHandling,
    timeoutInMillis: integration.timeoutInMillis,
    cacheNamespace: resource.id,
    cacheKeyParameters: integration.cacheKeyParameters,
    responses:
      responses.length === 0
        ? undefined
        : Object.fromEntries(
            responses.map((r) => [
              r.selectionPattern ?? 'default',
              defined({
                statusCode: r.statusCode,
                responseParameters: r.responseParameters,
                responseTemplates: r.responseTemplates,
                contentHandling: r.contentHandling,
              }),
            ]),
          ),
  });
}

function defined(obj: Json): Json {
  for (const key of Object.keys(obj)) if (obj[key] === undefined) delete obj[key];
  return obj;
}
