// CreateUsagePlan, GetUsagePlans, GetUsagePlan, UpdateUsagePlan, DeleteUsagePlan, and a plan's
// keys: CreateUsagePlanKey, GetUsagePlanKeys, GetUsagePlanKey, DeleteUsagePlanKey.
// Every change is announced (kind `usageplan`) so each node rebuilds its usage catalog.
// https://docs.aws.amazon.com/apigateway/latest/api/API_CreateUsagePlan.html
// https://docs.aws.amazon.com/apigateway/latest/api/API_CreateUsagePlanKey.html
import { z } from 'zod';
import { awsId } from '../../model/ids.js';
import {
  QUOTA_PERIODS,
  type ApiKey,
  type ApiStage,
  type QuotaSettings,
  type ThrottleSettings,
  type UsagePlan,
  type UsagePlanKeyLink,
} from '../../model/usage-plans.js';
import type { StoreReader, StoreTx } from '../../store/store.js';
import { BadRequestError, ConflictError, NotFoundError } from '../errors.js';
import { getApiKey } from './api-keys.js';
import type { ApiGatewayDeps } from './deps.js';
import { getApi, getStage } from './entities.js';
import { parseBody, type Body } from './fields.js';
import { paginate } from './pagination.js';
import {
  applyPatchOperations,
  integerValue,
  readPatchOperations,
  type PatchOperation,
  requireValue,
  stringField,
  type PatchRule,
} from './patch-operations.js';
import { usagePlanKeyWire, usagePlanWire } from './usage-wire.js';

const NON_NEGATIVE = z.int().min(0);

const throttleSchema = z.object({
  burstLimit: z.int().min(0).optional(),
  rateLimit: z.number().min(0).optional(),
});

const quotaSchema = z.object({
  limit: z.int().min(0),
  offset: z.int().min(0).optional(),
  period: z.enum(QUOTA_PERIODS),
});

const apiStageSchema = z.object({
  apiId: z.string(),
  stage: z.string(),
  throttle: z.record(z.string(), throttleSchema).optional(),
});

export const createUsagePlanSchema = z.object({
  name: z.string().min(1),
  description: z.string().optional(),
  apiStages: z.array(apiStageSchema).optional(),
  throttle: throttleSchema.optional(),
  quota: quotaSchema.optional(),
  tags: z.record(z.string(), z.string()).optional(),
});

export const createUsagePlanKeySchema = z.object({
  keyId: z.string().min(1),
  keyType: z.string().min(1),
});

const PLAN_CHANGED = { kind: 'usageplan', scope: '' } as const;

/** DAY has no offset; WEEK counts weekdays from Sunday (0–6); MONTH days from the 1st (0–27). */
function checkQuota(quota: QuotaSettings): void {
  const max = quota.period === 'DAY' ? 0 : quota.period === 'WEEK' ? 6 : 27;
  if (quota.offset < 0 || quota.offset > max)
    throw new BadRequestError(
      `Invalid quota offset ${quota.offset} for period ${quota.period}: must be between 0 and ${max}`,
    );
}

/** Each API stage exists, once per plan; method throttle keys name `/{path}/{METHOD}`. */
async function checkApiStages(
  deps: ApiGatewayDeps,
  reader: StoreReader,
  apiStages: ApiStage[],
): Promise<void> {
  const seen = new Set<string>();
  for (const { apiId, stage, throttle } of apiStages) {
    await getApi(reader, apiId, deps.settings.accountId);
    await getStage(reader, apiId, stage);
    if (seen.has(`${apiId}:${stage}`))
      throw new BadRequestError(`Duplicate API stage ${apiId}:${stage} in usage plan`);
    seen.add(`${apiId}:${stage}`);
    for (const path of Object.keys(throttle ?? {}))
      if (!/^\/.*\/[A-Z]+$/.test(path))
        throw new BadRequestError(
          `Invalid method throttle key '${path}': expected {resourcePath}/{httpMethod}`,
        );
  }
}

