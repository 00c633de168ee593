// API keys and usage plans end to end: the control plane through the AWS SDK (and the AWS CLI),
// the data plane over real HTTP through `sallyport serve`, with AWS's exact answers.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-key-source.html
// https://repost.aws/knowledge-center/api-gateway-429-limit (429 "Too Many Requests", "Limit Exceeded")
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  DeleteUsagePlanKeyCommand,
  GetApiKeyCommand,
  GetApiKeysCommand,
  GetStageCommand,
  GetUsageCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  ImportApiKeysCommand,
  UpdateApiKeyCommand,
  UpdateStageCommand,
  UpdateUsageCommand,
  UpdateUsagePlanCommand,
} from '@aws-sdk/client-api-gateway';
import { ROOT, call, serve, tempProject, type Answer, type Served } from './harness.js';

const CREDENTIALS = { accessKeyId: 'AKIASALLYPORTUSAGE01', secretAccessKey: 'u'.repeat(40) };
const ENV = {
  SALLYPORT_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
  SALLYPORT_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
};
const FIXTURES = join(ROOT, 'test/fixtures');
const HEADER_API = 'keyedapi01';
const AUTH_API = 'keyedapi02';
const FORBIDDEN = '{"message":"Forbidden"}';
const TOO_MANY = '{"message":"Too Many Requests"}';
const LIMIT_EXCEEDED = '{"message":"Limit Exceeded"}';
const YAML_KEY = 'yamlkeyvalue0000000000001';
const today = () => new Date().toISOString().slice(0, 10);

let s: Served;
let apigw: APIGatewayClient;

const url = (api: string, stage: string, path: string) =>
  `${s.base}/restapis/${api}/${stage}/_user_request_${path}`;

interface Identity {
  apiKey: string | null;
  apiKeyId: string | null;
}
const identityOf = (r: Answer) =>
  (r.json() as { event: { requestContext: { identity: Identity } } }).event.requestContext.identity;

/** Polls until the answer is not `status` (key and plan changes reach the gateway asynchronously). */
async function until(get: () => Promise<Answer>, notStatus: number): Promise<Answer> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = await get();
    if (r.status !== notStatus || Date.now() > deadline) return r;
    await new Promise((ok) => setTimeout(ok, 50));
  }
}

async function enabledKey(name: string) {
  const key = await apigw.send(new CreateApiKeyCommand({ name, enabled: true }));
  return { id: key.id!, value: key.value! };
}

async function planFor(
  stage: string,
  options: Partial<ConstructorParameters<typeof CreateUsagePlanCommand>[0]> = {},
  api = HEADER_API,
) {
  const plan = await apigw.send(
    new CreateUsagePlanCommand({
      name: `plan-${stage}`,
      apiStages: [{ apiId: api, stage }],
      ...options,
    }),
  );
  return plan.id!;
}

before(async () => {
  const fn = (name: string, folder: string) => `
  ${name}:
    Runtime: nodejs20.x
    Handler: index.handler
    Code: ${folder}
    Timeout: 30`;
  const dir = tempProject(`
functions:${fn('echo', join(FIXTURES, 'e2e/functions/echo'))}${fn('usage-auth', join(FIXTURES, 'usage/functions/usage-auth'))}
apis:
  - name: metered-api
    id: ${HEADER_API}
    openapi: ${join(FIXTURES, 'usage/header-source.yaml')}
    stages: { plain: {}, burst: {}, quota: {}, staged: {}, cli: {} }
  - name: authorizer-keyed-api
    id: ${AUTH_API}
    openapi: ${join(FIXTURES, 'usage/authorizer-source.yaml')}
    stages: { dev: {} }
usagePlans:
  yaml-plan:
    quota: { limit: 2, period: WEEK, offset: 1 }
    apiStages: [{ api: metered-api, stage: cli }]
    apiKeys:
      yaml-key: { value: ${YAML_KEY} }
`);
  s = await serve(['--config', dir], ENV);
  apigw = new APIGatewayClient({
    endpoint: s.admin!,
    region: 'us-east-1',
    credentials: CREDENTIALS,
  });
});

after(async () => {
  apigw?.destroy();
  await s?.stop();
});

