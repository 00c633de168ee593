// A token bucket, as API Gateway throttles: it holds at most `burstLimit` tokens, refills at
// `rateLimit` per second, and each request takes one or is refused.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
// The same arithmetic runs in Redis (redis-scripts.ts) for buckets shared by many nodes.

export interface Throttle {
  /** Requests per second (may be fractional). */
  rateLimit: number;
  /** Bucket size: how many requests may arrive at once. */
  burstLimit: number;
}

export interface BucketState {
  tokens: number;
  /** Epoch ms the tokens were counted at. */
  at: number;
}

/** Takes one token from `state` (a new bucket starts full); returns whether it was there. */
export function takeToken(state: BucketState | undefined, throttle: Throttle, now: number) {
  const next: BucketState = state ? { ...state } : { tokens: throttle.burstLimit, at: now };
  if (now > next.at) {
    next.tokens = Math.min(
      throttle.burstLimit,
      next.tokens + ((now - next.at) * throttle.rateLimit) / 1000,
    );
    next.at = now;
  }
  const admitted = next.tokens >= 1;
  if (admitted) next.tokens -= 1;
  return { admitted, state: next };
}

/** A named bucket: every process that names it (memory, the primary or Redis) shares it. */
export interface Bucket {
  name: string;
  throttle: Throttle;
  /**
   * A usage plan's bucket (per API key): under `--redis-unavailable refuse` it is refused while
   * Redis is away, as the quota is. Stage, method and account buckets are counted by the
   * process meanwhile: refusing them would refuse every request, metered or not.
   */
  perKey?: boolean;
}
