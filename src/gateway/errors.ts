// Every way a request can end before (or instead of) the integration's own answer. Each error
// names the AWS gateway response type it renders as; responses.ts is the one table that turns a
// type into AWS's status, body and x-amzn-ErrorType.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
import type { GatewayResponseType } from '../model/types.js';

export class GatewayResponseError extends Error {
  readonly responseType: GatewayResponseType;
  /** `$context.error.messageString`'s raw message; null renders as JSON `null`, as AWS does. */
  readonly messageString: string | null;
  /** For answers AWS gives outside the gateway-response table (e.g. Lambda proxy's 502). */
  readonly statusOverride: number | undefined;
  readonly errorTypeOverride: string | undefined;

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
    this.name = this.constructor.name;
  }
}

export class MissingAuthenticationTokenError extends GatewayResponseError {
  constructor() {
    super('MISSING_AUTHENTICATION_TOKEN', 'Missing Authentication Token');
  }
}

export class UnauthorizedError extends GatewayResponseError {
  constructor() {
    super('UNAUTHORIZED', 'Unauthorized');
  }
}

/** The authorizer's policy denies the method ARN explicitly, or allows nothing that matches. */
export class AccessDeniedError extends GatewayResponseError {
  constructor(explicit: boolean) {
    super(
      'ACCESS_DENIED',
      explicit
        ? 'User is not authorized to access this resource with an explicit deny'
        : 'User is not authorized to access this resource',
    );
  }
}

/** The authorizer function failed or returned something API Gateway cannot use. */
export class AuthorizerConfigurationError extends GatewayResponseError {
  readonly reason: string;
  constructor(reason: string) {
    super('AUTHORIZER_CONFIGURATION_ERROR', null);
    this.reason = reason;
  }
}

export class AuthorizerFailureError extends GatewayResponseError {
  readonly reason: string;
  constructor(reason: string) {
    super('AUTHORIZER_FAILURE', null);
    this.reason = reason;
  }
}

/**
 * A Lambda proxy function failed or answered in a shape API Gateway rejects: AWS answers 502
 * `{"message": "Internal server error"}` (rendered through DEFAULT_5XX, not INTEGRATION_FAILURE).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-output-format
 */
export class BadGatewayError extends GatewayResponseError {
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
  readonly reason: string;
  constructor(reason: string) {
    super('INTEGRATION_FAILURE', 'Internal server error');
    this.reason = reason;
  }
}

/** The stage (or API) named in the URL is not deployed. */
export class ForbiddenError extends GatewayResponseError {
  constructor() {
    super('DEFAULT_4XX', 'Forbidden', { status: 403, errorType: 'ForbiddenException' });
  }
}

export class IntegrationTimeoutError extends GatewayResponseError {
  constructor() {
    super('INTEGRATION_TIMEOUT', 'Endpoint request timed out');
  }
}

export class RequestTooLargeError extends GatewayResponseError {
  constructor() {
    super('REQUEST_TOO_LARGE', 'Request Too Long');
  }
}

export class ApiConfigurationError extends GatewayResponseError {
  readonly reason: string;
  constructor(reason: string) {
    super('API_CONFIGURATION_ERROR', 'Internal server error');
    this.reason = reason;
  }
}

/**
 * A request path whose meaning depends on who reads it (dot segments, encoded slashes, `//`,
 * malformed escapes): refused before routing, as AWS does not document these (request-path.ts).
 * Rendered through DEFAULT_4XX with status 400.
 */
export class BadRequestPathError extends GatewayResponseError {
  readonly reason: string;
  constructor(reason: string) {
    super('DEFAULT_4XX', 'Bad Request');
    this.reason = `refused request path: ${reason}`;
  }
}
