// The API keys and usage plans the data plane meters with, read once per change (the node's
// usage-loader builds it from the store): key value → key, and (key, API, stage) → plan.
// A key belongs to at most one plan per API stage, as CreateUsagePlanKey enforces.
import type {
  ApiKey,
  QuotaSettings,
  ThrottleSettings,
  UsagePlan,
} from '../../model/usage-plans.js';
import type { Throttle } from './token-bucket.js';

export interface CatalogKey {
  id: string;
  value: string;
  enabled: boolean;
}

export interface MeteredPlan {
  id: string;
  throttle: Throttle | undefined;
  /** Per-method throttles of this stage in the plan, keyed `{resourcePath}/{METHOD}`. */
  methodThrottles: ReadonlyMap<string, Throttle>;
  quota: QuotaSettings | undefined;
}

export interface PlanWithKeys {
  plan: UsagePlan;
  keyIds: readonly string[];
}

export class UsageCatalog {
  static readonly EMPTY = new UsageCatalog([], []);
  readonly #byValue = new Map<string, CatalogKey>();
  readonly #plans = new Map<string, MeteredPlan>();

  constructor(keys: readonly ApiKey[], plans: readonly PlanWithKeys[]) {
    for (const key of keys)
      this.#byValue.set(key.value, { id: key.id, value: key.value, enabled: key.enabled });
    for (const { plan, keyIds } of plans) {
      for (const apiStage of plan.apiStages) {
        const metered: MeteredPlan = {
          id: plan.id,
          throttle: throttleOf(plan.throttle),
          methodThrottles: new Map(
            Object.entries(apiStage.throttle ?? {}).flatMap(([path, settings]) => {
              const throttle = throttleOf(settings);
              return throttle ? [[path, throttle] as const] : [];
            }),
          ),
          quota: plan.quota,
        };
        for (const keyId of keyIds)
          this.#plans.set(planKey(keyId, apiStage.apiId, apiStage.stage), metered);
      }
    }
  }

  key(value: string): CatalogKey | undefined {
    return this.#byValue.get(value);
  }

  plan(keyId: string, apiId: string, stageName: string): MeteredPlan | undefined {
    return this.#plans.get(planKey(keyId, apiId, stageName));
  }
}

const planKey = (keyId: string, apiId: string, stageName: string) =>
  `${keyId}\u0000${apiId}\u0000${stageName}`;

/**
 * A plan throttle needs a rate; a missing burst is the rate rounded up (at least 1). AWS is
 * silent on a throttle with one of the two; this admits the rate, which is what users ask for.
 */
function throttleOf(settings: ThrottleSettings | undefined): Throttle | undefined {
  if (settings?.rateLimit === undefined) return undefined;
  return {
    rateLimit: settings.rateLimit,
    burstLimit: settings.burstLimit ?? Math.max(1, Math.ceil(settings.rateLimit)),
  };
}