describe('API keys: the control plane', () => {
  it('CreateApiKey generates a 40-character value, disabled unless asked; GetApiKey hides it', async () => {
    const key = await apigw.send(new CreateApiKeyCommand({ name: 'shape-key', description: 'd' }));
    assert.match(key.id!, /^[a-z0-9]{10}$/);
    assert.match(key.value!, /^[A-Za-z0-9]{40}$/);
    assert.equal(key.enabled, false);
    assert.deepEqual(key.stageKeys, []);
    const got = await apigw.send(new GetApiKeyCommand({ apiKey: key.id! }));
    assert.equal(got.value, undefined);
    assert.equal(got.description, 'd');
    const withValue = await apigw.send(
      new GetApiKeyCommand({ apiKey: key.id!, includeValue: true }),
    );
    assert.equal(withValue.value, key.value);
  });

  it('GetApiKeys filters by name prefix and shows values only with includeValues', async () => {
    await apigw.send(
      new CreateApiKeyCommand({ name: 'listed-one', value: 'listedvalue0000000001' }),
    );
    const page = await apigw.send(new GetApiKeysCommand({ nameQuery: 'listed-' }));
    assert.deepEqual(
      page.items?.map((k) => [k.name, k.value]),
      [['listed-one', undefined]],
    );
    const withValues = await apigw.send(
      new GetApiKeysCommand({ nameQuery: 'listed-', includeValues: true }),
    );
    assert.equal(withValues.items?.[0]?.value, 'listedvalue0000000001');
  });

  it('answers as AWS does: a taken value is 409, an unknown key 404, a short value 400', async () => {
    await apigw.send(new CreateApiKeyCommand({ name: 'taken', value: 'takenvalue00000000001' }));
    await assert.rejects(
      apigw.send(new CreateApiKeyCommand({ name: 'again', value: 'takenvalue00000000001' })),
      { name: 'ConflictException', message: 'API Key already exists' },
    );
    await assert.rejects(apigw.send(new GetApiKeyCommand({ apiKey: 'nosuchkey0' })), {
      name: 'NotFoundException',
      message: 'Invalid API Key identifier specified',
    });
    await assert.rejects(apigw.send(new CreateApiKeyCommand({ name: 'x', value: 'short' })), {
      name: 'BadRequestException',
    });
  });

  it('ImportApiKeys reads a CSV and adds each key to the plans it names', async () => {
    const plan = await apigw.send(new CreateUsagePlanCommand({ name: 'import-plan' }));
    const csv = `Name,Key,Description,Enabled,UsagePlanIds\nimported,importedvalue000000001,from csv,TRUE,${plan.id}\nbad,short,,TRUE,\n`;
    const result = await apigw.send(
      new ImportApiKeysCommand({ body: Buffer.from(csv), format: 'csv', failOnWarnings: false }),
    );
    assert.equal(result.ids?.length, 1);
    assert.deepEqual(result.warnings, [
      'line 3: API Key value should be at least 20 characters long',
    ]);
    const members = await apigw.send(new GetUsagePlanKeysCommand({ usagePlanId: plan.id! }));
    assert.deepEqual(
      members.items?.map((k) => [k.id, k.type, k.name, k.value]),
      [[result.ids[0], 'API_KEY', 'imported', 'importedvalue000000001']],
    );
    await assert.rejects(
      apigw.send(
        new ImportApiKeysCommand({ body: Buffer.from(csv), format: 'csv', failOnWarnings: true }),
      ),
      { name: 'BadRequestException' },
    );
  });

  it('a key belongs to one plan per API stage; GetUsagePlans?keyId lists its plans', async () => {
    const key = await enabledKey('one-plan');
    const first = await apigw.send(
      new CreateUsagePlanCommand({
        name: 'first',
        apiStages: [{ apiId: HEADER_API, stage: 'cli' }],
      }),
    );
    const second = await apigw.send(
      new CreateUsagePlanCommand({
        name: 'second',
        apiStages: [{ apiId: HEADER_API, stage: 'cli' }],
      }),
    );
    await apigw.send(
      new CreateUsagePlanKeyCommand({ usagePlanId: first.id!, keyId: key.id, keyType: 'API_KEY' }),
    );
    await assert.rejects(
      apigw.send(
        new CreateUsagePlanKeyCommand({
          usagePlanId: second.id!,
          keyId: key.id,
          keyType: 'API_KEY',
        }),
      ),
      { name: 'ConflictException' },
    );
    const plans = await apigw.send(new GetUsagePlansCommand({ keyId: key.id }));
    assert.deepEqual(
      plans.items?.map((p) => p.id),
      [first.id],
    );
    await assert.rejects(
      apigw.send(
        new GetUsageCommand({ usagePlanId: 'nosuch', startDate: today(), endDate: today() }),
      ),
      {
        name: 'NotFoundException',
        message: 'Invalid Usage Plan ID specified',
      },
    );
  });

  it('the AWS CLI creates and reads keys against --endpoint-url', async () => {
    const run = promisify(execFile);
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
    };
    const aws = (...args: string[]) =>
      run('aws', ['apigateway', ...args, '--endpoint-url', s.admin!, '--output', 'json'], { env });
    const created = JSON.parse(
      (await aws('create-api-key', '--name', 'cli-key', '--enabled')).stdout,
    ) as {
      id: string;
      enabled: boolean;
      value: string;
    };
    assert.equal(created.enabled, true);
    const plan = JSON.parse(
      (
        await aws(
          'create-usage-plan',
          '--name',
          'cli-plan',
          '--throttle',
          'rateLimit=5,burstLimit=10',
          '--quota',
          'limit=100,period=MONTH,offset=2',
        )
      ).stdout,
    ) as { id: string; throttle: unknown; quota: unknown };
    assert.deepEqual(plan.throttle, { rateLimit: 5, burstLimit: 10 });
    assert.deepEqual(plan.quota, { limit: 100, offset: 2, period: 'MONTH' });
    await aws(
      'create-usage-plan-key',
      '--usage-plan-id',
      plan.id,
      '--key-id',
      created.id,
      '--key-type',
      'API_KEY',
    );
    const keys = JSON.parse(
      (await aws('get-usage-plan-keys', '--usage-plan-id', plan.id)).stdout,
    ) as {
      items: { id: string; value: string }[];
    };
    assert.deepEqual(
      keys.items.map((k) => [k.id, k.value]),
      [[created.id, created.value]],
    );
  });
});

