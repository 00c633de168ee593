// A REST API's endpointConfiguration: one type (EDGE when none is given) and an IP address type
// (ipv4, or dualstack — the only one PRIVATE APIs take, and their default). Refusals are worded
// as AWS words them: LocalStack's tests/aws/services/apigateway/test_apigateway_api.snapshot.json
// (test_create_rest_api_with_endpoint_configuration, test_create_rest_api_private_type,
// test_create_rest_api_verify_defaults, test_update_rest_api_ip_address_type), recorded against AWS.
// https://docs.aws.amazon.com/apigateway/latest/api/API_EndpointConfiguration.html
import { DEFAULT_ENDPOINT } from '../../model/endpoint-configuration.js';
import type { EndpointConfiguration } from '../../model/types.js';
import { BadRequestError, ValidationError } from '../errors.js';

export const ENDPOINT_TYPES = ['EDGE', 'REGIONAL', 'PRIVATE'] as const;
const IP_ADDRESS_TYPES = ['ipv4', 'dualstack'] as const;

const PRIVATE_IPV4 = 'Only dualstack ipAddressType is supported for Private APIs.';

/** CreateRestApi's `endpointConfiguration` member, checked as AWS checks it. */
export function readEndpointConfiguration(raw: unknown, input: string): EndpointConfiguration {
  if (raw === undefined || raw === null) return { ...DEFAULT_ENDPOINT };
  const { types, ipAddressType } = raw as { types?: unknown; ipAddressType?: unknown };
  const errors: string[] = [];
  const typeList = types === undefined || types === null ? undefined : types;
  if (
    typeList !== undefined &&
    (!Array.isArray(typeList) ||
      !typeList.every((t) => (ENDPOINT_TYPES as readonly unknown[]).includes(t)))
  ) {
    const shown = Array.isArray(typeList) ? `[${typeList.map(String).join(', ')}]` : '…';
    errors.push(
      `Value '${shown}' at '${input}.endpointConfiguration.types' failed to satisfy constraint: ` +
        'Member must satisfy constraint: [Member must satisfy enum value set: [PRIVATE, EDGE, REGIONAL]]',
    );
  }
  if (
    ipAddressType !== undefined &&
    ipAddressType !== null &&
    !(IP_ADDRESS_TYPES as readonly unknown[]).includes(ipAddressType)
  ) {
    errors.push(
      `Value '${typeof ipAddressType === 'string' ? ipAddressType : JSON.stringify(ipAddressType)}' at '${input}.endpointConfiguration.ipAddressType' failed to satisfy constraint: ` +
        'Member must satisfy enum value set: [ipv4, dualstack]',
    );
  }
  if (errors.length > 0) {
    const count = errors.length === 1 ? '1 validation error' : `${errors.length} validation errors`;
    throw new ValidationError(`${count} detected: ${errors.join('; ')}`);
  }
  const list = (typeList ?? ['EDGE']) as string[];
  if (list.length === 0)
    throw new BadRequestError(
      'REGIONAL Configuration and EDGE Configuration cannot be both DISABLED.',
    );
  if (list.length > 1)
    throw new BadRequestError('Cannot create an api with multiple Endpoint Types.');
  const type = list[0]!;
  const ip = (ipAddressType ?? (type === 'PRIVATE' ? 'dualstack' : 'ipv4')) as string;
  if (type === 'PRIVATE' && ip !== 'dualstack') throw new BadRequestError(PRIVATE_IPV4);
  return { types: [type], ipAddressType: ip as EndpointConfiguration['ipAddressType'] };
}

/** UpdateRestApi `replace /endpointConfiguration/types/0`. */
export function replaceEndpointType(
  current: EndpointConfiguration,
  value: string | undefined,
): EndpointConfiguration {
  if (!(ENDPOINT_TYPES as readonly (string | undefined)[]).includes(value))
    throw new BadRequestError(
      'Invalid EndpointTypes specified. Valid options are REGIONAL,EDGE,PRIVATE',
    );
  // A PRIVATE API takes dualstack only: moving to it moves the IP address type with it.
  const ipAddressType = value === 'PRIVATE' ? 'dualstack' : current.ipAddressType;
  return { types: [value!], ipAddressType };
}

/** UpdateRestApi `replace /endpointConfiguration/ipAddressType`. */
export function replaceIpAddressType(
  current: EndpointConfiguration,
  value: string | undefined,
): EndpointConfiguration {
  if (!(IP_ADDRESS_TYPES as readonly (string | undefined)[]).includes(value))
    throw new BadRequestError('ipAddressType must be either ipv4 or dualstack.');
  if (current.types[0] === 'PRIVATE' && value !== 'dualstack')
    throw new BadRequestError(PRIVATE_IPV4);
  return { ...current, ipAddressType: value as EndpointConfiguration['ipAddressType'] };
}
