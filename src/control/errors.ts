// The control APIs' errors, as the AWS SDKs parse them: status, `x-amzn-ErrorType` header and a
// JSON body `{"message": …}`.
// https://docs.aws.amazon.com/apigateway/latest/api/CommonErrors.html
// https://docs.aws.amazon.com/lambda/latest/api/CommonErrors.html

import { SallyportError, type ControlErrorCode } from '../errors.js';

export class ControlError extends SallyportError {
  readonly code: ControlErrorCode = 'ERR_CONTROL';
  readonly status: number;
  readonly errorType: string;
  constructor(status: number, errorType: string, message: string) {
    super(message);
    this.status = status;
    this.errorType = errorType;
    this.name = errorType;
  }
}

export class NotFoundError extends ControlError {
  override readonly code = 'ERR_NOT_FOUND';
  constructor(message: string) {
    super(404, 'NotFoundException', message);
  }
}

export class BadRequestError extends ControlError {
  override readonly code = 'ERR_BAD_REQUEST';
  constructor(message: string) {
    super(400, 'BadRequestException', message);
  }
}

/**
 * A request that breaks the API's model (Smithy's constraints: enum values, patterns, ranges,
 * required members): "N validation error(s) detected: …". AWS answers these as
 * ValidationException, and its own rules as BadRequestException (LocalStack's
 * tests/aws/services/apigateway/test_apigateway_api.snapshot.json, recorded against AWS).
 */
export class ValidationError extends ControlError {
  override readonly code = 'ERR_VALIDATION';
  constructor(message: string) {
    super(400, 'ValidationException', message);
  }
}

export class ConflictError extends ControlError {
  override readonly code = 'ERR_CONFLICT';
  constructor(message: string) {
    super(409, 'ConflictException', message);
  }
}

/** SigV4 failures: https://docs.aws.amazon.com/IAM/latest/UserGuide/signature-v4-troubleshooting.html */
export class SignatureError extends ControlError {
  override readonly code = 'ERR_SIGNATURE';
  constructor(
    errorType:
      | 'InvalidSignatureException'
      | 'MissingAuthenticationTokenException'
      | 'UnrecognizedClientException'
      | 'IncompleteSignatureException',
    message: string,
  ) {
    super(403, errorType, message);
  }
}

/** Lambda's own error types (ResourceNotFoundException, InvalidParameterValueException, …). */
export class LambdaError extends ControlError {
  override readonly code = 'ERR_LAMBDA_API';
}
