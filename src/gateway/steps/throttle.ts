// Step: the stage's method throttle (methodSettings) and the account's (10,000 rps, burst 5,000),
// before anything else costs work. Both are named buckets in the gateway's counters, so they are
// shared wherever the counters are: this process's memory (synchronously, no promise), the
// primary for `--workers` without Redis, or Redis for many nodes. Usage-plan throttles are per
// key, in steps/api-key.ts.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
import { ACCOUNT_THROTTLE } from '../../model/usage-plans.js';
import type { Exchange } from '../compiled-api.js';
import { ThrottledError } from '../errors.js';
import type { UsageCounters } from '../limits/counters.js';
import { MemoryCounters } from '../limits/memory-counters.js';
import type { Bucket, Throttle } from '../limits/token-bucket.js';

export interface ThrottleDeps {
  now: () => number;
  counters: UsageCounters;
  /** The account's throttle (default AWS's 10,000 rps, burst 5,000); null: none. */
  accountThrottle?: Throttle | null;
}

export type ThrottleStep = (exchange: Exchange) => Promise<void> | undefined;

export const ACCOUNT_BUCKET = 'account';

export function createThrottleStep(deps: ThrottleDeps): ThrottleStep {
  const limits = deps.accountThrottle === undefined ? ACCOUNT_THROTTLE : deps.accountThrottle;
  const account: Bucket | undefined = limits
    ? { name: ACCOUNT_BUCKET, throttle: limits }
    : undefined;
  const onlyAccount = account ? [account] : [];
  const local = deps.counters instanceof MemoryCounters ? deps.counters : undefined;
  const { counters } = deps;
  return (exchange) => {
    const method = exchange.method.throttle;
    const buckets = method ? (account ? [method, account] : [method]) : onlyAccount;
    if (buckets.length === 0) return undefined;
    if (local) {
      if (!local.takeNow(buckets, deps.now())) throw new ThrottledError();
      return undefined;
    }
    return counters.take(buckets, deps.now()).then((admitted) => {
      if (!admitted) throw new ThrottledError();
    });
  };
}
