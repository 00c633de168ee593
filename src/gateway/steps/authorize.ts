// Step: authorize, by the method's one authorization kind. Methods without an authorizer and
// AWS_IAM methods answer synchronously (no promise, no extra tick on the hot path).
import type { Exchange } from '../compiled-api.js';
import { createAuthorizeIamStep, type AuthorizeIamDeps } from './authorize-iam.js';
import { createAuthorizeJwtStep } from './authorize-jwt.js';
import { createAuthorizeLambdaStep, type AuthorizeLambdaDeps } from './authorize-lambda.js';

export type AuthorizeDeps = AuthorizeLambdaDeps & AuthorizeIamDeps;

/** Ends the request with a GatewayResponseError, or fills in `authorizer` / `caller`. */
export type AuthorizeStep = (exchange: Exchange) => Promise<void> | undefined;

export function createAuthorizeStep(deps: AuthorizeDeps): AuthorizeStep {
  const lambda = createAuthorizeLambdaStep(deps);
  const jwt = createAuthorizeJwtStep(deps);
  const iam = createAuthorizeIamStep(deps);
  return (exchange) => {
    const authorization = exchange.method.authorization;
    switch (authorization.kind) {
      case 'none':
        return undefined;
      case 'iam':
        iam(exchange);
        return undefined;
      case 'lambda':
        return lambda(exchange, authorization.authorizer);
      case 'jwt':
        return jwt(exchange, authorization);
    }
  };
}
