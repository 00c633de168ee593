// Step: API key and usage plan, for methods with apiKeyRequired, after the authorizer (AWS's
// order: an AUTHORIZER key source reads the authorizer's usageIdentifierKey). The key must be
// known, enabled and in a usage plan of this API stage, else 403 Forbidden; then the plan's
// throttle (429 Too Many Requests) and quota (429 Limit Exceeded).
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-key-source.html
import { quotaWindow } from '../../model/quota-period.js';
import type { Exchange } from '../compiled-api.js';
import { InvalidApiKeyError, QuotaExceededError, ThrottledError } from '../errors.js';
import { meterOf, type UsageCounters } from '../limits/counters.js';
import type { UsageCatalog } from '../limits/usage-catalog.js';

export interface ApiKeyDeps {
  /** The current catalog (replaced whole when keys or plans change). */
  catalog: () => UsageCatalog;
  counters: UsageCounters;
  now: () => number;
}

export type ApiKeyStep = (exchange: Exchange) => Promise<void> | undefined;

export function createApiKeyStep(deps: ApiKeyDeps): ApiKeyStep {
  return (exchange) => (exchange.method.apiKeyRequired ? meter(exchange, deps) : undefined);
}

async function meter(exchange: Exchange, deps: ApiKeyDeps): Promise<void> {
  const { stage, method, request } = exchange;
  const value =
    stage.apiKeySource === 'AUTHORIZER'
      ? exchange.authorizer?.usageIdentifierKey
      : request.headersLower.get('x-api-key');
  // Reasons name the key by id only: a key's value is never logged.
  if (!value) throw new InvalidApiKeyError(`no API key (source ${stage.apiKeySource})`);
  const key = deps.catalog().key(value);
  if (!key) throw new InvalidApiKeyError('unknown API key');
  if (!key.enabled) throw new InvalidApiKeyError(`API key ${key.id} is disabled`);
  const plan = deps.catalog().plan(key.id, stage.apiId, stage.stageName);
  if (!plan)
    throw new InvalidApiKeyError(
      `API key ${key.id} is in no usage plan of ${stage.apiId}/${stage.stageName}`,
    );
  const now = deps.now();
  const methodPath = `${method.resourcePath}/${method.httpMethod}`;
  const methodThrottle = plan.methodThrottles.get(methodPath);
  const throttle = methodThrottle ?? plan.throttle;
  if (throttle) {
    // One bucket per key in the plan (as its quota), or per key and method with an override.
    const bucket = methodThrottle
      ? `${meterOf(plan.id, key.id)}:${stage.apiId}/${stage.stageName}${methodPath}`
      : meterOf(plan.id, key.id);
    if (!(await deps.counters.take([{ name: bucket, throttle, perKey: true }], now)))
      throw new ThrottledError();
  }
  const quota = plan.quota && { limit: plan.quota.limit, window: quotaWindow(plan.quota, now) };
  if (!(await deps.counters.spend(meterOf(plan.id, key.id), quota, now)))
    throw new QuotaExceededError();
  exchange.apiKey = { id: key.id, value: key.value };
}
