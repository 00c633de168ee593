// GetUsage and UpdateUsage: the counts the gateway enforced, read from the same counters the
// data plane spends from (memory, or Redis), so what is reported is what was admitted.
// https://docs.aws.amazon.com/apigateway/latest/api/API_GetUsage.html
// https://docs.aws.amazon.com/apigateway/latest/api/API_UpdateUsage.html
import { z } from 'zod';
import { meterOf } from '../../gateway/limits/counters.js';
import { DAY_MS, dayOf, parseDay, quotaWindow } from '../../model/quota-period.js';
import type { UsagePlan, UsagePlanKeyLink } from '../../model/usage-plans.js';
import { BadRequestError, NotFoundError, ValidationError } from '../errors.js';
import type { ApiGatewayDeps } from './deps.js';
import type { Body } from './fields.js';
import { paginate } from './pagination.js';
import { integerValue, readPatchOperations } from './patch-operations.js';
import { getUsagePlan } from './usage-plans.js';

const NON_NEGATIVE = z.int().min(0);

/** GetUsage's range may span at most this many days (AWS keeps 90 days of usage). */
const MAX_DAYS = 90;

function requiredDay(query: URLSearchParams, member: 'startDate' | 'endDate'): number {
  const text = query.get(member);
  if (text === null || text === '')
    throw new ValidationError(
      `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
    );
  const day = parseDay(text);
  if (day === undefined)
    throw new BadRequestError(`Invalid ${member} '${text}': expected a date as yyyy-MM-dd`);
  return day;
}

/**
 * `{keyId: [[used, remaining], …]}`, one pair per day from start to end. `remaining` is the
 * quota left at the end of that day: for days of the current quota period it is worked back from
 * the live counter (so UpdateUsage shows), for earlier periods from the daily counts. A plan
 * without a quota has nothing remaining to report: 0 (AWS is silent).
 */
async function usageOf(
  deps: ApiGatewayDeps,
  plan: UsagePlan,
  keyIds: string[],
  start: number,
  end: number,
): Promise<Record<string, [number, number][]>> {
  const counters = deps.counters;
  const now = deps.now();
  const days: number[] = [];
  for (let day = start; day <= end; day += DAY_MS) days.push(day);
  const values: Record<string, [number, number][]> = {};
  for (const keyId of keyIds) {
    const meter = meterOf(plan.id, keyId);
    const quota = plan.quota;
    if (!counters) {
      values[keyId] = days.map(() => [0, quota?.limit ?? 0]);
      continue;
    }
    if (!quota) {
      values[keyId] = (await counters.daily(meter, days)).map((used) => [used, 0]);
      continue;
    }
    const current = quotaWindow(quota, now);
    const first = Math.min(start, current.start, quotaWindow(quota, start).start);
    const last = Math.max(end, now);
    const span: number[] = [];
    for (let day = first; day <= last; day += DAY_MS) span.push(Math.floor(day / DAY_MS) * DAY_MS);
    const daily = new Map(
      (await counters.daily(meter, span)).map((used, i) => [span[i]!, used] as const),
    );
    const liveUsed = await counters.used(meter, current);
    values[keyId] = days.map((day) => {
      const used = daily.get(day) ?? 0;
      const window = quotaWindow(quota, day);
      let spent = 0;
      if (window.start === current.start) {
        // What the live counter says now, less what was counted after this day.
        spent = liveUsed;
        for (let d = day + DAY_MS; d <= now; d += DAY_MS) spent -= daily.get(d) ?? 0;
      } else {
        for (let d = window.start; d <= day; d += DAY_MS) spent += daily.get(d) ?? 0;
      }
      return [used, Math.max(0, quota.limit - spent)];
    });
  }
  return values;
}

async function memberKeyIds(deps: ApiGatewayDeps, planId: string): Promise<string[]> {
  return (await deps.store.list<UsagePlanKeyLink>('usageplankey', planId)).map((l) => l.id);
}

export async function getUsage(deps: ApiGatewayDeps, planId: string, query: URLSearchParams) {
  const plan = await getUsagePlan(deps.store, planId);
  const start = requiredDay(query, 'startDate');
  const end = requiredDay(query, 'endDate');
  if (end < start) throw new BadRequestError('The end date must not be before the start date');
  if ((end - start) / DAY_MS >= MAX_DAYS)
    throw new BadRequestError(`The date range must not exceed ${MAX_DAYS} days`);
  const keyId = query.get('keyId');
  let keyIds = await memberKeyIds(deps, planId);
  if (keyId !== null) keyIds = keyIds.filter((id) => id === keyId);
  const page = paginate(keyIds, query);
  const usage: Record<string, unknown> = {
    usagePlanId: planId,
    startDate: dayOf(start),
    endDate: dayOf(end),
    values: await usageOf(deps, plan, page.item, start, end),
  };
  if (page.position !== undefined) usage.position = page.position;
  return usage;
}

/**
 * Grants a key its remaining quota for the current period: `replace /remaining N`.
 * https://docs.aws.amazon.com/apigateway/latest/api/patch-operations.html#UpdateUsage-Patch
 */
export async function updateUsage(deps: ApiGatewayDeps, planId: string, keyId: string, body: Body) {
  const operations = readPatchOperations(body, 'updateUsageInput');
  const plan = await getUsagePlan(deps.store, planId);
  if (!(await deps.store.get('usageplankey', planId, keyId)))
    throw new NotFoundError('Invalid API Key identifier specified');
  const quota = plan.quota;
  for (const operation of operations) {
    if (operation.op !== 'replace' || operation.path !== '/remaining')
      throw new BadRequestError(
        `Invalid patch path  '${operation.path}' specified for op '${operation.op}'. Must be one of: [/remaining]`,
      );
    if (!quota) throw new BadRequestError(`Usage plan ${planId} has no quota`);
    const remaining = integerValue(operation.value, '/remaining', NON_NEGATIVE);
    const window = quotaWindow(quota, deps.now());
    await deps.counters?.setUsed(
      meterOf(planId, keyId),
      window,
      Math.max(0, quota.limit - remaining),
    );
  }
  const today = Math.floor(deps.now() / DAY_MS) * DAY_MS;
  return {
    usagePlanId: planId,
    startDate: dayOf(today),
    endDate: dayOf(today),
    values: await usageOf(deps, plan, [keyId], today, today),
  };
}
