// The model as API Gateway's control API returns it: one place that knows the JSON shapes
// (field names, defaults AWS fills in, timestamps as epoch seconds).
// https://docs.aws.amazon.com/apigateway/latest/api/API_Types.html
import { gatewayResponseDefault } from '../../gateway/responses.js';
import { endpointOf } from '../../model/endpoint-configuration.js';
import type {
  Authorizer,
  Deployment,
  GatewayResponse,
  GatewayResponseType,
  Integration,
  Method,
  Model,
  RequestValidator,
  Resource,
  RestApi,
  Stage,
} from '../../model/types.js';

type Json = Record<string, unknown>;

/** API Gateway's JSON timestamps are epoch seconds. */
export const epochSeconds = (ms: number): number => Math.floor(ms / 1000);

function defined(obj: Json): Json {
  for (const key of Object.keys(obj)) if (obj[key] === undefined) delete obj[key];
  return obj;
}

// https://docs.aws.amazon.com/apigateway/latest/api/API_RestApi.html
export function restApiWire(api: RestApi, rootResourceId: string | undefined): Json {
  return defined({
    id: api.id,
    name: api.name,
    description: api.description,
    createdDate: epochSeconds(api.createdDate),
    binaryMediaTypes: api.binaryMediaTypes.length > 0 ? api.binaryMediaTypes : undefined,
    minimumCompressionSize: api.minimumCompressionSize,
    apiKeySource: api.apiKeySource,
    endpointConfiguration: endpointOf(api),
    disableExecuteApiEndpoint: false,
    rootResourceId,
    tags: api.tags,
  });
}

// https://docs.aws.amazon.com/apigateway/latest/api/API_Resource.html
export function resourceWire(resource: Resource, embedMethods: boolean): Json {
  const methods = Object.entries(resource.resourceMethods).filter(([, m]) => m !== undefined);
  return defined({
    id: resource.id,
    parentId: resource.parentId,
    pathPart: resource.pathPart,
    path: resource.path,
    // Without embed=methods AWS lists each method as an empty object.
    resourceMethods:
      methods.length === 0
        ? undefined
        : Object.fromEntries(
            methods.map(([name, m]) => [name, embedMethods ? methodWire(m, resource) : {}]),
          ),
  });
}

// https://docs.aws.amazon.com/apigateway/latest/api/API_Method.html
export function methodWire(method: Method, resource: Resource): Json {
  return defined({
    httpMethod: method.httpMethod,
    authorizationType: method.authorizationType,
    authorizerId: method.authorizerId,
    apiKeyRequired: method.apiKeyRequired,
    operationName: method.operationName,
    requestParameters: method.requestParameters,
    requestModels: method.requestModels,
    requestValidatorId: method.requestValidatorId,
    authorizationScopes: method.authorizationScopes,
    methodResponses: method.methodResponses,
    methodIntegration: method.methodIntegration
      ? integrationWire(method.methodIntegration, resource)
      : undefined,
  });
}

// https://docs.aws.amazon.com/apigateway/latest/api/API_Integration.html
export function integrationWire(integration: Integration, resource: Resource): Json {
  const http = integration.type === 'HTTP' || integration.type === 'HTTP_PROXY';
  return defined({
    type: integration.type,
    httpMethod: integration.httpMethod,
    uri: integration.uri,
    connectionType: http ? 'INTERNET' : undefined,
    requestParameters: integration.requestParameters,
    requestTemplates: integration.requestTemplates,
    passthroughBehavior: integration.passthroughBehavior ?? 'WHEN_NO_MATCH',
    contentHandling: integration.contentHandling,
    timeoutInMillis: integration.timeoutInMillis,
    cacheNamespace: resource.id,
    cacheKeyParameters: integration.cacheKeyParameters ?? [],
    integrationResponses: integration.integrationResponses,
  });
}

// https://docs.aws.amazon.com/apigateway/latest/api/API_Authorizer.html
export function authorizerWire(authorizer: Authorizer): Json {
  return defined({
    id: authorizer.id,
    name: authorizer.name,
    type: authorizer.type,
    providerARNs: authorizer.providerARNs,
    authType: authorizer.type === 'COGNITO_USER_POOLS' ? 'cognito_user_pools' : 'custom',
    authorizerUri: authorizer.authorizerUri,
    authorizerCredentials: authorizer.authorizerCredentials,
    identitySource: authorizer.identitySource,
    identityValidationExpression: authorizer.identityValidationExpression,
    authorizerResultTtlInSeconds: authorizer.authorizerResultTtlInSeconds,
  });
}