export async function createUsagePlan(deps: ApiGatewayDeps, body: Body) {
  const input = parseBody(createUsagePlanSchema, body, 'createUsagePlan');
  const plan: UsagePlan = { id: awsId(6), name: input.name, apiStages: input.apiStages ?? [] };
  if (input.description !== undefined) plan.description = input.description;
  if (input.throttle !== undefined) plan.throttle = input.throttle;
  if (input.quota !== undefined) {
    plan.quota = { ...input.quota, offset: input.quota.offset ?? 0 };
    checkQuota(plan.quota);
  }
  if (input.tags !== undefined) plan.tags = input.tags;
  await deps.store.transaction(async (tx) => {
    await checkApiStages(deps, tx, plan.apiStages);
    await tx.insert('usageplan', '', plan.id, plan);
    tx.notify({ ...PLAN_CHANGED, id: plan.id });
  });
  return usagePlanWire(plan);
}

export async function getUsagePlan(reader: StoreReader, planId: string): Promise<UsagePlan> {
  const plan = await reader.get<UsagePlan>('usageplan', '', planId);
  if (!plan) throw new NotFoundError('Invalid Usage Plan ID specified');
  return plan;
}

/** `?keyId=`: only the plans that key belongs to. */
export async function getUsagePlans(deps: ApiGatewayDeps, query: URLSearchParams) {
  const keyId = query.get('keyId');
  let plans = await deps.store.list<UsagePlan>('usageplan', '');
  if (keyId !== null) {
    const member: UsagePlan[] = [];
    for (const plan of plans)
      if (await deps.store.get('usageplankey', plan.id, keyId)) member.push(plan);
    plans = member;
  }
  const page = paginate(plans, query);
  return { ...page, item: page.item.map(usagePlanWire) };
}

export async function getUsagePlanOp(deps: ApiGatewayDeps, planId: string) {
  return usagePlanWire(await getUsagePlan(deps.store, planId));
}

function throttleField(
  read: (plan: UsagePlan) => ThrottleSettings | undefined,
  write: (plan: UsagePlan, throttle: ThrottleSettings | undefined) => void,
  member: 'rateLimit' | 'burstLimit',
  value: string | undefined,
  path: string,
  plan: UsagePlan,
): void {
  const throttle = { ...read(plan) };
  if (value === undefined) delete throttle[member];
  else if (member === 'burstLimit') throttle.burstLimit = integerValue(value, path, NON_NEGATIVE);
  else {
    const rate = Number(requireValue(value, path));
    if (!Number.isFinite(rate) || rate < 0)
      throw new BadRequestError(`Invalid value '${value}' for '${path}': must be a number`);
    throttle.rateLimit = rate;
  }
  write(plan, Object.keys(throttle).length > 0 ? throttle : undefined);
}

const planThrottle = (member: 'rateLimit' | 'burstLimit'): PatchRule<UsagePlan> => ({
  path: `/throttle/${member}`,
  ops: ['replace', 'remove'],
  set: (plan, value, _op, _params) =>
    throttleField(
      (p) => p.throttle,
      (p, t) => (t ? (p.throttle = t) : delete p.throttle),
      member,
      value,
      `/throttle/${member}`,
      plan,
    ),
});

/** `/apiStages/{apiId}:{stage}/throttle/{escaped resource path}/{METHOD}/rateLimit|burstLimit`. */
const stageMethodThrottle = (member: 'rateLimit' | 'burstLimit'): PatchRule<UsagePlan> => ({
  path: `/apiStages/*/throttle/*/*/${member}`,
  ops: ['replace', 'remove'],
  set: (plan, value, _op, [apiStage, resourcePath, httpMethod]) => {
    const target = plan.apiStages.find((s) => `${s.apiId}:${s.stage}` === apiStage);
    if (!target) throw new BadRequestError(`Invalid API stage ${apiStage ?? ''} in patch path`);
    const key = `${resourcePath!}/${httpMethod!}`;
    throttleField(
      () => target.throttle?.[key],
      (_p, t) => {
        const map = { ...target.throttle };
        if (t) map[key] = t;
        else delete map[key];
        if (Object.keys(map).length > 0) target.throttle = map;
        else delete target.throttle;
      },
      member,
      value,
      `/apiStages/${apiStage!}/throttle/${key}/${member}`,
      plan,
    );
  },
});

