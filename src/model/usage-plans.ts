// API keys, usage plans and stage method settings, as the API Gateway control API models them
// (stored in AWS's field names; dates in epoch milliseconds like the other entities).
// https://docs.aws.amazon.com/apigateway/latest/api/API_ApiKey.html
// https://docs.aws.amazon.com/apigateway/latest/api/API_UsagePlan.html
// https://docs.aws.amazon.com/apigateway/latest/api/API_MethodSetting.html

export interface ApiKey {
  id: string;
  value: string;
  name: string;
  customerId?: string;
  description?: string;
  enabled: boolean;
  createdDate: number;
  lastUpdatedDate: number;
  /** `{restApiId}/{stageName}`, the legacy association (before usage plans). */
  stageKeys: string[];
  tags?: Record<string, string>;
}

/** Steady rate (requests per second) and bucket size. */
export interface ThrottleSettings {
  burstLimit?: number;
  rateLimit?: number;
}

export const QUOTA_PERIODS = ['DAY', 'WEEK', 'MONTH'] as const;
export type QuotaPeriod = (typeof QUOTA_PERIODS)[number];

export interface QuotaSettings {
  limit: number;
  /** Days into the period it starts (WEEK: 0 = Sunday; MONTH: 0 = the 1st); DAY: always 0. */
  offset: number;
  period: QuotaPeriod;
}

export interface ApiStage {
  apiId: string;
  stage: string;
  /** Per method, keyed `{resourcePath}/{HTTP method}` (`/pets/GET`). */
  throttle?: Record<string, ThrottleSettings>;
}

export interface UsagePlan {
  id: string;
  name: string;
  description?: string;
  apiStages: ApiStage[];
  throttle?: ThrottleSettings;
  quota?: QuotaSettings;
  tags?: Record<string, string>;
}

/** A key's membership of a plan (kind `usageplankey`, scope: the plan id, id: the key id). */
export interface UsagePlanKeyLink {
  id: string;
  type: 'API_KEY';
}

/**
 * A stage's settings for one method (`{resourcePath}/{METHOD}`, path without its leading slash)
 * or for all of them (`*\/*`), as UpdateStage's patch paths set them.
 */
export interface MethodSetting {
  metricsEnabled: boolean;
  /** Absent until set (AWS leaves it out: logging off). */
  loggingLevel?: 'OFF' | 'ERROR' | 'INFO';
  dataTraceEnabled: boolean;
  throttlingBurstLimit: number;
  throttlingRateLimit: number;
  cachingEnabled: boolean;
  cacheTtlInSeconds: number;
  cacheDataEncrypted: boolean;
  requireAuthorizationForCacheControl: boolean;
  unauthorizedCacheControlHeaderStrategy:
    'FAIL_WITH_403' | 'SUCCEED_WITH_RESPONSE_HEADER' | 'SUCCEED_WITHOUT_RESPONSE_HEADER';
}

/**
 * The account-level throttle every stage falls back to: 10,000 requests per second with a burst
 * of 5,000. https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
 */
export const ACCOUNT_THROTTLE = { rateLimit: 10_000, burstLimit: 5_000 } as const;

/**
 * A stage's methodSettings key for one method: its resource path with `/` as `~1`, then the
 * method (`~1pets/GET`, `~1/GET` for the root), as AWS keys them.
 * https://docs.aws.amazon.com/cli/latest/reference/apigateway/update-stage.html
 */
export function methodSettingKey(resourcePath: string, httpMethod: string): string {
  return `${resourcePath.replace(/~/g, '~0').replace(/\//g, '~1')}/${httpMethod}`;
}

/**
 * The settings that apply to one method: its own entry, else the stage's `*\/*`. Throttles,
 * execution logs and metrics all read them here, so they can never disagree on the key.
 */
export function methodSettingFor(
  settings: Readonly<Record<string, MethodSetting>> | undefined,
  resourcePath: string,
  httpMethod: string,
): MethodSetting | undefined {
  return (
    settings?.[methodSettingKey(resourcePath, httpMethod)] ??
    // The key stages stored before AWS's `~1` form was kept (`pets/GET`): still honoured.
    settings?.[`${resourcePath.slice(1)}/${httpMethod}`] ??
    settings?.['*/*']
  );
}
