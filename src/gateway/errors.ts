// Every way a request can end before (or instead of) the integration's own answer. Each error
// names the AWS gateway response type it renders as; responses.ts is the one table that turns a
// type into AWS's status, body and x-amzn-ErrorType.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
import { SallyportError, type SigV4ErrorCode } from '../errors.js';
import type { GatewayResponseType } from '../model/types.js';
import type { AuthorizerOutcome } from './request.js';

export abstract class GatewayResponseError extends SallyportError {
  readonly responseType: GatewayResponseType;
  /** `$context.error.messageString`'s raw message; null renders as JSON `null`, as AWS does. */
  readonly messageString: string | null;
  /** For answers AWS gives outside the gateway-response table (e.g. Lambda proxy's 502). */
  readonly statusOverride: number | undefined;
  readonly errorTypeOverride: string | undefined;
  /** `$context.error.validationErrorString`: what request validation found; empty otherwise. */
  readonly validationErrorString: string = '';
  /** What the authorizer answered, when one ran: a template's `$context.authorizer.*`. */
  authorizer: AuthorizerOutcome | undefined;

  constructor(
    responseType: GatewayResponseType,
    message: string | null,
    override?: { status: number; errorType: string },
  ) {
    // A gateway response is an expected outcome, not a bug: skip the stack capture, which
    // costs more than the rest of a 403 answer (seen in CPU profiles under scanner traffic).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message ?? responseType);
    Error.stackTraceLimit = limit;
    this.responseType = responseType;
    this.messageString = message;
    this.statusOverride = override?.status;
    this.errorTypeOverride = override?.errorType;
  }
}

export class MissingAuthenticationTokenError extends GatewayResponseError {
  readonly code = 'ERR_MISSING_AUTHENTICATION_TOKEN';
  constructor() {
    super('MISSING_AUTHENTICATION_TOKEN', 'Missing Authentication Token');
  }
}

export class UnauthorizedError extends GatewayResponseError {
  readonly code = 'ERR_UNAUTHORIZED';
  constructor() {
    super('UNAUTHORIZED', 'Unauthorized');
  }
}

/** The authorizer's policy denies the method ARN explicitly, or allows nothing that matches. */
export class AccessDeniedError extends GatewayResponseError {
  readonly code = 'ERR_ACCESS_DENIED';
  constructor(explicit: boolean, authorizer?: AuthorizerOutcome) {
    super(
      'ACCESS_DENIED',
      explicit
        ? 'User is not authorized to access this resource with an explicit deny'
        : 'User is not authorized to access this resource',
    );
    this.authorizer = authorizer;
  }
}

/** The authorizer function failed or returned something API Gateway cannot use. */
export class AuthorizerConfigurationError extends GatewayResponseError {
  readonly code = 'ERR_AUTHORIZER_CONFIGURATION';
  readonly reason: string;
  constructor(reason: string) {
    super('AUTHORIZER_CONFIGURATION_ERROR', null);
    this.reason = reason;
  }
}

/**
 * A Lambda proxy function failed or answered in a shape API Gateway rejects: AWS answers 502
 * `{"message": "Internal server error"}` (rendered through DEFAULT_5XX, not INTEGRATION_FAILURE).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-output-format
 */
export class BadGatewayError extends GatewayResponseError {
  readonly code = 'ERR_BAD_GATEWAY';
  readonly reason: string;
  constructor(reason: string) {
    super('DEFAULT_5XX', 'Internal server error', {
      status: 502,
      errorType: 'InternalServerErrorException',
    });
    this.reason = reason;
  }
}

/** An HTTP backend could not be reached (INTEGRATION_FAILURE, 504 by default). */
export class IntegrationFailureError extends GatewayResponseError {
  readonly code = 'ERR_INTEGRATION_FAILURE';
  readonly reason: string;
  constructor(reason: string) {
    super('INTEGRATION_FAILURE', 'Internal server error');
    this.reason = reason;
  }
}

/** The stage (or API) named in the URL is not deployed. */
export class StageNotFoundError extends GatewayResponseError {
  readonly code = 'ERR_STAGE_NOT_FOUND';
  constructor() {
    super('DEFAULT_4XX', 'Forbidden', { status: 403, errorType: 'ForbiddenException' });
  }
}

