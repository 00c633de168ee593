// GET /metrics on the admin listener, through the real CLI: the counts equal the requests sent,
// under the names and dimensions of API Gateway's and Lambda's CloudWatch metrics.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
// https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { call, ROOT, serve, tempProject, type Served } from '../e2e/harness.js';

/** Prometheus text → `name{labels}` → value. */
function parse(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    values.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return values;
}

function series(name: string, labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  return `${name}{${parts.join(',')}}`;
}

/** The walkthrough's project, with the authorizer's result cached (TTL 300 s). */
function cachedSayhello(): string {
  const example = join(ROOT, 'examples/sayhello');
  const dir = tempProject(
    readFileSync(join(example, 'sallyport.yaml'), 'utf8').replaceAll(
      './functions/',
      `${example}/functions/`,
    ),
  );
  copyFileSync(join(example, 'openapi.yaml'), join(dir, 'openapi.yaml'));
  const openapi = readFileSync(join(dir, 'openapi.yaml'), 'utf8');
  assert.match(openapi, /authorizerResultTtlInSeconds: 0/);
  writeFileSync(
    join(dir, 'openapi.yaml'),
    openapi.replace('authorizerResultTtlInSeconds: 0', 'authorizerResultTtlInSeconds: 300'),
  );
  return dir;
}

describe('GET /metrics (serve --config, authorizer cached)', () => {
  let s: Served;
  let metrics: Map<string, number>;
  const route = { api_name: 'seed-api', stage: 'dev', resource: '/sayhello', method: 'GET' };

  before(async () => {
    s = await serve(['--config', cachedSayhello()]);
    const sent = [
      ...Array<string | undefined>(3).fill('allow'),
      undefined, // no jwt_token: 401, the authorizer is not called
      undefined,
      'deny',
    ];
    for (const token of sent) {
      await call(`${s.base}/dev/sayhello`, token ? { headers: { jwt_token: token } } : {});
    }
    await call(`${s.base}/dev/nothing-here`); // 403 Missing Authentication Token: no route
    await call(`${s.base}/nostage/sayhello`); // no such stage: no API to count it under
    const r = await call(`${s.admin!}/metrics`);
    assert.equal(r.status, 200, r.body);
    assert.match(String(r.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    metrics = parse(r.body);
  });
  after(async () => {
    await s.stop();
  });

  it('Count, 4XXError and 5XXError per ApiName, Stage, Resource, Method', () => {
    assert.equal(metrics.get(series('apigateway_requests_total', route)), 6);
    assert.equal(metrics.get(series('apigateway_4xx_errors_total', route)), 3);
    assert.equal(metrics.get(series('apigateway_5xx_errors_total', route)), 0);
    const unmatched = { ...route, resource: '', method: '' };
    assert.equal(metrics.get(series('apigateway_requests_total', unmatched)), 1);
    assert.equal(metrics.get(series('apigateway_4xx_errors_total', unmatched)), 1);
    const total = [...metrics]
      .filter(([k]) => k.startsWith('apigateway_requests_total{'))
      .reduce((sum, [, v]) => sum + v, 0);
    assert.equal(total, 7, 'a request for an undeployed stage belongs to no API');
  });

  it('Latency for every answer, IntegrationLatency only where the integration ran', () => {
    assert.equal(metrics.get(series('apigateway_latency_milliseconds_count', route)), 6);
    assert.equal(
      metrics.get(series('apigateway_integration_latency_milliseconds_count', route)),
      3,
    );
  });

  it('authorizer cache: the first allow and the deny miss, the next two allows hit', () => {
    const labels = { api_name: 'seed-api', stage: 'dev' };
    const hits = [...metrics].filter(([k]) =>
      k.startsWith('sallyport_authorizer_cache_hits_total{'),
    );
    const misses = [...metrics].filter(([k]) =>
      k.startsWith('sallyport_authorizer_cache_misses_total{'),
    );
    assert.equal(hits.length, 1);
    assert.ok(hits[0]![0].includes(`api_name="${labels.api_name}",stage="dev"`), hits[0]![0]);
    assert.equal(hits[0]![1], 2);
    assert.equal(misses[0]![1], 2);
  });

  it('Lambda Invocations, Errors, Throttles, Duration, ConcurrentExecutions per FunctionName', () => {
    const authorizer = { function_name: 'api-authorizer' };
    const hello = { function_name: 'sayhello' };
    assert.equal(metrics.get(series('lambda_invocations_total', authorizer)), 2);
    assert.equal(metrics.get(series('lambda_invocations_total', hello)), 3);
    assert.equal(metrics.get(series('lambda_errors_total', hello)) ?? 0, 0);
    assert.equal(metrics.get(series('lambda_throttles_total', hello)) ?? 0, 0);
    assert.equal(metrics.get(series('lambda_duration_milliseconds_count', hello)), 3);
    assert.equal(metrics.get(series('lambda_concurrent_executions', hello)), 0);
    const cold = metrics.get(series('sallyport_lambda_cold_starts_total', hello)) ?? 0;
    assert.ok(cold >= 1 && cold <= 3, `cold starts: ${cold}`);
  });

  it('the process metrics, prefixed', () => {
    assert.ok(metrics.has('sallyport_process_cpu_user_seconds_total'));
  });
});

describe('GET /metrics with serve --workers 2: the primary sums what the workers counted', () => {
  it('every request counted once, whichever worker answered it', async () => {
    const s = await serve(['--config', 'examples/sayhello', '--workers', '2']);
    try {
      for (let i = 0; i < 6; i++)
        await call(`${s.base}/dev/sayhello`, { headers: { jwt_token: 'allow' } });
      const r = await call(`${s.admin!}/metrics`);
      assert.equal(r.status, 200, r.body);
      const metrics = parse(r.body);
      const route = { api_name: 'seed-api', stage: 'dev', resource: '/sayhello', method: 'GET' };
      assert.equal(metrics.get(series('apigateway_requests_total', route)), 6);
      assert.equal(
        metrics.get(series('lambda_invocations_total', { function_name: 'sayhello' })),
        6,
      );
    } finally {
      await s.stop();
    }
  });
});

describe('serve --no-metrics', () => {
  it('GET /metrics is an admin operation like any other: unsigned, it is refused', async () => {
    const s = await serve(['--config', 'examples/sayhello', '--no-metrics']);
    try {
      const r = await call(`${s.admin!}/metrics`);
      assert.equal(r.status, 403);
      assert.doesNotMatch(r.body, /apigateway_requests_total/);
    } finally {
      await s.stop();
    }
  });
});
