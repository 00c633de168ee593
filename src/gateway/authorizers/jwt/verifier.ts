// Verifies one JWT against a resolved configuration, with jose: the `iss` must be a trusted
// issuer (checked before any key fetch, so a token cannot make us fetch from anywhere), the
// `alg` on the allowlist (never `none`, never HS* — a public key is no shared secret), the
// signature by the issuer's key for the token's `kid`, then `exp` / `nbf` with the clock skew,
// and the audience when one is configured (`aud`, or `client_id` for tokens without `aud`, as
// API Gateway's JWT authorizers do).
// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
// https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import type { ResolvedJwtConfig } from './config.js';
import { KeySetUnavailableError, RemoteKeySet, type KeySetOptions } from './key-set.js';

export type VerifyResult =
  | { ok: true; claims: JWTPayload }
  | { ok: false; expired: boolean; reason: string; keySetUnavailable?: boolean };

export type KeySetTuning = Omit<KeySetOptions, 'issuer' | 'jwksUri'>;

export class JwtVerifier {
  readonly #config: ResolvedJwtConfig;
  readonly #keySets = new Map<string, RemoteKeySet>();

  constructor(config: ResolvedJwtConfig, tuning: KeySetTuning = {}) {
    this.#config = config;
    for (const { issuer, jwksUri } of config.issuers) {
      const options: KeySetOptions = { ...tuning, issuer };
      if (jwksUri !== undefined) options.jwksUri = jwksUri;
      this.#keySets.set(issuer, new RemoteKeySet(options));
    }
  }

  /** `now` in milliseconds; the same clock decides expiry and key-cache age. */
  async verify(token: string, now: number): Promise<VerifyResult> {
    let iss: unknown;
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(token).alg;
      iss = decodeJwt(token).iss;
    } catch {
      return fail('not a JWT');
    }
    if (typeof alg !== 'string' || !this.#config.algorithms.includes(alg))
      return fail(`alg ${String(alg)} not allowed`);
    const keySet = typeof iss === 'string' ? this.#keySets.get(iss) : undefined;
    if (!keySet || typeof iss !== 'string') return fail(`issuer ${String(iss)} not trusted`);

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, (header) => keySet.getKey(header, now), {
        algorithms: this.#config.algorithms,
        issuer: iss,
        clockTolerance: this.#config.clockSkewSeconds,
        currentDate: new Date(now),
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired)
        return { ok: false, expired: true, reason: 'token expired' };
      if (error instanceof KeySetUnavailableError)
        return { ok: false, expired: false, reason: error.message, keySetUnavailable: true };
      return fail(describe(error));
    }
    if (!this.#audienceMatches(payload)) return fail('audience not accepted');
    return { ok: true, claims: payload };
  }

  #audienceMatches(payload: JWTPayload): boolean {
    const accepted = this.#config.audience;
    if (accepted === undefined) return true;
    const aud = payload.aud;
    if (aud !== undefined) {
      const values = Array.isArray(aud) ? aud : [aud];
      return values.some((a) => accepted.has(a));
    }
    return typeof payload.client_id === 'string' && accepted.has(payload.client_id);
  }
}

function fail(reason: string): VerifyResult {
  return { ok: false, expired: false, reason };
}

function describe(error: unknown): string {
  if (error instanceof errors.JOSEError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * A method's check on a verified token. Without authorizationScopes a COGNITO_USER_POOLS
 * authorizer wants an ID token; with them, an access token whose `scope` holds at least one of
 * them. "The method invocation is authorized if any method scopes matches a claimed scope in the
 * access token." Tokens from other issuers carry no `token_use`; for them only scopes count.
 * https://docs.aws.amazon.com/apigateway/latest/api/API_Method.html#apigw-Type-Method-authorizationScopes
 * https://repost.aws/knowledge-center/api-gateway-cognito-401-unauthorized
 */
export function methodAccepts(
  claims: JWTPayload,
  scopes: readonly string[] | undefined,
): string | undefined {
  const use = claims.token_use;
  if (scopes === undefined || scopes.length === 0) {
    return use === undefined || use === 'id'
      ? undefined
      : `token_use ${JSON.stringify(use)}: ID token expected`;
  }
  if (use !== undefined && use !== 'access')
    return `token_use ${JSON.stringify(use)}: access token expected`;
  const granted = tokenScopes(claims);
  return scopes.some((s) => granted.has(s)) ? undefined : 'none of the method scopes granted';
}

function tokenScopes(claims: JWTPayload): Set<string> {
  const raw = claims.scope ?? claims.scp;
  if (typeof raw === 'string') return new Set(raw.split(' ').filter(Boolean));
  if (Array.isArray(raw)) return new Set(raw.filter((s): s is string => typeof s === 'string'));
  return new Set();
}
