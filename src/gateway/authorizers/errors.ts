// Errors of an authorizer's answer: a policy document that fails to compile at request time
// becomes an AuthorizerConfigurationError (500) in output.ts. Configuration errors (identity
// sources, TTL, validation expression) are the model's InvalidAuthorizerError.

import { SallyportError, type DeployErrorCode } from '../../errors.js';

export type AuthorizerConfigErrorCode = Extract<DeployErrorCode, 'ERR_INVALID_POLICY'>;

abstract class AuthorizerConfigError extends SallyportError {
  abstract override readonly code: AuthorizerConfigErrorCode;
}

/** A policy document API Gateway cannot use (it answers AUTHORIZER_CONFIGURATION_ERROR). */
export class InvalidPolicyError extends AuthorizerConfigError {
  readonly code = 'ERR_INVALID_POLICY';
}
