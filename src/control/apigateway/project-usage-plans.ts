// sallyport.yaml's usage plans and API keys, put through the store like the admin API's: matched
// by name, so a restart keeps their ids (and the quota counted against them); only what changed
// is written and announced. A key without a `value` gets one generated once, then kept.
import { canonicalJson } from '../../model/canonical-json.js';
import { awsId } from '../../model/ids.js';
import type { ApiKey, UsagePlan, UsagePlanKeyLink } from '../../model/usage-plans.js';
import type { UsagePlanDefinition } from '../../config/project-file.js';
import type { StoreTx } from '../../store/store.js';
import { ConflictError } from '../errors.js';
import { generateKeyValue } from './api-keys.js';
import type { ModelDeps } from './deps.js';

export async function putUsagePlansFromProject(
  deps: Pick<ModelDeps, 'store' | 'now'>,
  plans: readonly UsagePlanDefinition[],
): Promise<void> {
  const now = deps.now ?? Date.now;
  await deps.store.transaction(async (tx) => {
    for (const definition of plans) {
      const plan = await putPlan(tx, definition);
      for (const keyDefinition of definition.apiKeys) {
        const key = await putKey(tx, keyDefinition, now());
        if (!(await tx.get('usageplankey', plan.id, key.id))) {
          await tx.put<UsagePlanKeyLink>('usageplankey', plan.id, key.id, {
            id: key.id,
            type: 'API_KEY',
          });
          tx.notify({ kind: 'usageplan', scope: '', id: plan.id });
        }
      }
    }
  });
}

async function putPlan(tx: StoreTx, definition: UsagePlanDefinition): Promise<UsagePlan> {
  const existing = (await tx.list<UsagePlan>('usageplan', '')).find(
    (p) => p.name === definition.name,
  );
  const plan: UsagePlan = {
    id: existing?.id ?? awsId(6),
    name: definition.name,
    apiStages: definition.apiStages,
  };
  if (definition.description !== undefined) plan.description = definition.description;
  if (definition.throttle) plan.throttle = definition.throttle;
  if (definition.quota) plan.quota = definition.quota;
  if (!existing || canonicalJson(existing) !== canonicalJson(plan)) {
    await tx.put('usageplan', '', plan.id, plan);
    tx.notify({ kind: 'usageplan', scope: '', id: plan.id });
  }
  return plan;
}

async function putKey(
  tx: StoreTx,
  definition: UsagePlanDefinition['apiKeys'][number],
  now: number,
): Promise<ApiKey> {
  const keys = await tx.list<ApiKey>('apikey', '');
  const existing = keys.find((k) => k.name === definition.name);
  const value = definition.value ?? existing?.value ?? generateKeyValue();
  if (keys.some((k) => k.value === value && k.id !== existing?.id))
    throw new ConflictError(`API key "${definition.name}": API Key already exists`);
  const key: ApiKey = {
    ...(existing ?? { id: awsId(10), createdDate: now, stageKeys: [] }),
    name: definition.name,
    value,
    enabled: definition.enabled,
    lastUpdatedDate: existing?.lastUpdatedDate ?? now,
  };
  if (definition.description !== undefined) key.description = definition.description;
  else delete key.description;
  if (!existing || canonicalJson(existing) !== canonicalJson(key)) {
    key.lastUpdatedDate = now;
    await tx.put('apikey', '', key.id, key);
    tx.notify({ kind: 'apikey', scope: '', id: key.id });
  }
  return key;
}
