// Step: the stage's method throttle (methodSettings) and the account's (10,000 rps, burst 5,000),
// before anything else costs work. Both are this process's own buckets: with several processes
// each admits its share. Usage-plan throttles are per key, in steps/api-key.ts.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
import { ACCOUNT_THROTTLE } from '../../model/usage-plans.js';
import type { Throttle } from '../limits/token-bucket.js';
import type { Exchange } from '../compiled-api.js';
import { ThrottledError } from '../errors.js';
import { LocalBucket } from '../limits/token-bucket.js';

export interface ThrottleDeps {
  now: () => number;
  /** The account's throttle (default AWS's 10,000 rps, burst 5,000); null: none. */
  accountThrottle?: Throttle | null;
}

export type ThrottleStep = (exchange: Exchange) => void;

export function createThrottleStep(deps: ThrottleDeps): ThrottleStep {
  const limits = deps.accountThrottle === undefined ? ACCOUNT_THROTTLE : deps.accountThrottle;
  const account = limits ? new LocalBucket(limits) : undefined;
  return (exchange) => {
    const now = deps.now();
    const method = exchange.method.throttle;
    if (method && !method.take(now)) throw new ThrottledError();
    if (account && !account.take(now)) throw new ThrottledError();
  };
}
