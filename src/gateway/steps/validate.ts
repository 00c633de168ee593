// Step: request validation — the method's required parameters, then its body model — after
// authorization (and API keys), before the integration request. A failure is AWS's 400
// BAD_REQUEST_PARAMETERS or BAD_REQUEST_BODY gateway response.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html
// ("basic validation of an API request before proceeding with the integration request")
import type { Exchange } from '../compiled-api.js';

export function validate(exchange: Exchange): void {
  exchange.method.validateRequest?.(exchange);
}
