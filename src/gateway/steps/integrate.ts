// Step: hand the exchange to the method's integration (aws-proxy, http-proxy, mock), compiled
// once per deployment; its answer, or its GatewayResponseError, ends the request.
import type { Exchange, HttpAnswer } from '../compiled-api.js';

export function integrate(exchange: Exchange): Promise<HttpAnswer> {
  return exchange.method.integrate(exchange);
}
