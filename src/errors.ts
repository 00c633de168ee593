// The one error base of every plane: each error class of ours extends SallyportError and names
// one stable `code` from the union below (as jose's errors do: `ERR_JWT_EXPIRED`), so a caller
// tells failures apart by code, never by message text. Codes that are AWS's own names (SigV4
// refusals, Lambda's Invoke errors) keep AWS's spelling: they are what the wire carries.

/** Data plane: each GatewayResponseError, rendered by responses.ts as its AWS response type. */
export type GatewayErrorCode =
  | 'ERR_MISSING_AUTHENTICATION_TOKEN'
  | 'ERR_UNAUTHORIZED'
  | 'ERR_EXPIRED_TOKEN'
  | 'ERR_ACCESS_DENIED'
  | 'ERR_AUTHORIZER_CONFIGURATION'
  | 'ERR_BAD_GATEWAY'
  | 'ERR_INTEGRATION_FAILURE'
  | 'ERR_STAGE_NOT_FOUND'
  | 'ERR_INTERNAL'
  | 'ERR_INTEGRATION_TIMEOUT'
  | 'ERR_REQUEST_TOO_LARGE'
  | 'ERR_API_CONFIGURATION'
  | 'ERR_BAD_REQUEST_PATH'
  | 'ERR_IAM_AUTHENTICATION'
  | 'ERR_LAMBDA_PERMISSION'
  | 'ERR_TEMPLATE_RENDER'
  | 'ERR_UNSUPPORTED_MEDIA_TYPE'
  | 'ERR_LAMBDA_REQUEST_NOT_JSON'
  | 'ERR_LAMBDA_INVOCATION'
  | 'ERR_BAD_REQUEST_PARAMETERS'
  | 'ERR_BAD_REQUEST_BODY'
  | 'ERR_LAMBDA_FUNCTION_NOT_FOUND'
  | 'ERR_INVALID_API_KEY'
  | 'ERR_THROTTLED'
  | 'ERR_QUOTA_EXCEEDED'
  | 'ERR_LIMITS_UNAVAILABLE';

/** Data plane, at deploy time: a snapshot that cannot be served, and what compile reads. */
export type DeployErrorCode =
  | 'ERR_DEPLOYMENT'
  | 'ERR_INVALID_POLICY'
  | 'ERR_INVALID_IDENTITY_SOURCE'
  | 'ERR_IDENTITY_SOURCE_REQUIRED'
  | 'ERR_INVALID_VALIDATION_EXPRESSION'
  | 'ERR_INVALID_AUTHORIZER_TTL'
  | 'ERR_INVALID_AUTHORIZER_URI'
  | 'ERR_PROVIDER_ARNS_REQUIRED'
  | 'ERR_UNSUPPORTED_REGEX'
  | 'ERR_JWT_CONFIGURATION'
  | 'ERR_JWKS_UNAVAILABLE';

/** Control plane: the admin APIs' answers (their AWS error type travels in `errorType`). */
export type ControlErrorCode =
  | 'ERR_CONTROL'
  | 'ERR_NOT_FOUND'
  | 'ERR_BAD_REQUEST'
  | 'ERR_VALIDATION'
  | 'ERR_CONFLICT'
  | 'ERR_SIGNATURE'
  | 'ERR_LAMBDA_API'
  | 'ERR_ADMIN_CREDENTIALS'
  | 'ERR_BAD_ZIP';

/** AWS Signature Version 4 refusals, in AWS's names. */
export type SigV4ErrorCode =
  | 'InvalidSignatureException'
  | 'MissingAuthenticationTokenException'
  | 'UnrecognizedClientException'
  | 'IncompleteSignatureException';

/** Project file, OpenAPI import and store. */
export type ModelErrorCode =
  | 'ERR_PROJECT_NOT_FOUND'
  | 'ERR_PROJECT_YAML_SYNTAX'
  | 'ERR_PROJECT_INVALID'
  /** The OpenAPI file cannot be read. */
  | 'ERR_OPENAPI_NOT_FOUND'
  /** YAML/JSON syntax. */
  | 'ERR_OPENAPI_SYNTAX'
  /** The document breaks OpenAPI's or API Gateway's rules. */
  | 'ERR_OPENAPI_INVALID'
  /** Valid for API Gateway, not implemented by Sallyport (yet). */
  | 'ERR_OPENAPI_UNSUPPORTED'
  /** An integration or authorizer names a Lambda function the project does not define. */
  | 'ERR_OPENAPI_UNKNOWN_FUNCTION'
  | 'ERR_STORE_OPEN'
  | 'ERR_STORE_CONFLICT'
  | 'ERR_STORE_UNAVAILABLE';

/** Function plane; Invoke's own errors in Lambda's names. */
export type FunctionErrorCode =
  | 'ResourceNotFoundException'
  | 'TooManyRequestsException'
  | 'InvalidRequestContentException'
  | 'ERR_FUNCTION_RUNTIME'
  | 'ERR_RUNTIME_UNAVAILABLE'
  | 'ERR_HANDLER_BUILD'
  | 'ERR_ISOLATION_UNSUPPORTED'
  | 'ERR_SANDBOX_UNAVAILABLE'
  | 'ERR_SANDBOX_FUNCTION';

export type ErrorCode =
  | GatewayErrorCode
  | DeployErrorCode
  | ControlErrorCode
  | SigV4ErrorCode
  | ModelErrorCode
  | FunctionErrorCode;

export abstract class SallyportError extends Error {
  abstract readonly code: ErrorCode;

  // The class's name, read from the prototype: nothing is stored per error (gateway responses
  // are built per request), and spreading an error (`{...error}`) does not copy it.
  override get name(): string {
    return this.constructor.name;
  }

  override set name(name: string) {
    Object.defineProperty(this, 'name', { value: name, configurable: true, writable: true });
  }
}
