// Step: hand the exchange to the method's integration (aws-proxy, http-proxy, mock), compiled
// once per deployment; its answer, or its GatewayResponseError, ends the request.
import type { Exchange, HttpAnswer } from '../compiled-api.js';
import { GatewayResponseError } from '../errors.js';

export function integrate(exchange: Exchange): Promise<HttpAnswer> {
  const answering = exchange.method.integrate(exchange);
  if (exchange.authorizer === undefined) return answering;
  // A gateway response after authorization still knows the authorizer (`$context.authorizer.*`).
  return answering.catch((error: unknown) => {
    if (error instanceof GatewayResponseError) error.authorizer ??= exchange.authorizer;
    throw error;
  });
}
