// What the API Gateway operations need, injected: the store, the account/region they pretend to
// be, which functions exist, an invoker for the TestInvoke* operations, a logger and a clock.
import type { Invoker } from '../../functions/invoker.js';
import type { UsageCounters } from '../../gateway/limits/counters.js';
import type { Settings } from '../../model/types.js';
import type { Logger } from '../../observability/logger.js';
import type { Store } from '../../store/store.js';

export interface ApiGatewayDeps {
  store: Store;
  settings: Settings;
  functionExists: (name: string) => boolean;
  invoker: Invoker;
  logger: Logger;
  /** Epoch milliseconds. */
  now: () => number;
  /**
   * Called after FlushStageAuthorizersCache commits, on the node that served it: flushes its own
   * cache and a shared one (the `authorizercache` change event flushes the other nodes' own).
   */
  flushAuthorizerCache?: (apiId: string, stageName: string) => void | Promise<void>;
  /** The counters the gateway meters usage plans with, for GetUsage and UpdateUsage. */
  counters?: UsageCounters;
}

/** The part of the deps the config-file path (`serve --config`) needs. */
export type ModelDeps = Pick<ApiGatewayDeps, 'store' | 'settings' | 'functionExists'> & {
  now?: () => number;
};
