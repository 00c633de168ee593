// GetGatewayResponses, GetGatewayResponse, PutGatewayResponse, DeleteGatewayResponse.
// Every type is listed, the API's overrides with `defaultResponse: false`, AWS's defaults with
// `defaultResponse: true`.
// https://docs.aws.amazon.com/apigateway/latest/api/API_PutGatewayResponse.html
import { z } from 'zod';
import type { GatewayResponse, GatewayResponseType } from '../../model/types.js';
import { GATEWAY_RESPONSE_TYPES } from '../../openapi/gateway-responses.js';
import { BadRequestError, NotFoundError } from '../errors.js';
import type { ApiGatewayDeps } from './deps.js';
import { getApi } from './entities.js';
import { parseBody, stringMap, type Body } from './fields.js';
import { checkStatusCode } from './methods.js';
import { paginate } from './pagination.js';
import { gatewayResponseWire } from './wire.js';

function checkType(type: string): GatewayResponseType {
  if (!(GATEWAY_RESPONSE_TYPES as string[]).includes(type))
    throw new BadRequestError(
      `1 validation error detected: Value '${type}' at 'responseType' failed to satisfy constraint: ` +
        `Member must satisfy enum value set: [${GATEWAY_RESPONSE_TYPES.join(', ')}]`,
    );
  return type as GatewayResponseType;
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
  const all = GATEWAY_RESPONSE_TYPES.map((type) => gatewayResponseWire(type, overrides.get(type)));
  return paginate(all, query);
}

export async function getGatewayResponse(deps: ApiGatewayDeps, apiId: string, type: string) {
  const responseType = checkType(type);
  await getApi(deps.store, apiId, deps.settings.accountId);
  const override = await deps.store.get<GatewayResponse>('gatewayresponse', apiId, responseType);
  return gatewayResponseWire(responseType, override);
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
