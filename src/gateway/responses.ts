// Gateway responses: every answer the gateway gives on its own behalf is rendered here, from
// AWS's defaults or the API's overrides (x-amazon-apigateway-gateway-responses).
// https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-gatewayResponse-definition.html
import type { GatewayResponse, GatewayResponseType } from '../model/types.js';
import type { CompiledStage } from './compiled-api.js';
import { InternalServerError, type GatewayResponseError } from './errors.js';
import { compileTemplate, type CompiledTemplate } from './mapping/vtl.js';
import type { AuthorizerOutcome, GatewayRequest } from './request.js';

interface Default {
  status: number;
  errorType: string;
}

/** AWS's default status and `x-amzn-ErrorType` per gateway response type. */
const DEFAULTS: Record<GatewayResponseType, Default> = {
  ACCESS_DENIED: { status: 403, errorType: 'AccessDeniedException' },
  API_CONFIGURATION_ERROR: { status: 500, errorType: 'ApiConfigurationException' },
  AUTHORIZER_CONFIGURATION_ERROR: { status: 500, errorType: 'AuthorizerConfigurationException' },
  AUTHORIZER_FAILURE: { status: 500, errorType: 'AuthorizerFailureException' },
  BAD_REQUEST_PARAMETERS: { status: 400, errorType: 'BadRequestException' },
  BAD_REQUEST_BODY: { status: 400, errorType: 'BadRequestException' },
  DEFAULT_4XX: { status: 400, errorType: 'BadRequestException' },
  DEFAULT_5XX: { status: 500, errorType: 'InternalServerErrorException' },
  EXPIRED_TOKEN: { status: 403, errorType: 'ExpiredTokenException' },
  INTEGRATION_FAILURE: { status: 504, errorType: 'InternalServerErrorException' },
  INTEGRATION_TIMEOUT: { status: 504, errorType: 'InternalServerErrorException' },
  INVALID_API_KEY: { status: 403, errorType: 'ForbiddenException' },
  INVALID_SIGNATURE: { status: 403, errorType: 'InvalidSignatureException' },
  MISSING_AUTHENTICATION_TOKEN: { status: 403, errorType: 'MissingAuthenticationTokenException' },
  QUOTA_EXCEEDED: { status: 429, errorType: 'LimitExceededException' },
  REQUEST_TOO_LARGE: { status: 413, errorType: 'RequestTooLargeException' },
  RESOURCE_NOT_FOUND: { status: 404, errorType: 'ResourceNotFoundException' },
  THROTTLED: { status: 429, errorType: 'TooManyRequestsException' },
  UNAUTHORIZED: { status: 401, errorType: 'UnauthorizedException' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, errorType: 'BadRequestException' },
  WAF_FILTERED: { status: 403, errorType: 'WafFilteredException' },
};

export interface RenderedResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** What a response template can see: `$context.*` and `$stageVariables.*`. */
export interface ResponseContext {
  requestId: string;
  stage: string;
  apiId: string;
  stageVariables: Record<string, string>;
  /** Request header/query/path values for `method.request.*` in responseParameters. */
  methodRequest?: (expression: string) => string | undefined;
  /** The request, when it got far enough to be read: `$context.httpMethod`, `identity`, … */
  request?: GatewayRequest;
}

interface CompiledOverride {
  status: number | undefined;
  headers: [string, string][];
  template: CompiledTemplate | undefined;
}

/** The API's gateway responses, compiled once per deployment. */
export class GatewayResponses {
  readonly #overrides = new Map<GatewayResponseType, CompiledOverride>();

  constructor(overrides: Partial<Record<GatewayResponseType, GatewayResponse>> = {}) {
    for (const [type, response] of Object.entries(overrides) as [
      GatewayResponseType,
      GatewayResponse,
    ][]) {
      const template = response.responseTemplates?.['application/json'];
      this.#overrides.set(type, {
        status: response.statusCode ? Number(response.statusCode) : undefined,
        headers: Object.entries(response.responseParameters ?? {}).flatMap(([key, value]) => {
          const m = /^gatewayresponse\.header\.(.+)$/.exec(key);
          return m ? [[m[1]!, value] as [string, string]] : [];
        }),
        template: template === undefined ? undefined : compileTemplate(template),
      });
    }
  }

  render(error: GatewayResponseError, ctx: ResponseContext): RenderedResponse {
    const fallback = DEFAULTS[error.responseType];
    const status = error.statusOverride ?? fallback.status;
    const errorType = error.errorTypeOverride ?? fallback.errorType;
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'x-amzn-RequestId': ctx.requestId,
      'x-amzn-ErrorType': errorType,
    };
    // A type without its own override falls back to the API's DEFAULT_4XX / DEFAULT_5XX.
    const override =
      this.#overrides.get(error.responseType) ??
      this.#overrides.get(status >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX');
    if (!override) return { statusCode: status, headers, body: defaultBody(error) };

    for (const [name, value] of override.headers) {
      headers[name] = resolveParameter(value, ctx) ?? '';
    }
    const body = override.template
      ? override.template.render({
          context: contextFor(error, ctx, errorType),
          stageVariables: ctx.stageVariables,
        })
      : defaultBody(error);
    return { statusCode: override.status ?? status, headers, body };
  }
}

