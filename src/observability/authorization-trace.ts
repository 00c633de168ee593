// The authorization decision trace of one request as data: what `sallyport logs --follow` (JSON)
// and the debug header (X-Sallyport-Trace) show. The same facts as the request log's summary
// (authorization-summary.ts), which it carries as `summary`, plus the parts behind it: identity
// fingerprints (never the values), cache state, the method ARN, each statement checked.
// Built only when someone reads it.
import { createHash } from 'node:crypto';
import { AUTHORIZATION_ERRORS, describeAuthorization } from './authorization-summary.js';
import type { RequestAnswered } from './channels.js';

export interface AuthorizationTrace {
  authorizer: string;
  type: string;
  /** `sha256:` and 12 hex digits of each identity-source value: enough to tell two apart. */
  identity?: string[];
  cache?: 'hit' | 'miss';
  /** Seconds the cached result has left (hits), or the TTL it was stored with (misses). */
  ttlSeconds?: number;
  /** A cached result: the method ARN it was issued for. */
  cachedFor?: string;
  latencyMs?: number;
  methodArn?: string;
  principalId?: string;
  statements?: {
    index: number;
    effect: string;
    resources: string[];
    applies: boolean;
    matched: boolean;
  }[];
  /** `allow`, `deny`, or the status of a refusal before any policy (`401`, `500`). */
  verdict: string;
  summary: string | undefined;
}

type Outcome = Pick<RequestAnswered, 'status' | 'error' | 'authorization'>;

/** undefined for a method without an authorizer. */
export function authorizationTrace(outcome: Outcome, now: number): AuthorizationTrace | undefined {
  const note = outcome.authorization;
  if (!note) return undefined;
  const trace: AuthorizationTrace = {
    authorizer: note.authorizer,
    type: note.type,
    verdict: verdictOf(outcome),
    summary: describeAuthorization(outcome, now),
  };
  if (note.identity) trace.identity = note.identity.map(fingerprint);
  if (note.cache) trace.cache = note.cache;
  if (note.ttlSeconds !== undefined)
    trace.ttlSeconds =
      note.cache === 'hit' && note.issuedFor
        ? Math.max(0, Math.round(note.ttlSeconds - (now - note.issuedFor.at) / 1000))
        : note.ttlSeconds;
  if (note.cache === 'hit' && note.issuedFor) trace.cachedFor = note.issuedFor.methodArn;
  if (note.latencyMs !== undefined) trace.latencyMs = note.latencyMs;
  if (note.methodArn) trace.methodArn = note.methodArn;
  if (note.principalId !== undefined) trace.principalId = note.principalId;
  if (note.policy && note.methodArn) {
    trace.statements = note.policy
      .explain(note.methodArn)
      .map(({ index, effect, resources, applies, matched }) => ({
        index,
        effect,
        resources,
        applies,
        matched,
      }));
  }
  return trace;
}

function verdictOf(outcome: Outcome): string {
  const error = outcome.error;
  if (!error || !AUTHORIZATION_ERRORS.has(error.type)) return 'allow';
  return error.type === 'ACCESS_DENIED' ? 'deny' : String(outcome.status);
}

/** A token's stand-in: its SHA-256 prefix, which tells two tokens apart and reveals neither. */
export function fingerprint(value: string): string {
  return `sha256:${createHash('sha256').update(value).digest('hex').slice(0, 12)}`;
}
