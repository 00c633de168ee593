// Resolves an authorizer's JWT settings once per deployment: the trusted issuers (a user pool
// ARN's issuer is `https://cognito-idp.{region}.amazonaws.com/{userPoolId}`, its keys at
// `{issuer}/.well-known/jwks.json`), audiences, algorithms and clock skew.
// https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html
import { SallyportError } from '../../../errors.js';
import type { Authorizer } from '../../../model/types.js';

export interface IssuerConfig {
  issuer: string;
  /** Undefined: OIDC discovery. */
  jwksUri: string | undefined;
}

export interface ResolvedJwtConfig {
  issuers: IssuerConfig[];
  audience: ReadonlySet<string> | undefined;
  algorithms: string[];
  clockSkewSeconds: number;
}

/** Cognito signs with RS256 only. */
const COGNITO_ALGORITHMS = ['RS256'];
const OIDC_ALGORITHMS = ['RS256', 'ES256'];
// arn:aws:cognito-idp:{region}:{account}:userpool/{userPoolId}
const USER_POOL_ARN =
  /^arn:aws[a-z-]*:cognito-idp:([a-z0-9-]+):\d{12}:userpool\/([\w-]+_[0-9a-zA-Z]+)$/;

export class JwtConfigurationError extends SallyportError {
  readonly code = 'ERR_JWT_CONFIGURATION';
}

export function cognitoIssuer(providerArn: string): string {
  const m = USER_POOL_ARN.exec(providerArn);
  if (!m) throw new JwtConfigurationError(`${providerArn} is not a Cognito user pool ARN`);
  return `https://cognito-idp.${m[1]}.amazonaws.com/${m[2]}`;
}

export function resolveJwtConfig(authorizer: Authorizer): ResolvedJwtConfig {
  const jwt = authorizer.jwtConfiguration;
  let issuers: IssuerConfig[];
  if (jwt?.issuer !== undefined) {
    issuers = [{ issuer: jwt.issuer, jwksUri: jwt.jwksUri }];
  } else {
    const arns = authorizer.providerARNs ?? [];
    if (arns.length === 0)
      throw new JwtConfigurationError('no providerARNs and no x-sallyport-jwt issuer');
    issuers = arns.map((arn) => {
      const issuer = cognitoIssuer(arn);
      return { issuer, jwksUri: jwt?.jwksUri ?? `${issuer}/.well-known/jwks.json` };
    });
  }
  return {
    issuers,
    audience: jwt?.audience ? new Set(jwt.audience) : undefined,
    algorithms: jwt?.algorithms ?? (jwt?.issuer ? OIDC_ALGORITHMS : COGNITO_ALGORITHMS),
    clockSkewSeconds: jwt?.clockSkewSeconds ?? 0,
  };
}
