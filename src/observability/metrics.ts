// Prometheus metrics, served as text at GET /metrics on the admin listener. The names follow
// the CloudWatch metrics AWS publishes, in Prometheus's spelling, with the same dimensions:
//   API Gateway (ApiName, Stage, Resource, Method): Count, 4XXError, 5XXError, Latency,
//     IntegrationLatency — https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
//   Lambda (FunctionName): Invocations, Errors, Throttles, Duration, ConcurrentExecutions
//     — https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
// AWS publishes no authorizer-cache or cold-start metric; those two are Sallyport's own.
// Everything arrives on the channels of channels.ts: the request path never calls in here.
import type { Channel } from 'node:diagnostics_channel';
import {
  AggregatorRegistry,
  Counter,
  Gauge,
  Histogram,
  Registry,
  collectDefaultMetrics,
} from 'prom-client';
import {
  authorizerCache,
  functionConcurrency,
  functionReport,
  requestAnswered,
  type AuthorizerCacheLookup,
  type FunctionConcurrency,
  type FunctionReport,
  type RequestAnswered,
} from './channels.js';

// Milliseconds: from a cached MOCK answer to API Gateway's 29 s integration limit.
const LATENCY_BUCKETS = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 29000];
const API_LABELS = ['api_name', 'stage', 'resource', 'method'] as const;
type ApiLabel = (typeof API_LABELS)[number];

interface RouteSeries {
  count: Counter.Internal;
  error4xx: Counter.Internal;
  error5xx: Counter.Internal;
  latency: Histogram.Internal<ApiLabel>;
  integrationLatency: Histogram.Internal<ApiLabel>;
}

export interface Metrics {
  readonly contentType: string;
  render(): Promise<string>;
  /** Stops listening; the counters keep what they counted. */
  close(): void;
}

/**
 * Where this process stands: `process` counts and serves its own; with `serve --workers`, each
 * `worker` counts its requests and the `primary` (which serves /metrics but no API calls) sums
 * the workers' counts on every scrape, through prom-client's cluster aggregation.
 */
export type MetricsRole = 'process' | 'primary' | 'worker';

export function createMetrics(role: MetricsRole = 'process'): Metrics {
  if (role === 'primary') {
    const aggregator = new AggregatorRegistry();
    return {
      contentType: aggregator.contentType,
      render: () => aggregator.clusterMetrics(),
      close() {},
    };
  }
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'sallyport_' });
  const api = apiGatewayMetrics(registry);
  const lambda = lambdaMetrics(registry);
  const subscriptions: [Channel, (message: unknown) => void][] = [
    [requestAnswered, (m) => api.answered(m as RequestAnswered)],
    [authorizerCache, (m) => api.cacheLookup(m as AuthorizerCacheLookup)],
    [functionReport, (m) => lambda.report(m as FunctionReport)],
    [functionConcurrency, (m) => lambda.concurrency(m as FunctionConcurrency)],
  ];
  for (const [ch, listener] of subscriptions) ch.subscribe(listener);
  if (role === 'worker') {
    // Answer the primary's requests for this worker's counts (the constructor adds the listener).
    AggregatorRegistry.setRegistries([registry]);
    new AggregatorRegistry();
  }
  return {
    contentType: registry.contentType,
    render: () => registry.metrics(),
    close() {
      for (const [ch, listener] of subscriptions) ch.unsubscribe(listener);
    },
  };
}