/** A bug of ours surfaced while answering: the caller gets AWS's plain 500, nothing more. */
export class InternalServerError extends GatewayResponseError {
  readonly code = 'ERR_INTERNAL';
  constructor() {
    super('DEFAULT_5XX', 'Internal server error');
  }
}

export class IntegrationTimeoutError extends GatewayResponseError {
  readonly code = 'ERR_INTEGRATION_TIMEOUT';
  constructor() {
    super('INTEGRATION_TIMEOUT', 'Endpoint request timed out');
  }
}

export class RequestTooLargeError extends GatewayResponseError {
  readonly code = 'ERR_REQUEST_TOO_LARGE';
  constructor() {
    super('REQUEST_TOO_LARGE', 'Request Too Long');
  }
}

export class ApiConfigurationError extends GatewayResponseError {
  readonly code = 'ERR_API_CONFIGURATION';
  readonly reason: string;
  constructor(reason: string) {
    super('API_CONFIGURATION_ERROR', 'Internal server error');
    this.reason = reason;
  }
}

/**
 * No request template matches the Content-Type and the passthrough behaviour (NEVER, or
 * WHEN_NO_TEMPLATES with templates defined) refuses to pass the payload on: 415.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/integration-passthrough-behaviors.html
 */
export class UnsupportedMediaTypeError extends GatewayResponseError {
  readonly code = 'ERR_UNSUPPORTED_MEDIA_TYPE';
  constructor() {
    super('UNSUPPORTED_MEDIA_TYPE', 'Unsupported Media Type');
  }
}

/**
 * The integration request for a Lambda custom integration is not JSON, so Lambda cannot take it
 * as an event: AWS answers 400 with Lambda's reason.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-custom-integrations.html
 */
export class LambdaRequestNotJsonError extends GatewayResponseError {
  readonly code = 'ERR_LAMBDA_REQUEST_NOT_JSON';
  constructor(reason: string) {
    super('DEFAULT_4XX', `Could not parse request body into json: ${reason}`, {
      status: 400,
      errorType: 'BadRequestException',
    });
  }
}

/** Invoking the function of a Lambda custom integration failed (throttled, queue full, …): 500. */
export class LambdaInvocationError extends GatewayResponseError {
  readonly code = 'ERR_LAMBDA_INVOCATION';
  readonly reason: string;
  constructor(reason: string) {
    super('DEFAULT_5XX', 'Internal server error', {
      status: 500,
      errorType: 'InternalServerErrorException',
    });
    this.reason = reason;
  }
}

/**
 * A request path whose meaning depends on who reads it (dot segments, encoded slashes, `//`,
 * malformed escapes): refused before routing, as AWS does not document these (request-path.ts).
 * Rendered through DEFAULT_4XX with status 400.
 */
export class BadRequestPathError extends GatewayResponseError {
  readonly code = 'ERR_BAD_REQUEST_PATH';
  readonly reason: string;
  constructor(reason: string) {
    super('DEFAULT_4XX', 'Bad Request');
    this.reason = `refused request path: ${reason}`;
  }
}

/**
 * An AWS_IAM method's SigV4 check failed. The type follows AWS's answer: an unsigned request is
 * MISSING_AUTHENTICATION_TOKEN, a wrong or stale signature INVALID_SIGNATURE (403
 * InvalidSignatureException); an unknown access key or a malformed Authorization header is a 403
 * with its own x-amzn-ErrorType (UnrecognizedClientException, IncompleteSignatureException),
 * rendered through DEFAULT_4XX as AWS has no response type for them.
 * https://repost.aws/knowledge-center/api-gateway-iam-sigv4-mismatch
 */
export class IamAuthenticationError extends GatewayResponseError {
  readonly code = 'ERR_IAM_AUTHENTICATION';
  constructor(code: SigV4ErrorCode, message: string) {
    if (code === 'MissingAuthenticationTokenException')
      super('MISSING_AUTHENTICATION_TOKEN', message);
    else if (code === 'InvalidSignatureException') super('INVALID_SIGNATURE', message);
    else super('DEFAULT_4XX', message, { status: 403, errorType: code });
  }
}

/**
 * The function's resource policy does not let API Gateway invoke it: AWS answers 500 and logs
 * "Execution failed due to configuration error: Invalid permissions on Lambda function".
 * https://repost.aws/knowledge-center/api-gateway-rest-api-lambda-integrations
 */
