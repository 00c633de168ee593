// The admin API's SigV4 check, on the shared verifier (src/auth/sigv4/). It runs in two phases so
// that a request is refused on its headers alone — no Authorization, an unknown key, a scope for
// another service, a stale date, or (when x-amz-content-sha256 is sent) a wrong signature —
// before a byte of its body is read. Only then is the body streamed, hashed as it arrives.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
import type { IncomingMessage } from 'node:http';
import { SigV4Error } from '../../auth/sigv4/errors.js';
import {
  checkedPayloadHash,
  checkSigV4Headers,
  checkSigV4Signature,
  declaredPayloadHash,
  secretsOf,
  UNSIGNED_PAYLOAD,
  verifySigV4 as verify,
  type AccessKey,
  type SigV4Context,
  type SignedRequest,
} from '../../auth/sigv4/verify.js';
import { SignatureError } from '../errors.js';

export type { SignedRequest };
export { uriEscape } from '../../auth/sigv4/canonical.js';
export { MAX_CLOCK_SKEW_MS } from '../../auth/sigv4/verify.js';
export type AdminCredentials = AccessKey;

export interface SigV4Options {
  credentials: AdminCredentials[];
  /** The signing name a path must be signed for; default: Lambda's dated paths, else API Gateway. */
  serviceFor?: (path: string) => string;
  now?: () => number;
}

/** Called once the body has been read, with its SHA-256 in hex; throws to refuse. */
export type FinishAuthentication = (bodySha256Hex: string) => void;

/** Phase one on the headers (throws SignatureError to refuse); returns phase two. */
export type AdminAuthenticator = (request: IncomingMessage) => FinishAuthentication;

/**
 * Lambda's REST paths all begin with an API version date (`/2015-03-31/functions`,
 * `/2017-10-31/layers`, …); API Gateway's never do (`/restapis`, `/apikeys`, …).
 */
export function signingServiceFor(path: string): string {
  return /^\/\d{4}-\d{2}-\d{2}\//.test(path) ? 'lambda' : 'apigateway';
}

export function createSigV4Authenticator(options: SigV4Options): AdminAuthenticator {
  const secrets = secretsOf(options.credentials);
  const serviceFor = options.serviceFor ?? signingServiceFor;
  const now = options.now ?? Date.now;
  return (request) => {
    const url = request.url ?? '/';
    const signed = { method: request.method ?? 'GET', url, headers: request.headers };
    const path = url.split('?', 1)[0]!;
    const claim = asControlError(() =>
      checkSigV4Headers(request.headers, { secrets, services: [serviceFor(path)], now: now() }),
    );
    const declared = declaredPayloadHash(request.headers);
    // A declared digest is what was signed: the signature can be checked before the body.
    const early = declared !== undefined && declared !== UNSIGNED_PAYLOAD;
    if (early) asControlError(() => checkSigV4Signature(claim, signed, declared));
    return (bodyHash) =>
      asControlError(() => {
        const payloadHash = checkedPayloadHash(declared, bodyHash);
        if (!early) checkSigV4Signature(claim, signed, payloadHash);
      });
  };
}

/** Both phases at once, for a request whose body is at hand (as the tests build them). */
export function verifySigV4(
  request: SignedRequest,
  context: Omit<SigV4Context, 'secrets'> & { secrets: Map<string, string> },
): void {
  asControlError(() => verify(request, context));
}

function asControlError<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof SigV4Error) throw new SignatureError(error.code, error.message);
    throw error;
  }
}