function apiGatewayMetrics(registry: Registry) {
  const registers = [registry];
  const count = new Counter({
    name: 'apigateway_requests_total',
    help: 'API Gateway Count: requests answered',
    labelNames: API_LABELS,
    registers,
  });
  const error4xx = new Counter({
    name: 'apigateway_4xx_errors_total',
    help: 'API Gateway 4XXError: client-side errors',
    labelNames: API_LABELS,
    registers,
  });
  const error5xx = new Counter({
    name: 'apigateway_5xx_errors_total',
    help: 'API Gateway 5XXError: server-side errors',
    labelNames: API_LABELS,
    registers,
  });
  const latency = new Histogram({
    name: 'apigateway_latency_milliseconds',
    help: 'API Gateway Latency: from receiving the request to answering it',
    labelNames: API_LABELS,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const integrationLatency = new Histogram({
    name: 'apigateway_integration_latency_milliseconds',
    help: 'API Gateway IntegrationLatency: from calling the integration to its answer',
    labelNames: API_LABELS,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const cacheLabels = ['api_name', 'stage', 'authorizer_id'] as const;
  const cacheHits = new Counter({
    name: 'sallyport_authorizer_cache_hits_total',
    help: 'Lambda authorizer results served from the result cache',
    labelNames: cacheLabels,
    registers,
  });
  const cacheMisses = new Counter({
    name: 'sallyport_authorizer_cache_misses_total',
    help: 'Lambda authorizer results not in the result cache (the function was invoked)',
    labelNames: cacheLabels,
    registers,
  });

  // Label lookups hash their values; each route's series are looked up once and kept.
  const series = new Map<string, RouteSeries>();
  function seriesOf(m: RequestAnswered, apiName: string): RouteSeries {
    const resource = m.resourcePath ?? '';
    const method = m.httpMethod ?? '';
    const key = `${apiName}\u0000${m.stage}\u0000${resource}\u0000${method}`;
    let found = series.get(key);
    if (!found) {
      const labels = { api_name: apiName, stage: m.stage ?? '', resource, method };
      found = {
        count: count.labels(labels),
        error4xx: error4xx.labels(labels),
        error5xx: error5xx.labels(labels),
        latency: latency.labels(labels),
        integrationLatency: integrationLatency.labels(labels),
      };
      // The error series exist from a route's first request, at 0, as AWS publishes 0s.
      found.error4xx.inc(0);
      found.error5xx.inc(0);
      series.set(key, found);
    }
    return found;
  }

  return {
    answered(m: RequestAnswered) {
      // A request for no deployed stage belongs to no API: AWS never counts it either.
      if (m.apiName === undefined) return;
      const s = seriesOf(m, m.apiName);
      s.count.inc();
      // AWS counts 4XXError and 5XXError as 0 or 1 per request; the sum over time is the count.
      if (m.status >= 400 && m.status < 500) s.error4xx.inc();
      else if (m.status >= 500) s.error5xx.inc();
      s.latency.observe(m.latencyMs);
      if (m.integrationLatencyMs !== undefined)
        s.integrationLatency.observe(m.integrationLatencyMs);
    },
    cacheLookup(m: AuthorizerCacheLookup) {
      const labels = { api_name: m.apiName, stage: m.stage, authorizer_id: m.authorizerId };
      (m.hit ? cacheHits : cacheMisses).inc(labels);
    },
  };
}

function lambdaMetrics(registry: Registry) {
  const registers = [registry];
  const labelNames = ['function_name'] as const;
  const invocations = new Counter({
    name: 'lambda_invocations_total',
    help: 'Lambda Invocations: invocations that ran, successful or not (throttled ones excluded)',
    labelNames,
    registers,
  });
  const errors = new Counter({
    name: 'lambda_errors_total',
    help: 'Lambda Errors: invocations that ended in a function error',
    labelNames,
    registers,
  });
  const throttles = new Counter({
    name: 'lambda_throttles_total',
    help: 'Lambda Throttles: invocations refused with TooManyRequestsException',
    labelNames,
    registers,
  });
  const duration = new Histogram({
    name: 'lambda_duration_milliseconds',
    help: 'Lambda Duration: time the handler ran (the REPORT line; initialisation not included)',
    labelNames,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const concurrent = new Gauge({
    name: 'lambda_concurrent_executions',
    help: 'Lambda ConcurrentExecutions: invocations in progress, queued ones included',
    labelNames,
    registers,
  });
  const coldStarts = new Counter({
    name: 'sallyport_lambda_cold_starts_total',
    help: 'Invocations that initialised a new execution environment (REPORT carried Init Duration)',
    labelNames,
    registers,
  });
  return {
    report(m: FunctionReport) {
      const labels = { function_name: m.functionName };
      duration.observe(labels, m.durationMs);
      if (m.initDurationMs !== undefined) coldStarts.inc(labels);
    },
    concurrency(m: FunctionConcurrency) {
      const labels = { function_name: m.functionName };
      if (m.change === 'start') return concurrent.inc(labels);
      concurrent.dec(labels);
      if (m.change === 'throttled') return throttles.inc(labels);
      invocations.inc(labels);
      if (m.error) errors.inc(labels);
    },
  };
}
