// API keys, usage plans and usage as the control API returns them.
// https://docs.aws.amazon.com/apigateway/latest/api/API_ApiKey.html
// https://docs.aws.amazon.com/apigateway/latest/api/API_UsagePlan.html
import type { ApiKey, UsagePlan } from '../../model/usage-plans.js';
import { epochSeconds } from './wire.js';

type Json = Record<string, unknown>;

export function apiKeyWire(key: ApiKey, withValue: boolean): Json {
  const wire: Json = { id: key.id };
  if (withValue) wire.value = key.value;
  if (key.name !== '') wire.name = key.name;
  if (key.customerId !== undefined) wire.customerId = key.customerId;
  if (key.description !== undefined) wire.description = key.description;
  wire.enabled = key.enabled;
  wire.createdDate = epochSeconds(key.createdDate);
  wire.lastUpdatedDate = epochSeconds(key.lastUpdatedDate);
  wire.stageKeys = key.stageKeys;
  if (key.tags !== undefined) wire.tags = key.tags;
  return wire;
}

export function usagePlanWire(plan: UsagePlan): Json {
  const wire: Json = { id: plan.id, name: plan.name };
  if (plan.description !== undefined) wire.description = plan.description;
  wire.apiStages = plan.apiStages;
  if (plan.throttle !== undefined) wire.throttle = plan.throttle;
  if (plan.quota !== undefined) wire.quota = plan.quota;
  if (plan.tags !== undefined) wire.tags = plan.tags;
  return wire;
}

/** A key as a member of a plan: https://docs.aws.amazon.com/apigateway/latest/api/API_UsagePlanKey.html */
export function usagePlanKeyWire(key: ApiKey): Json {
  return { id: key.id, type: 'API_KEY', value: key.value, name: key.name };
}
