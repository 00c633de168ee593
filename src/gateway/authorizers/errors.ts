// Errors of an authorizer's answer: a policy document that fails to compile at request time
// becomes an AuthorizerConfigurationError (500) in output.ts. Configuration errors (identity
// sources, TTL, validation expression) are the model's InvalidAuthorizerError.

export type AuthorizerConfigErrorCode = 'ERR_INVALID_POLICY';

abstract class AuthorizerConfigError extends Error {
  abstract readonly code: AuthorizerConfigErrorCode;
  constructor(message: string) {
    super(message);
    this.name = this.constructor.name;
  }
}

/** A policy document API Gateway cannot use (it answers AUTHORIZER_CONFIGURATION_ERROR). */
export class InvalidPolicyError extends AuthorizerConfigError {
  readonly code = 'ERR_INVALID_POLICY';
}
