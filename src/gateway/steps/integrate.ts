// Step: hand the exchange to the method's integration (aws-proxy, http-proxy, mock), compiled
// once per deployment; its answer, or its GatewayResponseError, ends the request. Its duration
// (API Gateway's IntegrationLatency) is measured only when someone observes requests.
import { performance } from 'node:perf_hooks';
import { requestAnswered } from '../../observability/channels.js';
import type { Exchange, HttpAnswer } from '../compiled-api.js';

export function integrate(exchange: Exchange): Promise<HttpAnswer> {
  if (!requestAnswered.hasSubscribers) return exchange.method.integrate(exchange);
  const started = performance.now();
  const { request } = exchange;
  return exchange.method.integrate(exchange).finally(() => {
    request.integrationLatencyMs = performance.now() - started;
  });
}
