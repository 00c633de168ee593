// GetGatewayResponses, GetGatewayResponse, PutGatewayResponse, DeleteGatewayResponse.
// Every type is listed, the API's overrides with `defaultResponse: false`, AWS's defaults with
// `defaultResponse: true`.
// https://docs.aws.amazon.com/apigateway/latest/api/API_PutGatewayResponse.html
import { z } from 'zod';
import type { GatewayResponse, GatewayResponseType } from '../../model/types.js';
import { gatewayResponseDefault } from '../../gateway/responses.js';
import { GATEWAY_RESPONSE_TYPES } from '../../openapi/gateway-responses.js';
import { BadRequestError, NotFoundError, ValidationError } from '../errors.js';
import type { ApiGatewayDeps } from './deps.js';
import { getApi } from './entities.js';
import { parseBody, stringMap, type Body } from './fields.js';
import { checkStatusCode } from './methods.js';
import { paginate } from './pagination.js';
import { gatewayResponseWire } from './wire.js';

/** The enum as AWS's ValidationException lists it (test_gateway_response_validation). */
const ENUM_ORDER =
  'REQUEST_TOO_LARGE, RESOURCE_NOT_FOUND, AUTHORIZER_CONFIGURATION_ERROR, MISSING_AUTHENTICATION_TOKEN, ' +
  'BAD_REQUEST_BODY, INVALID_SIGNATURE, INVALID_API_KEY, BAD_REQUEST_PARAMETERS, AUTHORIZER_FAILURE, ' +
  'UNAUTHORIZED, INTEGRATION_TIMEOUT, ACCESS_DENIED, DEFAULT_4XX, DEFAULT_5XX, WAF_FILTERED, ' +
  'QUOTA_EXCEEDED, THROTTLED, API_CONFIGURATION_ERROR, UNSUPPORTED_MEDIA_TYPE, INTEGRATION_FAILURE, ' +
  'EXPIRED_TOKEN';

function checkType(type: string): GatewayResponseType {
  if (!(GATEWAY_RESPONSE_TYPES as string[]).includes(type))
    throw new ValidationError(
      `1 validation error detected: Value '${type}' at 'responseType' failed to satisfy constraint: ` +
        `Member must satisfy enum value set: [${ENUM_ORDER}]`,
    );
  return type as GatewayResponseType;
}

/** DEFAULT_4XX or DEFAULT_5XX: the one that stands for `type` unless the API set `type` itself. */
function familyOf(type: GatewayResponseType): GatewayResponseType {
  return gatewayResponseDefault(type).status >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
}

export async function getGatewayResponses(
  deps: ApiGatewayDeps,
  apiId: string,
  query: URLSearchParams,
) {
  await getApi(deps.store, apiId, deps.settings.accountId);
  const overrides = new Map(
    (await deps.store.list<GatewayResponse>('gatewayresponse', apiId)).map((r) => [
      r.responseType,
      r,
    ]),
  );
  const all = GATEWAY_RESPONSE_TYPES.map((type) =>
    gatewayResponseWire(type, overrides.get(type), overrides.get(familyOf(type))),
  );
  return paginate(all, query);
}

export async function getGatewayResponse(deps: ApiGatewayDeps, apiId: string, type: string) {
  const responseType = checkType(type);
  await getApi(deps.store, apiId, deps.settings.accountId);
  const override = await deps.store.get<GatewayResponse>('gatewayresponse', apiId, responseType);
  const family = override
    ? undefined
    : await deps.store.get<GatewayResponse>('gatewayresponse', apiId, familyOf(responseType));
  return gatewayResponseWire(responseType, override, family);
}

const putGatewayResponseInput = z.object({
  statusCode: z.string().optional(),
  responseParameters: stringMap.optional(),
  responseTemplates: stringMap.optional(),
});

export async function putGatewayResponse(
  deps: ApiGatewayDeps,
  apiId: string,
  type: string,
  body: Body,
) {
  const responseType = checkType(type);
  const input = parseBody(putGatewayResponseInput, body, 'putGatewayResponse');
  const response: GatewayResponse = { responseType };
  if (input.statusCode !== undefined) response.statusCode = checkStatusCode(input.statusCode);
  const parameters = input.responseParameters;
  if (parameters !== undefined) {
    for (const key of Object.keys(parameters))
      if (!/^gatewayresponse\.header\.[^\s]+$/.test(key))
        throw new BadRequestError(
          `Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression specified: ${key}]`,
        );
    response.responseParameters = parameters;
  }
  if (input.responseTemplates !== undefined) response.responseTemplates = input.responseTemplates;
  await deps.store.transaction(async (tx) => {
    await getApi(tx, apiId, deps.settings.accountId);
    await tx.put('gatewayresponse', apiId, responseType, response);
  });
  return gatewayResponseWire(responseType, response);
}

export async function deleteGatewayResponse(
  deps: ApiGatewayDeps,
  apiId: string,
  type: string,
): Promise<void> {
  const responseType = checkType(type);
  await deps.store.transaction(async (tx) => {
    await getApi(tx, apiId, deps.settings.accountId);
    if (!(await tx.delete('gatewayresponse', apiId, responseType)))
      throw new NotFoundError('Invalid Gateway Response identifier specified');
  });
}
