// The authorization outcome of one request in a few words, for the request log: who was let in
// and how (`allow principal=user-1 (cache hit, 212 s left)`), or why not (`401: no
// method.request.header.jwt_token`, `deny: explicit Deny in Statement[1] …`). Built only when a
// line is written, from the facts the authorize step left (gateway/authorization-note.ts).
import type { AuthorizationNote } from '../gateway/authorization-note.js';
import type { RequestAnswered } from './channels.js';

type Outcome = Pick<RequestAnswered, 'status' | 'error' | 'authorization'>;

/** Gateway responses that end a request in the authorize step. */
export const AUTHORIZATION_ERRORS: ReadonlySet<string> = new Set([
  'UNAUTHORIZED',
  'ACCESS_DENIED',
  'AUTHORIZER_CONFIGURATION_ERROR',
  'AUTHORIZER_FAILURE',
  'INVALID_SIGNATURE',
  'MISSING_AUTHENTICATION_TOKEN',
  'EXPIRED_TOKEN',
]);

/** undefined when the method has no authorizer and nothing about authorization went wrong. */
export function describeAuthorization(outcome: Outcome, now: number): string | undefined {
  const note = outcome.authorization;
  const error = outcome.error;
  // AWS_IAM refusals say why in their own message (the SigV4 check's words).
  if (!note)
    return error?.type === 'INVALID_SIGNATURE' ? `${outcome.status}: ${error.message}` : undefined;
  if (!error || !AUTHORIZATION_ERRORS.has(error.type)) return allowed(note, now);
  switch (error.type) {
    case 'ACCESS_DENIED':
      return denied(note, now);
    case 'UNAUTHORIZED':
    case 'EXPIRED_TOKEN':
      return `${outcome.status}: ${note.refusal ?? error.message ?? 'Unauthorized'}`;
    default:
      return `${outcome.status}: ${error.reason ?? error.message ?? error.type}`;
  }
}

function allowed(note: AuthorizationNote, now: number): string {
  let text = `allow principal=${note.principalId ?? ''}`;
  if (note.cache === 'hit') {
    const left =
      note.issuedFor && note.ttlSeconds !== undefined
        ? Math.max(0, Math.round(note.ttlSeconds - (now - note.issuedFor.at) / 1000))
        : undefined;
    text += left === undefined ? ' (cache hit)' : ` (cache hit, ${left} s left)`;
  } else if (note.cache === 'miss') text += ` (cache miss, authorizer ${note.latencyMs ?? 0} ms)`;
  else if (note.latencyMs !== undefined) text += ` (authorizer ${note.latencyMs} ms)`;
  return text;
}

function denied(note: AuthorizationNote, now: number): string {
  const arn = note.methodArn ?? '';
  const checks = note.policy?.explain(arn) ?? [];
  const deny = checks.find((c) => c.applies && c.matched && c.effect === 'Deny');
  if (deny)
    return `deny: explicit Deny in Statement[${deny.index}] (${deny.resources.join(', ')}) matches ${arn}`;
  let text = `deny: no Allow statement matches ${arn}`;
  const issued = note.issuedFor;
  // The classic pitfall: a policy issued for one method, cached, then reused for another.
  if (note.cache === 'hit' && issued && issued.methodArn !== arn) {
    const age = Math.max(0, Math.round((now - issued.at) / 1000));
    text +=
      ` — this policy was cached ${age} s ago for ${issued.methodArn};` +
      " return a Resource that covers every method the caller may use (e.g. ending in /*), or set the authorizer's TTL to 0";
  }
  return text;
}

/**
 * The policy's verdict for the execution log: the statement that allowed, or why it denied (the
 * cached-policy pitfall explained as in the request log).
 */
export function policyDecision(note: AuthorizationNote, now: number): string {
  const arn = note.methodArn ?? '';
  const checks = note.policy?.explain(arn) ?? [];
  const deny = checks.some((c) => c.applies && c.matched && c.effect === 'Deny');
  const allow = checks.find((c) => c.applies && c.matched && c.effect === 'Allow');
  if (deny || !allow) return denied(note, now);
  return `allow: Statement[${allow.index}] Allow (${allow.resources.join(', ')}) matches ${arn}`;
}
