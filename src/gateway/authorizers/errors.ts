// Load-time (configuration) errors of Lambda authorizers. They never reach a caller as such: the
// control plane turns them into AWS's BadRequestException, and a policy document that fails to
// compile at request time becomes an AuthorizerConfigurationError (500) in output.ts.

import { SallyportError, type DeployErrorCode } from '../../errors.js';

export type AuthorizerConfigErrorCode = Extract<
  DeployErrorCode,
  | 'ERR_INVALID_POLICY'
  | 'ERR_INVALID_IDENTITY_SOURCE'
  | 'ERR_IDENTITY_SOURCE_REQUIRED'
  | 'ERR_INVALID_VALIDATION_EXPRESSION'
  | 'ERR_INVALID_AUTHORIZER_TTL'
>;

abstract class AuthorizerConfigError extends SallyportError {
  abstract override readonly code: AuthorizerConfigErrorCode;
}

/** A policy document API Gateway cannot use (it answers AUTHORIZER_CONFIGURATION_ERROR). */
export class InvalidPolicyError extends AuthorizerConfigError {
  readonly code = 'ERR_INVALID_POLICY';
}

/** An `identitySource` expression API Gateway would refuse in CreateAuthorizer. */
export class InvalidIdentitySourceError extends AuthorizerConfigError {
  readonly code: 'ERR_INVALID_IDENTITY_SOURCE' | 'ERR_IDENTITY_SOURCE_REQUIRED';
  /** The offending expression, when one is to blame. */
  readonly expression: string | undefined;
  constructor(
    message: string,
    expression?: string,
    code:
      | 'ERR_INVALID_IDENTITY_SOURCE'
      | 'ERR_IDENTITY_SOURCE_REQUIRED' = 'ERR_INVALID_IDENTITY_SOURCE',
  ) {
    super(message);
    this.expression = expression;
    this.code = code;
  }
}

/** An `identityValidationExpression` that is not a usable regular expression. */
export class InvalidValidationExpressionError extends AuthorizerConfigError {
  readonly code = 'ERR_INVALID_VALIDATION_EXPRESSION';
}

/** `authorizerResultTtlInSeconds` outside 0…3600 or not a whole number. */
export class InvalidAuthorizerTtlError extends AuthorizerConfigError {
  readonly code = 'ERR_INVALID_AUTHORIZER_TTL';
}
