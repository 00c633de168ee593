// AWS's own resource model, with AWS's field names, so the control plane, OpenAPI import and
// the data plane all speak one language.
// https://docs.aws.amazon.com/apigateway/latest/api/API_Types.html
// https://docs.aws.amazon.com/lambda/latest/api/API_FunctionConfiguration.html

import type { MethodSetting } from './usage-plans.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS' | 'ANY';

export type IntegrationType = 'AWS' | 'AWS_PROXY' | 'HTTP' | 'HTTP_PROXY' | 'MOCK';

export interface IntegrationResponse {
  statusCode: string;
  /** Regex matched against the error message (Lambda) or status code (HTTP); absent = default. */
  selectionPattern?: string;
  responseParameters?: Record<string, string>;
  responseTemplates?: Record<string, string>;
  contentHandling?: 'CONVERT_TO_BINARY' | 'CONVERT_TO_TEXT';
}

export interface Integration {
  type: IntegrationType;
  httpMethod?: string;
  uri?: string;
  requestParameters?: Record<string, string>;
  requestTemplates?: Record<string, string>;
  passthroughBehavior?: 'WHEN_NO_MATCH' | 'WHEN_NO_TEMPLATES' | 'NEVER';
  contentHandling?: 'CONVERT_TO_BINARY' | 'CONVERT_TO_TEXT';
  timeoutInMillis: number;
  cacheKeyParameters?: string[];
  integrationResponses?: Record<string, IntegrationResponse>;
}

export interface MethodResponse {
  statusCode: string;
  responseParameters?: Record<string, boolean>;
  responseModels?: Record<string, string>;
}

export type AuthorizationType = 'NONE' | 'CUSTOM' | 'AWS_IAM' | 'COGNITO_USER_POOLS';

export interface Method {
  httpMethod: HttpMethod;
  authorizationType: AuthorizationType;
  authorizerId?: string;
  authorizationScopes?: string[];
  apiKeyRequired: boolean;
  operationName?: string;
  requestParameters?: Record<string, boolean>;
  /** Content type (or `$default`) → model name, for body validation. */
  requestModels?: Record<string, string>;
  /** The API's RequestValidator that checks this method's requests. */
  requestValidatorId?: string;
  methodResponses?: Record<string, MethodResponse>;
  methodIntegration?: Integration;
}

/**
 * A data model: a JSON Schema draft 4 document, kept as the text AWS stores. References to other
 * models use AWS's form `https://apigateway.amazonaws.com/restapis/{api}/models/{name}`.
 * https://docs.aws.amazon.com/apigateway/latest/api/API_Model.html
 */
export interface Model {
  id: string;
  name: string;
  description?: string;
  schema?: string;
  contentType: string;
}

/** https://docs.aws.amazon.com/apigateway/latest/api/API_RequestValidator.html */
export interface RequestValidator {
  id: string;
  /** Optional in CreateRequestValidator. */
  name?: string;
  validateRequestBody: boolean;
  validateRequestParameters: boolean;
}

export interface Resource {
  id: string;
  parentId?: string;
  pathPart?: string;
  /** Full path, e.g. `/pets/{petId}`; `/` for the root resource. */
  path: string;
  resourceMethods: Partial<Record<HttpMethod, Method>>;
}

export type AuthorizerType = 'TOKEN' | 'REQUEST' | 'COGNITO_USER_POOLS';

export interface Authorizer {
  id: string;
  name: string;
  type: AuthorizerType;
  /** `arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{functionArn}/invocations` */
  authorizerUri?: string;
  authorizerCredentials?: string;
  /** Comma-separated mapping expressions, e.g. `method.request.header.Authorization`. */
  identitySource?: string;
  identityValidationExpression?: string;
  /** Default 300, 0 disables caching, max 3600. */
  authorizerResultTtlInSeconds: number;
  providerARNs?: string[];
  /**
   * Sallyport's built-in JWT verification for COGNITO_USER_POOLS authorizers (from the
   * `x-sallyport-jwt` extension): any OIDC issuer instead of, or besides, a Cognito user pool.
   * Field names follow API Gateway's own JWTConfiguration (issuer, audience).
   */
  jwtConfiguration?: JwtConfiguration;
}

export interface JwtConfiguration {
  /** Exactly the tokens' `iss`; derived from providerARNs when absent. */
  issuer?: string;
  /** `aud` (or, without `aud`, `client_id`) must be one of these; absent = not checked. */
  audience?: string[];
  /** Where the signing keys are; absent = `jwks_uri` from `{issuer}/.well-known/openid-configuration`. */
  jwksUri?: string;
  /** Tolerance for `exp` / `nbf` / `iat`, seconds (default 0). */
  clockSkewSeconds?: number;
  /** Accepted `alg` values (default RS256). */
  algorithms?: string[];
  /** How long fetched signing keys are trusted, seconds (default 600). */
  jwksCacheSeconds?: number;
  /** Least time between two JWKS fetches (kid miss, failure), seconds (default 30). */
  jwksCooldownSeconds?: number;
  /** Deadline of one JWKS or discovery fetch, milliseconds (default 3000). */
  jwksTimeoutMs?: number;
}

