// Step: the account's throttle (10,000 rps, burst 5,000) and the stage's method throttle
// (methodSettings), before anything else costs work. The method throttle is a named bucket in the
// gateway's counters, so it is shared wherever they are: this process's memory (synchronously, no
// promise), the primary for `--workers` without Redis, or Redis for many nodes. The account's is
// counted by each process for its share of the machine (rate and burst divided by `--workers`):
// it applies to every request, and sharing it would cost each one — even on APIs with no
// throttle configured — a round trip to the primary or to Redis; AWS calls its own throttling
// best effort. Usage-plan throttles are per key, in steps/api-key.ts.
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
  /** How many data-plane processes share this machine's account throttle (`--workers`). */
  accountShare?: number;
}

export type ThrottleStep = (exchange: Exchange) => Promise<void> | undefined;

export const ACCOUNT_BUCKET = 'account';

export function createThrottleStep(deps: ThrottleDeps): ThrottleStep {
  const limits = deps.accountThrottle === undefined ? ACCOUNT_THROTTLE : deps.accountThrottle;
  const share = deps.accountShare ?? 1;
  const account: Bucket[] = limits
    ? [
        {
          name: ACCOUNT_BUCKET,
          throttle: {
            rateLimit: limits.rateLimit / share,
            burstLimit: Math.max(1, Math.floor(limits.burstLimit / share)),
          },
        },
      ]
    : [];
  const accountCounter = new MemoryCounters();
  const local = deps.counters instanceof MemoryCounters ? deps.counters : undefined;
  const { counters } = deps;
  return (exchange) => {
    const now = deps.now();
    if (account.length > 0 && !accountCounter.takeNow(account, now)) throw new ThrottledError();
    const method = exchange.method.throttle;
    if (!method) return undefined;
    if (local) {
      if (!local.takeNow([method], now)) throw new ThrottledError();
      return undefined;
    }
    return counters.take([method], now).then((admitted) => {
      if (!admitted) throw new ThrottledError();
    });
  };
}