function quotaMember(member: 'limit' | 'offset' | 'period'): PatchRule<UsagePlan> {
  return {
    path: `/quota/${member}`,
    ops: ['replace'],
    set: (plan, value) => {
      const quota: QuotaSettings = plan.quota ?? { limit: 0, offset: 0, period: 'DAY' };
      const path = `/quota/${member}`;
      if (member === 'period') {
        const period = requireValue(value, path);
        if (!(QUOTA_PERIODS as readonly string[]).includes(period))
          throw new BadRequestError(`Invalid quota period '${period}': must be DAY, WEEK or MONTH`);
        quota.period = period as QuotaSettings['period'];
      } else quota[member] = integerValue(value, path, NON_NEGATIVE);
      plan.quota = quota;
    },
  };
}

// https://docs.aws.amazon.com/apigateway/latest/api/patch-operations.html#UpdateUsagePlan-Patch
const USAGE_PLAN_PATCH: PatchRule<UsagePlan>[] = [
  stringField('/name', 'name', { required: true }),
  stringField('/description', 'description'),
  planThrottle('rateLimit'),
  planThrottle('burstLimit'),
  { path: '/throttle', ops: ['remove'], set: (plan) => void delete plan.throttle },
  stageMethodThrottle('rateLimit'),
  stageMethodThrottle('burstLimit'),
  quotaMember('limit'),
  quotaMember('offset'),
  quotaMember('period'),
  { path: '/quota', ops: ['remove'], set: (plan) => void delete plan.quota },
];

/**
 * `add`/`remove` `/apiStages` with the value `{apiId}:{stage}`: applied here, since a remove
 * names what it removes by value (the shared rules see no value on remove). Returns the others.
 */
function applyApiStages(plan: UsagePlan, operations: PatchOperation[]): PatchOperation[] {
  const rest: PatchOperation[] = [];
  for (const operation of operations) {
    if (operation.path !== '/apiStages' || (operation.op !== 'add' && operation.op !== 'remove')) {
      rest.push(operation);
      continue;
    }
    const [apiId, stage] = requireValue(operation.value, '/apiStages').split(':');
    if (!apiId || !stage) throw new BadRequestError(`Invalid API stage '${operation.value ?? ''}'`);
    const others = plan.apiStages.filter((s) => !(s.apiId === apiId && s.stage === stage));
    if (operation.op === 'remove' && others.length === plan.apiStages.length)
      throw new BadRequestError(`API stage ${apiId}:${stage} is not in the usage plan`);
    plan.apiStages = operation.op === 'add' ? [...others, { apiId, stage }] : others;
  }
  return rest;
}

export async function updateUsagePlan(deps: ApiGatewayDeps, planId: string, body: Body) {
  const operations = readPatchOperations(body, 'updateUsagePlanInput');
  const plan = await deps.store.transaction(async (tx) => {
    const plan = await getUsagePlan(tx, planId);
    applyPatchOperations(plan, applyApiStages(plan, operations), USAGE_PLAN_PATCH);
    if (plan.quota) checkQuota(plan.quota);
    await checkApiStages(deps, tx, plan.apiStages);
    await checkOnePlanPerStage(tx, plan, await keyIdsOf(tx, plan.id));
    await tx.put('usageplan', '', plan.id, plan);
    tx.notify({ ...PLAN_CHANGED, id: plan.id });
    return plan;
  });
  return usagePlanWire(plan);
}

