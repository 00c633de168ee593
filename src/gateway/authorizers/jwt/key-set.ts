// The signing keys of one issuer: fetched from its JWKS (found by OIDC discovery when no JWKS URL
// is configured), trusted for `maxAgeMs`, refreshed at most once per `cooldownMs` when a token
// names a `kid` we do not hold (key rotation). Every fetch has a deadline, so a dead JWKS endpoint
// costs a request at most `timeoutMs`, and after a failure no request waits on it again until
// the cooldown has passed: the cached keys keep serving until they are `maxAgeMs` old, then
// tokens get 401 with the reason logged.
// https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata
// https://datatracker.ietf.org/doc/html/rfc7517#section-5
import { SallyportError } from '../../../errors.js';
import {
  createLocalJWKSet,
  errors,
  type JSONWebKeySet,
  type JWSHeaderParameters,
  type CryptoKey,
} from 'jose';

export interface KeySetOptions {
  issuer: string;
  /** Absent: `jwks_uri` from `{issuer}/.well-known/openid-configuration`. */
  jwksUri?: string;
  fetch?: typeof fetch;
  /** Deadline of one HTTP fetch (discovery or JWKS). */
  timeoutMs?: number;
  /** How long fetched keys are trusted without a refresh. */
  maxAgeMs?: number;
  /** Minimum time between two fetches (after a `kid` miss or a failure). */
  cooldownMs?: number;
}

export const KEY_SET_DEFAULTS = { timeoutMs: 3_000, maxAgeMs: 600_000, cooldownMs: 30_000 };

/** The key set cannot be had: no fetch ever worked, or the cached keys are too old. */
export class KeySetUnavailableError extends SallyportError {
  readonly code = 'ERR_JWKS_UNAVAILABLE';
}

type LocalSet = ReturnType<typeof createLocalJWKSet>;

export class RemoteKeySet {
  readonly #options: Required<Omit<KeySetOptions, 'jwksUri'>> & { jwksUri: string | undefined };
  #keys: { set: LocalSet; fetchedAt: number } | undefined;
  #lastAttempt = -Infinity;
  #lastError: string | undefined;
  #pending: Promise<void> | undefined;
  #jwksUri: string | undefined;

  constructor(options: KeySetOptions) {
    this.#options = {
      ...KEY_SET_DEFAULTS,
      fetch: globalThis.fetch,
      ...options,
      jwksUri: options.jwksUri,
    };
    this.#jwksUri = options.jwksUri;
  }

  /** The key for a token's protected header, at clock time `now` (ms). */
  async getKey(header: JWSHeaderParameters, now: number): Promise<CryptoKey> {
    const { maxAgeMs, cooldownMs } = this.#options;
    if (this.#keys === undefined || now - this.#keys.fetchedAt >= maxAgeMs) {
      if (now - this.#lastAttempt >= cooldownMs) await this.#refresh(now);
      const keys = this.#keys;
      if (keys === undefined || now - keys.fetchedAt >= maxAgeMs) {
        throw new KeySetUnavailableError(
          `signing keys of ${this.#options.issuer} unavailable: ${this.#lastError ?? 'not fetched'}`,
        );
      }
    }
    try {
      return await this.#keys!.set(header);
    } catch (error) {
      // A kid we do not know: the issuer may have rotated its keys. One refresh, rate-limited.
      if (!(error instanceof errors.JWKSNoMatchingKey) || now - this.#lastAttempt < cooldownMs)
        throw error;
      await this.#refresh(now);
      return this.#keys!.set(header);
    }
  }

  /** One fetch at a time; concurrent callers share it. Failures keep the old keys. */
  #refresh(now: number): Promise<void> {
    this.#pending ??= this.#fetchKeys()
      .then((jwks) => {
        this.#keys = { set: createLocalJWKSet(jwks), fetchedAt: now };
        this.#lastError = undefined;
      })
      .catch((error: unknown) => {
        this.#lastError = error instanceof Error ? error.message : String(error);
      })
      .finally(() => {
        this.#lastAttempt = now;
        this.#pending = undefined;
      });
    return this.#pending;
  }

  async #fetchKeys(): Promise<JSONWebKeySet> {
    this.#jwksUri ??= await this.#discover();
    const body = await this.#getJson(this.#jwksUri);
    if (typeof body !== 'object' || body === null || !Array.isArray((body as JSONWebKeySet).keys))
      throw new Error(`${this.#jwksUri}: not a JWK Set`);
    return body as JSONWebKeySet;
  }

  async #discover(): Promise<string> {
    const url = `${this.#options.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const body = await this.#getJson(url);
    const jwksUri = (body as { jwks_uri?: unknown } | null)?.jwks_uri;
    if (typeof jwksUri !== 'string') throw new Error(`${url}: no jwks_uri`);
    return jwksUri;
  }

  async #getJson(url: string): Promise<unknown> {
    const response = await this.#options.fetch(url, {
      headers: { accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(this.#options.timeoutMs),
    });
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return response.json();
  }
}
