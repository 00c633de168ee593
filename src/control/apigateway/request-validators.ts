// CreateRequestValidator, GetRequestValidators, GetRequestValidator, UpdateRequestValidator,
// DeleteRequestValidator. https://docs.aws.amazon.com/apigateway/latest/api/API_CreateRequestValidator.html
import { z } from 'zod';
import { awsId } from '../../model/ids.js';
import type { RequestValidator } from '../../model/types.js';
import { BadRequestError } from '../errors.js';
import type { ApiGatewayDeps } from './deps.js';
import { getApi, getRequestValidator, methodUsing } from './entities.js';
import { parseBody, type Body } from './fields.js';
import { paginate } from './pagination.js';
import {
  applyPatchOperations,
  booleanValue,
  readPatchOperations,
  stringField,
  type PatchRule,
} from './patch-operations.js';
import { requestValidatorWire } from './wire.js';

// https://docs.aws.amazon.com/apigateway/latest/api/API_CreateRequestValidator.html#API_CreateRequestValidator_RequestSyntax
const createRequestValidatorSchema = z.object({
  name: z.string().optional(),
  validateRequestBody: z.boolean().optional(),
  validateRequestParameters: z.boolean().optional(),
});

export async function createRequestValidator(deps: ApiGatewayDeps, apiId: string, body: Body) {
  const input = parseBody(createRequestValidatorSchema, body, 'createRequestValidator');
  const validator: RequestValidator = {
    id: awsId(6),
    ...(input.name === undefined ? {} : { name: input.name }),
    validateRequestBody: input.validateRequestBody ?? false,
    validateRequestParameters: input.validateRequestParameters ?? false,
  };
  await deps.store.transaction(async (tx) => {
    // AWS: BadRequestException here, not NotFound (test_create_request_validator_invalid_api_id).
    await getApi(
      tx,
      apiId,
      deps.settings.accountId,
      () => new BadRequestError('Invalid REST API identifier specified'),
    );
    await tx.insert('requestvalidator', apiId, validator.id, validator);
  });
  return requestValidatorWire(validator);
}

export async function getRequestValidators(
  deps: ApiGatewayDeps,
  apiId: string,
  query: URLSearchParams,
) {
  await getApi(deps.store, apiId, deps.settings.accountId);
  const all = await deps.store.list<RequestValidator>('requestvalidator', apiId);
  const page = paginate(all, query);
  return { ...page, item: page.item.map(requestValidatorWire) };
}

export async function getRequestValidatorOp(deps: ApiGatewayDeps, apiId: string, id: string) {
  await getApi(deps.store, apiId, deps.settings.accountId);
  return requestValidatorWire(await getRequestValidator(deps.store, apiId, id));
}

// https://docs.aws.amazon.com/apigateway/latest/api/patch-operations.html#UpdateRequestValidator-Patch
const VALIDATOR_PATCH: PatchRule<RequestValidator>[] = [
  // In the order AWS's error lists them.
  stringField('/name', 'name'),
  {
    path: '/validateRequestParameters',
    ops: ['replace'],
    set: (v, value) =>
      void (v.validateRequestParameters = booleanValue(value, '/validateRequestParameters')),
  },
  {
    path: '/validateRequestBody',
    ops: ['replace'],
    set: (v, value) => void (v.validateRequestBody = booleanValue(value, '/validateRequestBody')),
  },
];

export async function updateRequestValidator(
  deps: ApiGatewayDeps,
  apiId: string,
  id: string,
  body: Body,
) {
  const operations = readPatchOperations(body, 'updateRequestValidatorInput');
  const validator = await deps.store.transaction(async (tx) => {
    await getApi(tx, apiId, deps.settings.accountId);
    const validator = await getRequestValidator(tx, apiId, id);
    applyPatchOperations(validator, operations, VALIDATOR_PATCH);
    await tx.put('requestvalidator', apiId, validator.id, validator);
    return validator;
  });
  return requestValidatorWire(validator);
}

/**
 * A validator a method uses cannot be deleted: the method would point at nothing and the next
 * deployment fail. (AWS's answer here is not documented; this is what its users would expect.)
 */
export async function deleteRequestValidator(
  deps: ApiGatewayDeps,
  apiId: string,
  id: string,
): Promise<void> {
  await deps.store.transaction(async (tx) => {
    await getApi(tx, apiId, deps.settings.accountId);
    const validator = await getRequestValidator(tx, apiId, id);
    const user = await methodUsing(tx, apiId, (m) => m.requestValidatorId === id);
    if (user)
      throw new BadRequestError(
        `Cannot delete request validator '${validator.name ?? id}', is referenced in method: ${user.method.httpMethod}:${user.resource.path}`,
      );
    await tx.delete('requestvalidator', apiId, id);
  });
}