describe('API keys: the data plane (HEADER source)', () => {
  let key: { id: string; value: string };
  const metered = (stage: string, headers: Record<string, string> = {}, path = '/metered') =>
    call(url(HEADER_API, stage, path), { headers });

  /** A new enabled key in a new plan of `stage`, once its first request was admitted. */
  async function admittedKey(
    stage: string,
    options: Partial<ConstructorParameters<typeof CreateUsagePlanCommand>[0]> = {},
  ) {
    const created = await enabledKey(`${stage}-key`);
    const plan = await planFor(stage, options);
    await apigw.send(
      new CreateUsagePlanKeyCommand({ usagePlanId: plan, keyId: created.id, keyType: 'API_KEY' }),
    );
    const first = await until(() => metered(stage, { 'x-api-key': created.value }), 403);
    assert.equal(first.status, 200);
    return { key: created, plan };
  }

  const concurrently = (n: number, stage: string, value: string) =>
    Promise.all(Array.from({ length: n }, () => metered(stage, { 'x-api-key': value })));

  before(async () => {
    key = await enabledKey('plain-key');
    const plan = await planFor('plain', {
      apiStages: [
        {
          apiId: HEADER_API,
          stage: 'plain',
          throttle: { '/other/GET': { burstLimit: 1, rateLimit: 0.001 } },
        },
      ],
    });
    await apigw.send(
      new CreateUsagePlanKeyCommand({ usagePlanId: plan, keyId: key.id, keyType: 'API_KEY' }),
    );
  });

  it('a method without apiKeyRequired needs no key, and its event has no apiKey', async () => {
    const r = await call(url(HEADER_API, 'plain', '/free'));
    assert.equal(r.status, 200);
    assert.deepEqual(identityOf(r), { ...identityOf(r), apiKey: null, apiKeyId: null });
  });

  it('no key, an unknown key: 403 {"message":"Forbidden"}', async () => {
    for (const headers of [{}, { 'x-api-key': 'not-a-key-anybody-has-000' }] as Record<
      string,
      string
    >[]) {
      const r = await metered('plain', headers);
      assert.equal(r.status, 403);
      assert.equal(r.body, FORBIDDEN);
      assert.equal(r.headers['x-amzn-errortype'], 'ForbiddenException');
    }
  });

  it("a key in the stage's plan is admitted; the event carries apiKey and apiKeyId", async () => {
    const r = await until(() => metered('plain', { 'x-api-key': key.value }), 403);
    assert.equal(r.status, 200);
    const identity = identityOf(r);
    assert.equal(identity.apiKey, key.value);
    assert.equal(identity.apiKeyId, key.id);
  });

  it('a key in no plan of this stage, or disabled: 403', async () => {
    const r = await metered('quota', { 'x-api-key': key.value });
    assert.equal(r.status, 403);
    assert.equal(r.body, FORBIDDEN);
    await apigw.send(
      new UpdateApiKeyCommand({
        apiKey: key.id,
        patchOperations: [{ op: 'replace', path: '/enabled', value: 'false' }],
      }),
    );
    const disabled = await until(() => metered('plain', { 'x-api-key': key.value }), 200);
    assert.equal(disabled.status, 403);
    assert.equal(disabled.body, FORBIDDEN);
    await apigw.send(
      new UpdateApiKeyCommand({
        apiKey: key.id,
        patchOperations: [{ op: 'replace', path: '/enabled', value: 'true' }],
      }),
    );
    assert.equal(
      (await until(() => metered('plain', { 'x-api-key': key.value }), 403)).status,
      200,
    );
  });

  it('a per-method throttle of the plan applies to that method only', async () => {
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => metered('plain', { 'x-api-key': key.value }, '/other')),
    );
    assert.deepEqual(answers.map((r) => r.status).sort(), [200, 429, 429, 429]);
    assert.equal(answers.find((r) => r.status === 429)!.body, TOO_MANY);
    assert.equal((await metered('plain', { 'x-api-key': key.value })).status, 200);
  });

  it('the plan throttle admits burstLimit at once, then rateLimit per second (counted)', async () => {
    const { key: burstKey } = await admittedKey('burst', {
      throttle: { burstLimit: 3, rateLimit: 0.001 },
    });
    // The first admitted request (once the plan reached the gateway) took one of the 3 tokens.
    const rest = await concurrently(8, 'burst', burstKey.value);
    // At 0.001 per second, no token comes back within any run of this test.
    assert.equal(rest.filter((r) => r.status === 200).length, 2);
    const throttled = rest.filter((r) => r.status === 429);
    assert.equal(throttled.length, 6);
    assert.equal(throttled[0]!.body, TOO_MANY);
    assert.equal(throttled[0]!.headers['x-amzn-errortype'], 'TooManyRequestsException');
  });

  it('the quota admits `limit` requests, then 429 Limit Exceeded; GetUsage and UpdateUsage', async () => {
    const { key: quotaKey, plan } = await admittedKey('quota', {
      quota: { limit: 3, period: 'DAY' },
    });
    const rest = await concurrently(6, 'quota', quotaKey.value);
    assert.equal(rest.filter((r) => r.status === 200).length, 2);
    const refused = rest.filter((r) => r.status === 429);
    assert.equal(refused.length, 4);
    assert.equal(refused[0]!.body, LIMIT_EXCEEDED);
    assert.equal(refused[0]!.headers['x-amzn-errortype'], 'LimitExceededException');

    const usage = await apigw.send(
      new GetUsageCommand({ usagePlanId: plan, startDate: today(), endDate: today() }),
    );
    assert.deepEqual(usage.items, { [quotaKey.id]: [[3, 0]] });
    assert.equal(usage.startDate, today());

    await apigw.send(
      new UpdateUsageCommand({
        usagePlanId: plan,
        keyId: quotaKey.id,
        patchOperations: [{ op: 'replace', path: '/remaining', value: '2' }],
      }),
    );
    const more = await concurrently(4, 'quota', quotaKey.value);
    assert.deepEqual(more.map((r) => r.status).sort(), [200, 200, 429, 429]);
    const after = await apigw.send(
      new GetUsageCommand({
        usagePlanId: plan,
        keyId: quotaKey.id,
        startDate: today(),
        endDate: today(),
      }),
    );
    assert.deepEqual(after.items, { [quotaKey.id]: [[5, 0]] });
  });

  it('removing the key from the plan, or deleting it, ends its access', async () => {
    const { key: gone, plan } = await admittedKey('staged');
    await apigw.send(new DeleteUsagePlanKeyCommand({ usagePlanId: plan, keyId: gone.id }));
    assert.equal(
      (await until(() => metered('staged', { 'x-api-key': gone.value }), 200)).status,
      403,
    );
    await apigw.send(new DeleteApiKeyCommand({ apiKey: gone.id }));
    await assert.rejects(apigw.send(new GetApiKeyCommand({ apiKey: gone.id })), {
      name: 'NotFoundException',
    });
    await apigw.send(
      new UpdateUsagePlanCommand({
        usagePlanId: plan,
        patchOperations: [{ op: 'remove', path: '/apiStages', value: `${HEADER_API}:staged` }],
      }),
    );
  });

  it('stage methodSettings: stored as AWS returns them, and their throttle enforced', async () => {
    const stage = await apigw.send(
      new UpdateStageCommand({
        restApiId: HEADER_API,
        stageName: 'staged',
        patchOperations: [
          { op: 'replace', path: '/*/*/throttling/burstLimit', value: '2' },
          { op: 'replace', path: '/*/*/throttling/rateLimit', value: '0.001' },
          { op: 'replace', path: '/~1metered/GET/logging/loglevel', value: 'INFO' },
        ],
      }),
    );
    assert.deepEqual(stage.methodSettings?.['*/*'], {
      metricsEnabled: false,
      dataTraceEnabled: false,
      throttlingBurstLimit: 2,
      throttlingRateLimit: 0.001,
      cachingEnabled: false,
      cacheTtlInSeconds: 300,
      cacheDataEncrypted: false,
      requireAuthorizationForCacheControl: true,
      unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
    });
    assert.equal(stage.methodSettings?.['~1metered/GET']?.loggingLevel, 'INFO');
    const got = await apigw.send(
      new GetStageCommand({ restApiId: HEADER_API, stageName: 'staged' }),
    );
    assert.deepEqual(got.methodSettings, stage.methodSettings);
    // The recompiled stage starts with full buckets: wait for the first 429, then count anew.
    await until(() => call(url(HEADER_API, 'staged', '/free')), 200);
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => call(url(HEADER_API, 'staged', '/free'))),
    );
    assert.deepEqual(
      answers.map((r) => r.status),
      [429, 429, 429, 429, 429],
    );
    assert.equal(answers[0]!.body, TOO_MANY);
  });

  it('keys are never logged in clear', () => {
    assert.doesNotMatch(s.output(), new RegExp(key.value));
  });
});

