// What a deployed stage looks like to the data plane: compiled once per deployment, immutable,
// swapped atomically on redeploy. Nothing on the request path re-parses paths, policies or
// templates.
import type { AuthorizerType, Settings } from '../model/types.js';
import type { MethodSetting } from '../model/usage-plans.js';
import type { EdgeHop } from './http/edge-headers.js';
import type { IdentitySource } from './authorizers/identity-source.js';
import type { ExecutionLogLevel } from './execution-trace.js';
import type { JwtAuthorizer } from './authorizers/jwt/jwt-authorizer.js';
import type { Bucket } from './limits/token-bucket.js';
import type { GatewayRequest, AuthorizerOutcome, IamCaller, UsedApiKey } from './request.js';
import type { GatewayResponses } from './responses.js';
import type { Router } from './router.js';
import type { RequestCheck } from './validation/request-validation.js';

export interface CompiledAuthorizer {
  id: string;
  name: string;
  type: AuthorizerType;
  functionName: string;
  identitySource: IdentitySource;
  /** TOKEN only: identityValidationExpression, compiled. */
  validateToken: ((token: string) => boolean) | undefined;
  ttlSeconds: number;
}

/** Everything an integration needs to answer one request. */
export interface Exchange {
  request: GatewayRequest;
  stage: CompiledStage;
  method: CompiledMethod;
  pathParameters: Record<string, string> | null;
  authorizer: AuthorizerOutcome | undefined;
  /** AWS_IAM: the verified signer. */
  caller: IamCaller | undefined;
  /** apiKeyRequired: the key the request was admitted with (steps/api-key.ts). */
  apiKey?: UsedApiKey | undefined;
  /**
   * The request body as JSON when body validation parsed it (an empty body reads as `{}`, as
   * `$input` reads it), so a request template's `$input.json`/`$input.path` do not parse it again.
   */
  requestJson?: unknown;
}

/** An HTTP answer; headers as [name, value] pairs so repeated headers and case survive. */
export interface HttpAnswer {
  statusCode: number;
  headers: [string, string][];
  body: Buffer | string;
  /**
   * Set when a backend (a function, an HTTP endpoint) answered: API Gateway then returns its
   * trace as `X-Amzn-Trace-Id`; a MOCK answer has none.
   */
  traceRoot?: string;
}

export type IntegrationHandler = (exchange: Exchange) => Promise<HttpAnswer>;

/**
 * Who may call a method, from its authorizationType: exactly one of these, so the authorize
 * step is one switch and a method can never carry two authorizers.
 * https://docs.aws.amazon.com/apigateway/latest/api/API_Method.html
 */
export type MethodAuthorization =
  /** NONE: anyone. */
  | { readonly kind: 'none' }
  /** CUSTOM: a TOKEN or REQUEST Lambda authorizer. */
  | { readonly kind: 'lambda'; readonly authorizer: CompiledAuthorizer }
  /** COGNITO_USER_POOLS: the built-in JWT authorizer and the method's authorizationScopes. */
  | {
      readonly kind: 'jwt';
      readonly authorizer: JwtAuthorizer;
      readonly scopes: readonly string[] | undefined;
    }
  /** AWS_IAM: SigV4 with the gateway's access keys. */
  | { readonly kind: 'iam' };

export type AuthorizationKind = MethodAuthorization['kind'];

export interface CompiledMethod {
  httpMethod: string;
  resourceId: string;
  resourcePath: string;
  authorization: MethodAuthorization;
  apiKeyRequired: boolean;
  /** The stage's throttle for this method (methodSettings), a bucket per method; none: only
   *  the account's. */
  throttle: Bucket | undefined;
  /** Request validation (required parameters, body model); undefined: no validator applies. */
  validateRequest: RequestCheck | undefined;
  /** The stage's execution logging for this method (methodSettings); undefined: OFF. */
  executionLog?: ExecutionLogLevel;
  integrate: IntegrationHandler;
}

export interface CompiledStage {
  apiId: string;
  apiName: string;
  stageName: string;
  deploymentId: string;
  variables: Record<string, string>;
  settings: Settings;
  binaryMediaTypes: readonly string[];
  /** EDGE endpoint: the CloudFront hop its requests pass (http/edge-headers.ts); else undefined. */
  edge: EdgeHop | undefined;
  /** Where a metered request's API key comes from. */
  apiKeySource: 'HEADER' | 'AUTHORIZER';
  /** As deployed, so the node can tell when a stage update changes them. */
  methodSettings: Readonly<Record<string, MethodSetting>>;
  router: Router<CompiledMethod>;
  responses: GatewayResponses;
}