export type GatewayResponseType =
  | 'ACCESS_DENIED'
  | 'API_CONFIGURATION_ERROR'
  | 'AUTHORIZER_CONFIGURATION_ERROR'
  | 'AUTHORIZER_FAILURE'
  | 'BAD_REQUEST_PARAMETERS'
  | 'BAD_REQUEST_BODY'
  | 'DEFAULT_4XX'
  | 'DEFAULT_5XX'
  | 'EXPIRED_TOKEN'
  | 'INTEGRATION_FAILURE'
  | 'INTEGRATION_TIMEOUT'
  | 'INVALID_API_KEY'
  | 'INVALID_SIGNATURE'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'QUOTA_EXCEEDED'
  | 'REQUEST_TOO_LARGE'
  | 'RESOURCE_NOT_FOUND'
  | 'THROTTLED'
  | 'UNAUTHORIZED'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'WAF_FILTERED';

/** A per-API override of a gateway response (`x-amazon-apigateway-gateway-responses`). */
export interface GatewayResponse {
  responseType: GatewayResponseType;
  statusCode?: string;
  responseParameters?: Record<string, string>;
  responseTemplates?: Record<string, string>;
}

export interface RestApi {
  id: string;
  name: string;
  description?: string;
  createdDate: number;
  binaryMediaTypes: string[];
  minimumCompressionSize?: number;
  apiKeySource: 'HEADER' | 'AUTHORIZER';
  /** Absent on APIs stored before it was kept: AWS's default, EDGE over ipv4. */
  endpointConfiguration?: EndpointConfiguration;
  tags?: Record<string, string>;
}

/** https://docs.aws.amazon.com/apigateway/latest/api/API_EndpointConfiguration.html */
export interface EndpointConfiguration {
  /** Exactly one of EDGE, REGIONAL, PRIVATE. */
  types: string[];
  /** Absent on APIs stored before it was kept (read through `endpointOf`). */
  ipAddressType?: 'ipv4' | 'dualstack';
}

/**
 * Everything a stage serves, frozen at deployment time: nothing reaches callers until it is
 * deployed, exactly as in AWS.
 */
export interface ApiSnapshot {
  api: RestApi;
  resources: Resource[];
  authorizers: Authorizer[];
  gatewayResponses: Partial<Record<GatewayResponseType, GatewayResponse>>;
  /** Absent in deployments made before models existed. */
  models?: Model[];
  requestValidators?: RequestValidator[];
}

export interface Deployment {
  id: string;
  restApiId: string;
  description?: string;
  createdDate: number;
  snapshot: ApiSnapshot;
}

export interface Stage {
  stageName: string;
  restApiId: string;
  deploymentId: string;
  description?: string;
  variables: Record<string, string>;
  accessLogSettings?: AccessLogSettings;
  /** Per method (`{path without leading /}/{METHOD}`) or for all (`*\/*`); see usage-plans.ts. */
  methodSettings?: Record<string, MethodSetting>;
  createdDate: number;
  lastUpdatedDate: number;
}

/**
 * Where and how a stage logs each request. `destinationArn` is kept and returned as AWS does;
 * locally every stage's lines go where `serve --access-log` says.
 * https://docs.aws.amazon.com/apigateway/latest/api/API_AccessLogSettings.html
 */
export interface AccessLogSettings {
  format?: string;
  destinationArn?: string;
}

export type NodeRuntime = 'nodejs18.x' | 'nodejs20.x' | 'nodejs22.x';
export type PythonRuntime = 'python3.9' | 'python3.10' | 'python3.11' | 'python3.12' | 'python3.13';
/** OS-only runtimes: the function brings its own `bootstrap` executable. */
export type ProvidedRuntime = 'provided' | 'provided.al2' | 'provided.al2023';
/**
 * Runtimes AWS Lambda no longer runs, still named by old projects: each runs on the nearest
 * supported one, with a warning (functions/runtimes/runtime-versions.ts).
 */
export type DeprecatedRuntime =
  | 'python2.7'
  | 'python3.6'
  | 'python3.7'
  | 'python3.8'
  | 'nodejs'
  | 'nodejs4.3'
  | 'nodejs4.3-edge'
  | 'nodejs6.10'
  | 'nodejs8.10'
  | 'nodejs10.x'
  | 'nodejs12.x'
  | 'nodejs14.x'
  | 'nodejs16.x';
export type FunctionRuntime = NodeRuntime | PythonRuntime | ProvidedRuntime | DeprecatedRuntime;

/**
 * Where a function's execution environments live (Sallyport's own setting, not Lambda's): worker
 * threads in the gateway's process (Node.js only), one child process each speaking the Lambda
 * Runtime API, or such a process in a sandbox (its own uid, namespaces and cgroup). See
 * docs/security.md, "Isolation levels".
 */
export type FunctionIsolation = 'thread' | 'process' | 'sandbox';

/** A Lambda function as the project runs it; `Code` is an absolute folder path. */
export interface FunctionConfig {
  FunctionName: string;
  Runtime: FunctionRuntime;
  Handler: string;
  Code: string;
  /** Seconds; default 3, as Lambda. */
  Timeout: number;
  /** MB; default 128, as Lambda. */
  MemorySize: number;
  Environment: { Variables: Record<string, string> };
  /** Absent: `serve --isolation` (default `thread`; `process` for runtimes threads cannot run). */
  Isolation?: FunctionIsolation;
  /**
   * Which version of the code this is (the stored CodeHash): a new version gets fresh
   * environments even when nothing else changed (`serve --watch`, UpdateFunctionCode).
   */
  CodeVersion?: string;
}

/** Where ARNs point: the account and region this gateway pretends to be. */
export interface Settings {
  region: string;
  accountId: string;
}

export const DEFAULT_SETTINGS: Settings = { region: 'us-east-1', accountId: '123456789012' };