describe('usage plans and keys in sallyport.yaml', () => {
  it('are stored as the admin API would, and enforced from the first request', async () => {
    const keys = await apigw.send(
      new GetApiKeysCommand({ nameQuery: 'yaml-key', includeValues: true }),
    );
    assert.deepEqual(
      keys.items?.map((k) => [k.value, k.enabled]),
      [[YAML_KEY, true]],
    );
    const plans = await apigw.send(new GetUsagePlansCommand({ keyId: keys.items[0]!.id! }));
    assert.deepEqual(
      plans.items?.map((p) => [p.name, p.quota, p.apiStages]),
      [
        [
          'yaml-plan',
          { limit: 2, offset: 1, period: 'WEEK' },
          [{ apiId: HEADER_API, stage: 'cli' }],
        ],
      ],
    );
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push(
        (await call(url(HEADER_API, 'cli', '/metered'), { headers: { 'x-api-key': YAML_KEY } }))
          .status,
      );
    assert.deepEqual(statuses, [200, 200, 429]);
  });
});

describe('API keys: the AUTHORIZER source', () => {
  let key: { id: string; value: string };
  const metered = (headers: Record<string, string>) =>
    call(url(AUTH_API, 'dev', '/metered'), { headers });

  before(async () => {
    key = await enabledKey('authorizer-key');
    const plan = await planFor('dev', {}, AUTH_API);
    await apigw.send(
      new CreateUsagePlanKeyCommand({ usagePlanId: plan, keyId: key.id, keyType: 'API_KEY' }),
    );
  });

  it('the authorizer runs first: no identity is 401, not 403', async () => {
    const r = await metered({ 'x-api-key': key.value });
    assert.equal(r.status, 401);
    assert.equal(r.body, '{"message":"Unauthorized"}');
  });

  it("the key is the authorizer's usageIdentifierKey; x-api-key is not read", async () => {
    const viaHeader = await metered({ 'x-caller': 'c1', 'x-api-key': key.value });
    assert.equal(viaHeader.status, 403);
    assert.equal(viaHeader.body, FORBIDDEN);
    const r = await until(() => metered({ 'x-caller': 'c1', 'x-usage-key': key.value }), 403);
    assert.equal(r.status, 200);
    assert.equal(identityOf(r).apiKeyId, key.id);
    assert.equal(identityOf(r).apiKey, key.value);
  });
});
