// A built-in COGNITO_USER_POOLS (or OIDC) authorizer as one deployment serves it: the token
// header, the verifier with its key sets, and a cache of verified tokens. Compiled once per
// deployment, so a redeploy starts with fresh keys and an empty cache.
//
// The cache holds a verified token's claims for authorizerResultTtlInSeconds (as AWS caches an
// authorizer's result per identity), never past the token's own `exp`; the method's scope check
// runs on every request, since one token serves methods with different scopes.
// https://docs.aws.amazon.com/apigateway/latest/api/API_Authorizer.html
import type { JWTPayload } from 'jose';
import { compileIdentityValidation } from '../../../model/authorizer-rules.js';
import type { Authorizer } from '../../../model/types.js';
import { compileIdentitySource, type IdentitySource } from '../identity-source.js';
import { awsClaims } from './claims.js';
import { resolveJwtConfig } from './config.js';
import { JwtVerifier, type KeySetTuning, type VerifyResult } from './verifier.js';

const MAX_CACHED_TOKENS = 10_000;

export interface VerifiedToken {
  claims: JWTPayload;
  /** `requestContext.authorizer.claims`, rendered once. */
  awsClaims: Record<string, string>;
}

export type TokenOutcome =
  { ok: true; token: VerifiedToken } | Extract<VerifyResult, { ok: false }>;

export class JwtAuthorizer {
  readonly id: string;
  readonly name: string;
  readonly identitySource: IdentitySource;
  readonly #verifier: JwtVerifier;
  readonly #ttlMs: number;
  readonly #validateAudience: ((aud: string) => boolean) | undefined;
  readonly #cache = new Map<string, { token: VerifiedToken; expiresAt: number }>();

  /** `tuning` (tests) overrides what the authorizer's jwtConfiguration says. */
  constructor(authorizer: Authorizer, tuning: KeySetTuning = {}) {
    this.id = authorizer.id;
    this.name = authorizer.name;
    this.identitySource = compileIdentitySource(authorizer.identitySource, 'TOKEN');
    this.#verifier = new JwtVerifier(resolveJwtConfig(authorizer), {
      ...keySetTuning(authorizer),
      ...tuning,
    });
    this.#ttlMs = authorizer.authorizerResultTtlInSeconds * 1000;
    // "For COGNITO_USER_POOLS authorizers, API Gateway will match the aud field of the incoming
    // token from the client against the specified regular expression."
    // https://docs.aws.amazon.com/apigateway/latest/api/API_Authorizer.html
    this.#validateAudience =
      authorizer.identityValidationExpression !== undefined
        ? compileIdentityValidation(authorizer.identityValidationExpression, 'find')
        : undefined;
  }

  async check(token: string, now: number): Promise<TokenOutcome> {
    const cached = this.#cache.get(token);
    if (cached !== undefined) {
      if (now < cached.expiresAt) return { ok: true, token: cached.token };
      this.#cache.delete(token);
    }
    const result = await this.#verifier.verify(token, now);
    if (!result.ok) return result;
    const { claims } = result;
    if (this.#validateAudience && !this.#validateAudience(audienceOf(claims)))
      return {
        ok: false,
        expired: false,
        reason: 'aud does not match identityValidationExpression',
      };
    const verified = { claims, awsClaims: awsClaims(claims) };
    this.#remember(token, verified, now);
    return { ok: true, token: verified };
  }

  #remember(token: string, verified: VerifiedToken, now: number): void {
    if (this.#ttlMs <= 0) return;
    const exp = typeof verified.claims.exp === 'number' ? verified.claims.exp * 1000 : Infinity;
    const expiresAt = Math.min(now + this.#ttlMs, exp);
    if (this.#cache.size >= MAX_CACHED_TOKENS) {
      const oldest = this.#cache.keys().next();
      if (oldest.done !== true) this.#cache.delete(oldest.value);
    }
    this.#cache.set(token, { token: verified, expiresAt });
  }
}

function keySetTuning(authorizer: Authorizer): KeySetTuning {
  const jwt = authorizer.jwtConfiguration;
  const tuning: KeySetTuning = {};
  if (jwt?.jwksCacheSeconds !== undefined) tuning.maxAgeMs = jwt.jwksCacheSeconds * 1000;
  if (jwt?.jwksCooldownSeconds !== undefined) tuning.cooldownMs = jwt.jwksCooldownSeconds * 1000;
  if (jwt?.jwksTimeoutMs !== undefined) tuning.timeoutMs = jwt.jwksTimeoutMs;
  return tuning;
}

function audienceOf(claims: JWTPayload): string {
  if (typeof claims.aud === 'string') return claims.aud;
  if (Array.isArray(claims.aud)) return claims.aud[0] ?? '';
  return typeof claims.client_id === 'string' ? claims.client_id : '';
}
