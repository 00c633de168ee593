// x-amazon-apigateway-gateway-responses → per-API overrides of gateway responses.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-gateway-responses.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
import { z } from 'zod';
import type { GatewayResponse, GatewayResponseType } from '../model/types.js';
import type { ImportContext, JsonPath } from './context.js';
import { statusCodeSchema } from './integration.js';

export const GATEWAY_RESPONSES = 'x-amazon-apigateway-gateway-responses';

// In the order GetGatewayResponses lists them (alphabetical; test_gateway_response_crud).
const TYPES = {
  ACCESS_DENIED: true,
  API_CONFIGURATION_ERROR: true,
  AUTHORIZER_CONFIGURATION_ERROR: true,
  AUTHORIZER_FAILURE: true,
  BAD_REQUEST_BODY: true,
  BAD_REQUEST_PARAMETERS: true,
  DEFAULT_4XX: true,
  DEFAULT_5XX: true,
  EXPIRED_TOKEN: true,
  INTEGRATION_FAILURE: true,
  INTEGRATION_TIMEOUT: true,
  INVALID_API_KEY: true,
  INVALID_SIGNATURE: true,
  MISSING_AUTHENTICATION_TOKEN: true,
  QUOTA_EXCEEDED: true,
  REQUEST_TOO_LARGE: true,
  RESOURCE_NOT_FOUND: true,
  THROTTLED: true,
  UNAUTHORIZED: true,
  UNSUPPORTED_MEDIA_TYPE: true,
  WAF_FILTERED: true,
} satisfies Record<GatewayResponseType, true>;

/** Every gateway response type, from the model's list (the `satisfies` keeps them in step). */
export const GATEWAY_RESPONSE_TYPES = Object.keys(TYPES) as GatewayResponseType[];

const stringMap = z.record(z.string(), z.string());

const gatewayResponseSchema = z.looseObject({
  statusCode: statusCodeSchema.optional(),
  responseParameters: z
    .record(
      z.string().regex(/^gatewayresponse\.header\.[^\s]+$/, {
        error: 'expected gatewayresponse.header.{name}',
      }),
      z.string(),
    )
    .optional(),
  responseTemplates: stringMap.optional(),
});

export function readGatewayResponses(
  ctx: ImportContext,
  value: unknown,
): Partial<Record<GatewayResponseType, GatewayResponse>> {
  const out: Partial<Record<GatewayResponseType, GatewayResponse>> = {};
  if (value === undefined || value === null) return out;
  const map = ctx.object(value, [GATEWAY_RESPONSES]);
  for (const [type, raw] of Object.entries(map.value)) {
    const at: JsonPath = [...map.path, type];
    if (!Object.hasOwn(TYPES, type)) {
      ctx.fail(
        at,
        `unknown gateway response type (expected one of ${GATEWAY_RESPONSE_TYPES.join(', ')})`,
      );
    }
    const responseType = type as GatewayResponseType;
    const found = ctx.object(raw, at);
    const parsed = ctx.parse(gatewayResponseSchema, found.value, found.path);
    const response: GatewayResponse = { responseType };
    if (parsed.statusCode !== undefined) response.statusCode = parsed.statusCode;
    if (parsed.responseParameters !== undefined)
      response.responseParameters = parsed.responseParameters;
    if (parsed.responseTemplates !== undefined)
      response.responseTemplates = parsed.responseTemplates;
    out[responseType] = response;
  }
  return out;
}
