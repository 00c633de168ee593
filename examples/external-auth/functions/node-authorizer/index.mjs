// A TOKEN Lambda authorizer that verifies `Authorization: Bearer <access token>` against the
// external authentication system's JWKS, with jose. createRemoteJWKSet keeps the keys cached
// and, when a token names a `kid` it does not hold (the issuer rotated its keys), refetches the
// set — at most once per cooldown. The token's scopes decide which methods the returned policy
// allows; the policy covers the whole stage, so API Gateway can cache it for later requests.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
import { createRemoteJWKSet, jwtVerify } from 'jose';

const ISSUER = process.env.ISSUER;
const AUDIENCE = process.env.AUDIENCE;
const jwks = createRemoteJWKSet(
  new URL(process.env.JWKS_URL ?? `${ISSUER}/.well-known/jwks.json`),
  {
    timeoutDuration: 2000,
    cooldownDuration: Number(process.env.JWKS_COOLDOWN_MS ?? 30_000),
    cacheMaxAge: 600_000,
  },
);

// Which HTTP methods a scope allows, on any resource of the stage.
const SCOPE_METHODS = {
  'orders/read': ['GET'],
  'orders/write': ['POST', 'PUT', 'DELETE'],
};

export const handler = async (event) => {
  const match = /^Bearer (\S+)$/i.exec(event.authorizationToken ?? '');
  // Throwing exactly 'Unauthorized' makes API Gateway answer 401.
  if (!match) throw new Error('Unauthorized');
  let claims;
  try {
    ({ payload: claims } = await jwtVerify(match[1], jwks, {
      issuer: ISSUER,
      algorithms: ['RS256', 'ES256'],
    }));
  } catch (error) {
    console.log(`token refused: ${error.code ?? error.message}`);
    throw new Error('Unauthorized', { cause: error });
  }
  if (claims.token_use !== 'access' || (AUDIENCE && claims.client_id !== AUDIENCE)) {
    console.log('token refused: not an access token for this client');
    throw new Error('Unauthorized');
  }
  const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
  const methods = [...new Set(scopes.flatMap((s) => SCOPE_METHODS[s] ?? []))];
  // arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}
  const stageArn = event.methodArn.split('/').slice(0, 2).join('/');
  return {
    principalId: claims.sub,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [
        methods.length > 0
          ? {
              Action: 'execute-api:Invoke',
              Effect: 'Allow',
              Resource: methods.map((m) => `${stageArn}/${m}/*`),
            }
          : { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: `${stageArn}/*` },
      ],
    },
    // Context values must be strings, numbers or booleans.
    context: {
      username: String(claims.username ?? ''),
      scope: scopes.join(' '),
      clientId: String(claims.client_id ?? ''),
      expiresAt: claims.exp,
    },
  };
};