// https://docs.aws.amazon.com/apigateway/latest/api/API_Deployment.html
export function deploymentWire(deployment: Deployment, embedSummary = false): Json {
  return defined({
    id: deployment.id,
    description: deployment.description,
    createdDate: epochSeconds(deployment.createdDate),
    apiSummary: embedSummary ? apiSummary(deployment) : undefined,
  });
}

/** `{path: {METHOD: {authorizationType, apiKeyRequired}}}`, GetDeployment's `embed=apisummary`. */
function apiSummary(deployment: Deployment): Json {
  const summary: Json = {};
  for (const resource of deployment.snapshot.resources) {
    const methods = Object.values(resource.resourceMethods).filter((m) => m !== undefined);
    if (methods.length === 0) continue;
    summary[resource.path] = Object.fromEntries(
      methods.map((m) => [
        m.httpMethod,
        { authorizationType: m.authorizationType, apiKeyRequired: m.apiKeyRequired },
      ]),
    );
  }
  return summary;
}

// https://docs.aws.amazon.com/apigateway/latest/api/API_Stage.html
export function stageWire(stage: Stage): Json {
  return defined({
    deploymentId: stage.deploymentId,
    stageName: stage.stageName,
    description: stage.description,
    cacheClusterEnabled: false,
    cacheClusterStatus: 'NOT_AVAILABLE',
    methodSettings: stage.methodSettings ?? {},
    variables: Object.keys(stage.variables).length > 0 ? stage.variables : undefined,
    accessLogSettings: stage.accessLogSettings,
    tracingEnabled: false,
    createdDate: epochSeconds(stage.createdDate),
    lastUpdatedDate: epochSeconds(stage.lastUpdatedDate),
  });
}

const DEFAULT_TEMPLATE = { 'application/json': '{"message":$context.error.messageString}' };

// https://docs.aws.amazon.com/apigateway/latest/api/API_GatewayResponse.html
export function gatewayResponseWire(
  type: GatewayResponseType,
  override: GatewayResponse | undefined,
  /** The API's DEFAULT_4XX or DEFAULT_5XX, whichever covers `type`'s default status. */
  family?: GatewayResponse,
): Json {
  // DEFAULT_4XX and DEFAULT_5XX have no status of their own in GetGatewayResponses.
  const generic = type === 'DEFAULT_4XX' || type === 'DEFAULT_5XX';
  const ownStatus = generic ? undefined : String(gatewayResponseDefault(type).status);
  if (!override) {
    // A type left at its default takes what the API set on its DEFAULT_4XX/5XX, and stays a
    // default response (test_gateway_response_put: API_CONFIGURATION_ERROR after DEFAULT_5XX).
    return defined({
      responseType: type,
      statusCode: family?.statusCode ?? ownStatus,
      responseParameters: family?.responseParameters ?? {},
      responseTemplates: family?.responseTemplates ?? DEFAULT_TEMPLATE,
      defaultResponse: true,
    });
  }
  // What PutGatewayResponse leaves out keeps the type's default: its status and AWS's template
  // (test_gateway_response_put: status-only, response-parameters-only).
  return defined({
    responseType: type,
    statusCode: override.statusCode ?? ownStatus,
    responseParameters: override.responseParameters ?? {},
    responseTemplates: override.responseTemplates ?? DEFAULT_TEMPLATE,
    defaultResponse: false,
  });
}

// https://docs.aws.amazon.com/apigateway/latest/api/API_Model.html
export function modelWire(model: Model): Json {
  return defined({
    id: model.id,
    name: model.name,
    description: model.description,
    schema: model.schema,
    contentType: model.contentType,
  });
}

// https://docs.aws.amazon.com/apigateway/latest/api/API_RequestValidator.html
export function requestValidatorWire(validator: RequestValidator): Json {
  return defined({
    id: validator.id,
    name: validator.name,
    validateRequestBody: validator.validateRequestBody,
    validateRequestParameters: validator.validateRequestParameters,
  });
}