export class LambdaPermissionError extends GatewayResponseError {
  readonly code = 'ERR_LAMBDA_PERMISSION';
  readonly reason: string;
  constructor(functionName: string) {
    super('DEFAULT_5XX', 'Internal server error', {
      status: 500,
      errorType: 'InternalServerErrorException',
    });
    this.reason = `Invalid permissions on Lambda function ${functionName}`;
    // The line AWS's execution log shows; the caller sees only the generic 500.
    this.message = `Execution failed due to configuration error: ${this.reason}`;
  }
}

/**
 * A required method request parameter is missing or blank (a validator with
 * validateRequestParameters). AWS's words, names in the order of their mapping expressions:
 * `Missing required request parameters: [a, b]`.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html
 */
export class BadRequestParametersError extends GatewayResponseError {
  readonly code = 'ERR_BAD_REQUEST_PARAMETERS';
  override readonly validationErrorString: string;
  constructor(missing: readonly string[]) {
    const message = `Missing required request parameters: [${missing.join(', ')}]`;
    super('BAD_REQUEST_PARAMETERS', message);
    this.validationErrorString = message;
  }
}

/**
 * The body does not match the method's model (a validator with validateRequestBody): AWS answers
 * `{"message": "Invalid request body"}`; the schema's findings are in validationErrorString.
 */
export class BadRequestBodyError extends GatewayResponseError {
  readonly code = 'ERR_BAD_REQUEST_BODY';
  override readonly validationErrorString: string;
  constructor(validationErrorString: string) {
    super('BAD_REQUEST_BODY', 'Invalid request body');
    this.validationErrorString = validationErrorString;
  }
}

/**
 * The Lambda function an integration names does not exist (a stage variable chose it, or it was
 * deleted): AWS deployed the API and answers 500 at request time, the reason in its log.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/aws-api-gateway-stage-variables-reference.html
 */
export class LambdaFunctionNotFoundError extends GatewayResponseError {
  readonly code = 'ERR_LAMBDA_FUNCTION_NOT_FOUND';
  readonly reason: string;
  constructor(functionName: string) {
    super('DEFAULT_5XX', 'Internal server error', {
      status: 500,
      errorType: 'InternalServerErrorException',
    });
    this.reason = `Lambda function ${functionName} does not exist`;
    this.message = `Execution failed due to configuration error: ${this.reason}`;
  }
}

/**
 * A deployment that cannot be served (a missing function or authorizer, an unsupported
 * integration, a bad mapping expression): compile throws this and nothing else, and the stage
 * keeps serving what it served before.
 */
export class DeploymentError extends SallyportError {
  readonly code = 'ERR_DEPLOYMENT';
}

/**
 * A method with `apiKeyRequired` and no key, an unknown or disabled key, or a key in no usage plan
 * of this stage: 403 `{"message":"Forbidden"}`.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
 */
export class InvalidApiKeyError extends GatewayResponseError {
  readonly code = 'ERR_INVALID_API_KEY';
  readonly reason: string;
  constructor(reason: string) {
    super('INVALID_API_KEY', 'Forbidden');
    this.reason = reason;
  }
}

/**
 * A throttle's bucket is empty: 429 `{"message":"Too Many Requests"}`.
 * https://repost.aws/knowledge-center/api-gateway-429-limit
 */
export class ThrottledError extends GatewayResponseError {
  readonly code = 'ERR_THROTTLED';
  constructor() {
    super('THROTTLED', 'Too Many Requests');
  }
}

/**
 * The usage plan's quota for this key is spent: 429 `{"message":"Limit Exceeded"}`.
 * https://repost.aws/knowledge-center/api-gateway-429-limit
 */
export class QuotaExceededError extends GatewayResponseError {
  readonly code = 'ERR_QUOTA_EXCEEDED';
  constructor() {
    super('QUOTA_EXCEEDED', 'Limit Exceeded');
  }
}

/**
 * The shared counters (Redis) cannot be reached and `--redis-unavailable refuse` is set: 503.
 * AWS has no such answer (its counters are its own); this is Sallyport's.
 */
export class LimitsUnavailableError extends GatewayResponseError {
  readonly code = 'ERR_LIMITS_UNAVAILABLE';
  readonly reason: string;
  constructor(reason: string) {
    super('DEFAULT_5XX', 'Service Unavailable', {
      status: 503,
      errorType: 'ServiceUnavailableException',
    });
    this.reason = reason;
  }
}
