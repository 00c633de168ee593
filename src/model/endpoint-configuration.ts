// A REST API's endpoint type decides what reaches its methods (an EDGE API's requests pass
// through CloudFront first), so the control plane and the gateway read it the same way.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-endpoint-types.html
import type { EndpointConfiguration } from './types.js';

/** AWS's default for an API created without one: EDGE, over IPv4. */
export const DEFAULT_ENDPOINT: EndpointConfiguration = { types: ['EDGE'], ipAddressType: 'ipv4' };

/** What a stored API says, or AWS's default for one stored before the field existed. */
export function endpointOf(api: {
  endpointConfiguration?: Partial<EndpointConfiguration>;
}): EndpointConfiguration {
  const types = api.endpointConfiguration?.types ?? DEFAULT_ENDPOINT.types;
  const ipAddressType =
    api.endpointConfiguration?.ipAddressType ?? (types[0] === 'PRIVATE' ? 'dualstack' : 'ipv4');
  return { types, ipAddressType };
}
