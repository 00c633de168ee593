// Step: the built-in COGNITO_USER_POOLS / JWT authorizer. No function is invoked: the token in
// the identity header (raw, or after `Bearer `) is verified against the issuer's keys, then the
// method's authorizationScopes are checked. Every refusal is AWS's 401 UNAUTHORIZED, with the
// message "The incoming token has expired" for an authentic but expired token and
// "Unauthorized" otherwise (bad token, wrong token type, no matching scope alike).
// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-integrate-with-cognito.html
// https://repost.aws/knowledge-center/api-gateway-cognito-401-unauthorized
import type { JwtAuthorizer } from '../authorizers/jwt/jwt-authorizer.js';
import { methodAccepts } from '../authorizers/jwt/verifier.js';
import type { AuthorizationNote } from '../authorization-note.js';
import type { Exchange, MethodAuthorization } from '../compiled-api.js';
import { GatewayResponseError, UnauthorizedError } from '../errors.js';
import type { AuthorizeLambdaDeps } from './authorize-lambda.js';

/** An authentic token past its `exp`: still UNAUTHORIZED (401), with AWS's own message. */
export class ExpiredTokenError extends GatewayResponseError {
  readonly code = 'ERR_EXPIRED_TOKEN';
  constructor() {
    super('UNAUTHORIZED', 'The incoming token has expired');
  }
}

export type AuthorizeJwtStep = (
  exchange: Exchange,
  jwt: Extract<MethodAuthorization, { kind: 'jwt' }>,
) => Promise<void>;

// Clients send `Authorization: Bearer <jwt>` as often as the bare token; both are accepted.
const BEARER = /^bearer +/i;

export function createAuthorizeJwtStep(
  deps: Pick<AuthorizeLambdaDeps, 'logger' | 'now'>,
): AuthorizeJwtStep {
  return async (exchange, { authorizer, scopes }) => {
    const { request, stage } = exchange;
    const note: AuthorizationNote = { authorizer: authorizer.name, type: 'COGNITO_USER_POOLS' };
    request.authorization = note;
    const identity = authorizer.identitySource.extract({
      headersLower: request.headersLower,
      query: request.query.single,
      stageVariables: stage.variables,
      context: {},
    });
    const token = identity?.[0]?.replace(BEARER, '').trim();
    if (!token) {
      note.refusal = `no ${authorizer.identitySource.expressions.join(', ')}`;
      throw new UnauthorizedError();
    }

    const started = deps.now();
    const outcome = await authorizer.check(token, started);
    if (!outcome.ok) {
      note.refusal = outcome.reason;
      refused(deps, request.requestId, authorizer, outcome.reason, outcome.keySetUnavailable);
      throw outcome.expired ? new ExpiredTokenError() : new UnauthorizedError();
    }
    const refusal = methodAccepts(outcome.token.claims, scopes);
    if (refusal !== undefined) {
      note.refusal = refusal;
      refused(deps, request.requestId, authorizer, refusal, false);
      throw new UnauthorizedError();
    }
    const sub = outcome.token.claims.sub;
    note.principalId = typeof sub === 'string' ? sub : '';
    note.claims = outcome.token.awsClaims;
    exchange.authorizer = {
      principalId: typeof sub === 'string' ? sub : '',
      context: {},
      claims: outcome.token.awsClaims,
      integrationLatency: deps.now() - started,
    };
  };
}

function refused(
  deps: Pick<AuthorizeLambdaDeps, 'logger'>,
  requestId: string,
  authorizer: JwtAuthorizer,
  reason: string,
  keySetUnavailable: boolean | undefined,
): void {
  // A key set we cannot reach is an operator's problem; a bad token is the caller's.
  const log = { requestId, authorizer: authorizer.name, reason };
  if (keySetUnavailable) deps.logger.warn(log, 'JWT authorizer: signing keys unavailable');
  else deps.logger.info(log, 'JWT authorizer: Unauthorized');
}