/**
 * AWS's default template is `{"message":$context.error.messageString}`. For a policy that denies,
 * AWS answers with a capitalised `Message` key instead, as seen in real responses:
 * `{"Message":"User is not authorized to access this resource with an explicit deny"}`.
 */
function defaultBody(error: GatewayResponseError): string {
  const key = error.responseType === 'ACCESS_DENIED' ? 'Message' : 'message';
  return `{"${key}":${JSON.stringify(error.messageString)}}`;
}

/**
 * `$context` of a gateway response's template: the request's variables as far as the request got,
 * the authorizer's answer when one ran (an ACCESS_DENIED template may name
 * `$context.authorizer.principalId`), and `$context.error.*`.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-gatewayResponse-definition.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html#context-variable-reference
 */
function contextFor(error: GatewayResponseError, ctx: ResponseContext, errorType: string) {
  const request = ctx.request;
  return {
    requestId: ctx.requestId,
    extendedRequestId: request?.extendedRequestId ?? ctx.requestId,
    stage: ctx.stage,
    apiId: ctx.apiId,
    httpMethod: request?.httpMethod,
    path: request && `/${ctx.stage}${request.path}`,
    domainName: request?.domainName,
    requestTimeEpoch: request?.requestTimeEpoch,
    identity: request && {
      sourceIp: request.sourceIp,
      userAgent: request.headersLower.get('user-agent'),
    },
    authorizer: authorizerVariables(error.authorizer),
    error: {
      message: error.messageString,
      messageString: JSON.stringify(error.messageString),
      responseType: error.responseType,
      validationErrorString: error.validationErrorString,
    },
    errorType,
  };
}

/**
 * `$context.authorizer.*`: principalId and the context's values, as strings (as REST APIs pass
 * them). A key the authorizer did not set (or no authorizer at all) renders empty, as an unset
 * `$context` variable does on AWS, rather than as the literal reference Velocity would print.
 */
function authorizerVariables(authorizer: AuthorizerOutcome | undefined): Record<string, string> {
  const values = new Map<string, string>();
  if (authorizer) {
    values.set('principalId', authorizer.principalId);
    for (const [key, value] of Object.entries(authorizer.context)) values.set(key, String(value));
  }
  return new Proxy(Object.create(null) as Record<string, string>, {
    get: (_, key) => (typeof key === 'string' ? (values.get(key) ?? '') : undefined),
  });
}

/** Header values are `'literal'`, `method.request.header.X` or `stageVariables.X`. */
function resolveParameter(expression: string, ctx: ResponseContext): string | undefined {
  if (expression.startsWith("'") && expression.endsWith("'")) return expression.slice(1, -1);
  if (expression.startsWith('stageVariables.')) {
    return ctx.stageVariables[expression.slice('stageVariables.'.length)];
  }
  if (expression.startsWith('method.request.')) return ctx.methodRequest?.(expression);
  return undefined;
}

/** AWS's default status and `x-amzn-ErrorType` of a response type (GetGatewayResponses lists them). */
export function gatewayResponseDefault(type: GatewayResponseType): Readonly<Default> {
  return DEFAULTS[type];
}

const DEFAULT_RESPONSES = new GatewayResponses();

/**
 * The one way a GatewayResponseError becomes an answer, for the listener and for
 * TestInvokeMethod alike: the stage's gateway responses, or AWS's defaults when the request
 * ended before a stage was found.
 */
export function renderGatewayError(
  error: GatewayResponseError,
  stage: CompiledStage | undefined,
  requestId: string,
  request?: GatewayRequest,
): RenderedResponse {
  if (stage === undefined)
    return DEFAULT_RESPONSES.render(error, { requestId, stage: '', apiId: '', stageVariables: {} });
  return stage.responses.render(error, {
    requestId,
    stage: stage.stageName,
    apiId: stage.apiId,
    stageVariables: stage.variables,
    request,
  });
}

/** The last resort when something of ours failed: AWS's default 500, never a stack trace. */
export function renderInternalError(requestId: string): RenderedResponse {
  return renderGatewayError(new InternalServerError(), undefined, requestId);
}
