// A stage's methodSettings, as UpdateStage sets them: `/{key}/{group}/{setting}` where the key is
// `*\/*` (every method) or `{resource path, ~1 for /}/{METHOD}`; GetStage returns them under the
// same key (`*\/*`, `~1pets/GET`, `~1/GET` for the root), each entry with AWS's defaults filled in
// and `loggingLevel` only once set — as the AWS CLI's update-stage reference shows AWS answering:
// https://docs.aws.amazon.com/cli/latest/reference/apigateway/update-stage.html
// Throttling is enforced (steps/throttle.ts); logging, metrics and caching are stored and returned.
// https://docs.aws.amazon.com/apigateway/latest/api/API_MethodSetting.html
// https://docs.aws.amazon.com/apigateway/latest/api/patch-operations.html#UpdateStage-Patch
import { z } from 'zod';
import { ACCOUNT_THROTTLE, type MethodSetting } from '../../model/usage-plans.js';
import type { Stage } from '../../model/types.js';
import { BadRequestError } from '../errors.js';
import type { PatchOperation } from './patch-operations.js';
import { booleanValue, integerValue, requireValue, unescapeSegment } from './patch-operations.js';
import { methodSettingKey } from '../../model/usage-plans.js';

const NON_NEGATIVE = z.int().min(0);

/** What a new entry holds before its first setting is applied (AWS's defaults). */
function defaults(): MethodSetting {
  return {
    metricsEnabled: false,
    dataTraceEnabled: false,
    throttlingBurstLimit: ACCOUNT_THROTTLE.burstLimit,
    throttlingRateLimit: ACCOUNT_THROTTLE.rateLimit,
    cachingEnabled: false,
    cacheTtlInSeconds: 300,
    cacheDataEncrypted: false,
    requireAuthorizationForCacheControl: true,
    unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
  };
}

const STRATEGIES = [
  'FAIL_WITH_403',
  'SUCCEED_WITH_RESPONSE_HEADER',
  'SUCCEED_WITHOUT_RESPONSE_HEADER',
] as const;

type Setter = (setting: MethodSetting, value: string | undefined, path: string) => void;

const SETTERS: Record<string, Setter> = {
  'metrics/enabled': (s, v, p) => void (s.metricsEnabled = booleanValue(v, p)),
  'logging/loglevel': (s, v, p) => {
    const level = requireValue(v, p);
    if (level !== 'OFF' && level !== 'ERROR' && level !== 'INFO')
      throw new BadRequestError(`Invalid logging level '${level}': must be OFF, ERROR or INFO`);
    s.loggingLevel = level;
  },
  'logging/dataTrace': (s, v, p) => void (s.dataTraceEnabled = booleanValue(v, p)),
  'throttling/burstLimit': (s, v, p) =>
    void (s.throttlingBurstLimit = integerValue(v, p, NON_NEGATIVE)),
  'throttling/rateLimit': (s, v, p) => {
    const rate = Number(requireValue(v, p));
    if (!Number.isFinite(rate) || rate < 0)
      throw new BadRequestError(`Invalid value '${v ?? ''}' for '${p}': must be a number`);
    s.throttlingRateLimit = rate;
  },
  'caching/enabled': (s, v, p) => void (s.cachingEnabled = booleanValue(v, p)),
  'caching/ttlInSeconds': (s, v, p) =>
    void (s.cacheTtlInSeconds = integerValue(v, p, z.int().min(0).max(3600))),
  'caching/dataEncrypted': (s, v, p) => void (s.cacheDataEncrypted = booleanValue(v, p)),
  'caching/requireAuthorizationForCacheControl': (s, v, p) =>
    void (s.requireAuthorizationForCacheControl = booleanValue(v, p)),
  'caching/unauthorizedCacheControlHeaderStrategy': (s, v, p) => {
    const strategy = requireValue(v, p);
    if (!(STRATEGIES as readonly string[]).includes(strategy))
      throw new BadRequestError(
        `Invalid value '${strategy}' for '${p}': must be one of [${STRATEGIES.join(', ')}]`,
      );
    s.unauthorizedCacheControlHeaderStrategy =
      strategy as MethodSetting['unauthorizedCacheControlHeaderStrategy'];
  },
};

interface Parsed {
  key: string;
  setting: string;
}

/** `/*\/*\/throttling/rateLimit` → key `*\/*`; `/~1pets/GET/…` → key `~1pets/GET`; else undefined. */
function parse(path: string): Parsed | undefined {
  const segments = path.split('/').slice(1);
  if (segments.length < 4) return undefined;
  const setting = segments.slice(-2).join('/');
  if (!(setting in SETTERS)) return undefined;
  const httpMethod = segments[segments.length - 3]!;
  const resource = segments.slice(0, -3).map(unescapeSegment).join('/');
  if (resource === '*' && httpMethod === '*') return { key: '*/*', setting };
  if (!/^[A-Z]+$/.test(httpMethod) || !resource.startsWith('/')) return undefined;
  return { key: methodSettingKey(resource, httpMethod), setting };
}

/**
 * Applies the operations that address method settings and returns the others for the stage's own
 * rules. `remove` of `/{key}` drops an entry; replace sets one setting.
 */
export function applyMethodSettings(stage: Stage, operations: PatchOperation[]): PatchOperation[] {
  const rest: PatchOperation[] = [];
  for (const operation of operations) {
    const parsed = parse(operation.path);
    if (!parsed) {
      rest.push(operation);
      continue;
    }
    if (operation.op !== 'replace')
      throw new BadRequestError(
        `Invalid patch operation specified. Only 'replace' is allowed for '${operation.path}'`,
      );
    const settings = { ...stage.methodSettings };
    const setting = { ...(settings[parsed.key] ?? defaults()) };
    SETTERS[parsed.setting]!(setting, operation.value, operation.path);
    settings[parsed.key] = setting;
    stage.methodSettings = settings;
  }
  return rest;
}
