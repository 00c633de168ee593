// What the authorize step found, left on the request for the request log, the debug header and
// the metrics: plain facts gathered as the step runs (no strings built), turned into words only
// when someone reads them (observability/authorization-summary.ts).
import type { CompiledPolicy } from './authorizers/policy.js';

export interface AuthorizationNote {
  /** The authorizer's name; `AWS_IAM` for SigV4 methods. */
  authorizer: string;
  type: 'TOKEN' | 'REQUEST' | 'COGNITO_USER_POOLS' | 'AWS_IAM';
  /** The method ARN the policy was evaluated against. */
  methodArn?: string;
  /** The identity-source values, for a short fingerprint (never logged whole). */
  identity?: readonly string[];
  /** Lambda authorizers with a TTL: whether the result came from the cache. */
  cache?: 'hit' | 'miss';
  ttlSeconds?: number;
  /** A result from the cache: the method ARN it was first issued for, and when (ms since epoch). */
  issuedFor?: { methodArn: string; at: number };
  principalId?: string;
  /** The authorizer's `context` map, or a JWT's claims: `$context.authorizer.*` in access logs. */
  context?: Readonly<Record<string, string | number | boolean>>;
  claims?: Readonly<Record<string, unknown>>;
  /** The policy evaluated, to explain a decision on demand. */
  policy?: CompiledPolicy;
  /** The authorizer function's time, ms (0 on a cache hit). */
  latencyMs?: number;
  /** Why the request was refused before any policy, in a few words (401s). */
  refusal?: string;
}