export async function deleteUsagePlan(deps: ApiGatewayDeps, planId: string): Promise<void> {
  await deps.store.transaction(async (tx) => {
    await getUsagePlan(tx, planId);
    // One by one: deleteScope would also take anything else that shares the id as its scope.
    for (const keyId of await keyIdsOf(tx, planId)) await tx.delete('usageplankey', planId, keyId);
    await tx.delete('usageplan', '', planId);
    tx.notify({ ...PLAN_CHANGED, id: planId });
  });
}

async function keyIdsOf(reader: StoreReader, planId: string): Promise<string[]> {
  return (await reader.list<UsagePlanKeyLink>('usageplankey', planId)).map((link) => link.id);
}

/**
 * "A given API key can only be associated with one usage plan for each stage of your API."
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
 */
async function checkOnePlanPerStage(tx: StoreTx, plan: UsagePlan, keyIds: string[]) {
  const stages = new Set(plan.apiStages.map((s) => `${s.apiId}:${s.stage}`));
  for (const other of await tx.list<UsagePlan>('usageplan', '')) {
    if (other.id === plan.id) continue;
    const shared = other.apiStages.find((s) => stages.has(`${s.apiId}:${s.stage}`));
    if (!shared) continue;
    for (const keyId of keyIds)
      if (await tx.get('usageplankey', other.id, keyId))
        throw new ConflictError(
          `API Key ${keyId} cannot reference multiple Usage Plans with the same API Stage: ${shared.apiId}:${shared.stage}`,
        );
  }
}

export async function createUsagePlanKey(deps: ApiGatewayDeps, planId: string, body: Body) {
  const input = parseBody(createUsagePlanKeySchema, body, 'createUsagePlanKey');
  if (input.keyType !== 'API_KEY')
    throw new BadRequestError(`Invalid key type ${input.keyType}: only API_KEY is supported`);
  const key = await deps.store.transaction(async (tx) => {
    const plan = await getUsagePlan(tx, planId);
    const key = await getApiKey(tx, input.keyId);
    if (await tx.get('usageplankey', planId, key.id))
      throw new ConflictError(`Usage Plan ${planId} already contains API Key ${key.id}`);
    await checkOnePlanPerStage(tx, plan, [key.id]);
    await tx.insert<UsagePlanKeyLink>('usageplankey', planId, key.id, {
      id: key.id,
      type: 'API_KEY',
    });
    tx.notify({ ...PLAN_CHANGED, id: planId });
    return key;
  });
  return usagePlanKeyWire(key);
}

/** `?name=`: keys whose name starts with it (AWS's nameQuery). */
export async function getUsagePlanKeys(
  deps: ApiGatewayDeps,
  planId: string,
  query: URLSearchParams,
) {
  await getUsagePlan(deps.store, planId);
  const name = query.get('name');
  const keys: ApiKey[] = [];
  for (const keyId of await keyIdsOf(deps.store, planId)) {
    const key = await deps.store.get<ApiKey>('apikey', '', keyId);
    if (key && (name === null || key.name.startsWith(name))) keys.push(key);
  }
  const page = paginate(keys, query);
  return { ...page, item: page.item.map(usagePlanKeyWire) };
}

export async function getUsagePlanKey(deps: ApiGatewayDeps, planId: string, keyId: string) {
  await getUsagePlan(deps.store, planId);
  const key = await getApiKey(deps.store, keyId);
  if (!(await deps.store.get('usageplankey', planId, keyId)))
    throw new NotFoundError('Invalid Usage Plan Key identifier specified');
  return usagePlanKeyWire(key);
}

export async function deleteUsagePlanKey(
  deps: ApiGatewayDeps,
  planId: string,
  keyId: string,
): Promise<void> {
  await deps.store.transaction(async (tx) => {
    await getUsagePlan(tx, planId);
    if (!(await tx.delete('usageplankey', planId, keyId)))
      throw new NotFoundError('Invalid API Key identifier specified');
    tx.notify({ ...PLAN_CHANGED, id: planId });
  });
}
