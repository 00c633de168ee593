// PutMethod, GetMethod, UpdateMethod, DeleteMethod (its responses: method-responses.ts).
// https://docs.aws.amazon.com/apigateway/latest/api/API_PutMethod.html
import { z } from 'zod';
import type { AuthorizationType, HttpMethod, Method, Model, Resource } from '../../model/types.js';
import { BUILT_IN_MODELS } from '../../gateway/validation/built-in-models.js';
import type { StoreTx } from '../../store/store.js';
import { BadRequestError, ConflictError } from '../errors.js';
import type { ApiGatewayDeps } from './deps.js';
import { getApi, getMethod, getResource } from './entities.js';
import { booleanMap, enumOf, parseBody, presentMembers, stringMap, type Body } from './fields.js';
import {
  applyPatchOperations,
  booleanValue,
  mapEntry,
  readPatchOperations,
  stringField,
  type PatchRule,
} from './patch-operations.js';
import { methodWire } from './wire.js';

const HTTP_METHODS: readonly HttpMethod[] = [
  'GET',
  'PUT',
  'POST',
  'DELETE',
  'PATCH',
  'OPTIONS',
  'HEAD',
  'ANY',
];
const AUTHORIZATION_TYPES: readonly AuthorizationType[] = [
  'NONE',
  'CUSTOM',
  'AWS_IAM',
  'COGNITO_USER_POOLS',
];
const STATUS_CODE = /^[1-5]\d\d$/;

export function checkHttpMethod(httpMethod: string): HttpMethod {
  if (!(HTTP_METHODS as readonly string[]).includes(httpMethod))
    throw new BadRequestError(
      'Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY',
    );
  return httpMethod as HttpMethod;
}

export function checkStatusCode(statusCode: string): string {
  if (!STATUS_CODE.test(statusCode))
    throw new BadRequestError('Invalid response status code specified');
  return statusCode;
}

/** Loads the API, resource and method inside a transaction, with AWS's NotFound messages. */
export async function loadMethod(
  tx: StoreTx,
  deps: ApiGatewayDeps,
  apiId: string,
  resourceId: string,
  httpMethod: string,
): Promise<{ resource: Resource; method: Method }> {
  await getApi(tx, apiId, deps.settings.accountId);
  const resource = await getResource(tx, apiId, resourceId);
  return { resource, method: getMethod(resource, httpMethod) };
}

/**
 * Loads a method in a transaction, lets `change` edit it (or its resource), and stores the
 * resource: the shape every method-level write shares.
 */
export async function changeMethod(
  deps: ApiGatewayDeps,
  apiId: string,
  resourceId: string,
  httpMethod: string,
  change: (method: Method, resource: Resource, tx: StoreTx) => void | Promise<void>,
): Promise<{ resource: Resource; method: Method }> {
  return deps.store.transaction(async (tx) => {
    const { resource, method } = await loadMethod(tx, deps, apiId, resourceId, httpMethod);
    await change(method, resource, tx);
    await tx.put('resource', apiId, resource.id, resource);
    return { resource, method };
  });
}

const putMethodInput = z.object({
  authorizationType: enumOf(AUTHORIZATION_TYPES),
  apiKeyRequired: z.boolean().default(false),
  authorizerId: z.string().optional(),
  operationName: z.string().optional(),
  requestParameters: booleanMap.optional(),
  requestModels: stringMap.optional(),
  requestValidatorId: z.string().optional(),
  authorizationScopes: z.array(z.string()).optional(),
});

export async function putMethod(
  deps: ApiGatewayDeps,
  apiId: string,
  resourceId: string,
  httpMethodParam: string,
  body: Body,
) {
  const httpMethod = checkHttpMethod(httpMethodParam);
  const method: Method = {
    httpMethod,
    ...presentMembers(parseBody(putMethodInput, body, 'putMethod')),
  };
  const resource = await deps.store.transaction(async (tx) => {
    await getApi(tx, apiId, deps.settings.accountId);
    const resource = await getResource(tx, apiId, resourceId);
    if (resource.resourceMethods[httpMethod])
      throw new ConflictError('Method already exists for this resource');
    await checkAuthorization(tx, apiId, method);
    await checkRequestValidation(tx, apiId, method);
    resource.resourceMethods[httpMethod] = method;
    await tx.put('resource', apiId, resource.id, resource);
    return resource;
  });
  return methodWire(method, resource);
}

/**
 * The validator and the models a method names must be the API's (AWS's BadRequestException
 * messages, as LocalStack's provider reproduces them). `Empty` and `Error` are AWS's own models.
 */
async function checkRequestValidation(tx: StoreTx, apiId: string, method: Method): Promise<void> {
  if (method.requestValidatorId === '') delete method.requestValidatorId;
  if (
    method.requestValidatorId !== undefined &&
    !(await tx.get('requestvalidator', apiId, method.requestValidatorId))
  )
    throw new BadRequestError('Invalid Request Validator identifier specified');
  const names = Object.values(method.requestModels ?? {});
  if (names.length === 0) return;
  const models = new Set((await tx.list<Model>('model', apiId)).map((m) => m.name));
  for (const name of names)
    if (!models.has(name) && !BUILT_IN_MODELS.some((m) => m.name === name))
      throw new BadRequestError(`Invalid model identifier specified: ${name}`);
}

/** CUSTOM and COGNITO_USER_POOLS need an authorizer of this API; others carry none. */
async function checkAuthorization(tx: StoreTx, apiId: string, method: Method): Promise<void> {
  const { authorizationType } = method;
  if (authorizationType !== 'CUSTOM' && authorizationType !== 'COGNITO_USER_POOLS') {
    delete method.authorizerId;
    return;
  }
  const authorizer =
    method.authorizerId === undefined
      ? undefined
      : await tx.get('authorizer', apiId, method.authorizerId);
  if (!authorizer)
    throw new BadRequestError(
      'Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.',
    );
}

export async function getMethodOp(
  deps: ApiGatewayDeps,
  apiId: string,
  resourceId: string,
  httpMethod: string,
) {
  await getApi(deps.store, apiId, deps.settings.accountId);
  const resource = await getResource(deps.store, apiId, resourceId);
  return methodWire(getMethod(resource, httpMethod), resource);
}

// https://docs.aws.amazon.com/apigateway/latest/api/patch-operations.html#UpdateMethod-Patch
const METHOD_PATCH: PatchRule<Method>[] = [
  {
    path: '/authorizationType',
    ops: ['replace'],
    set: (m, v) => {
      if (!(AUTHORIZATION_TYPES as readonly (string | undefined)[]).includes(v))
        throw new BadRequestError(
          `Invalid authorization type specified: ${v ?? 'null'}. Valid values are NONE, CUSTOM, AWS_IAM, COGNITO_USER_POOLS`,
        );
      m.authorizationType = v as AuthorizationType;
    },
  },
  stringField('/authorizerId', 'authorizerId'),
  {
    path: '/apiKeyRequired',
    ops: ['replace'],
    set: (m, v) => void (m.apiKeyRequired = booleanValue(v, '/apiKeyRequired')),
  },
  stringField('/operationName', 'operationName'),
  mapEntry('requestParameters', (v, k) => booleanValue(v, `/requestParameters/${k}`)),
  mapEntry('requestModels'),
  stringField('/requestValidatorId', 'requestValidatorId'),
  {
    path: '/authorizationScopes',
    ops: ['add', 'remove'],
    set: (m, v, op) => {
      const scopes = (m.authorizationScopes ?? []).filter((s) => s !== v);
      if (op === 'add' && v !== undefined) scopes.push(v);
      if (scopes.length > 0) m.authorizationScopes = scopes;
      else delete m.authorizationScopes;
    },
  },
];

export async function updateMethod(
  deps: ApiGatewayDeps,
  apiId: string,
  resourceId: string,
  httpMethod: string,
  body: Body,
) {
  const operations = readPatchOperations(body, 'updateMethodInput');
  // `remove` of /authorizationScopes carries the scope as its value.
  for (const op of operations)
    if (op.op === 'remove' && op.path === '/authorizationScopes' && op.value === undefined)
      throw new BadRequestError(
        "Invalid patch operation: remove '/authorizationScopes' needs a value",
      );
  const { resource, method } = await changeMethod(
    deps,
    apiId,
    resourceId,
    httpMethod,
    async (method, _resource, tx) => {
      applyPatchOperations(method, operations, METHOD_PATCH, 'plain');
      await checkAuthorization(tx, apiId, method);
      await checkRequestValidation(tx, apiId, method);
    },
  );
  return methodWire(method, resource);
}

export async function deleteMethod(
  deps: ApiGatewayDeps,
  apiId: string,
  resourceId: string,
  httpMethod: string,
): Promise<void> {
  await changeMethod(deps, apiId, resourceId, httpMethod, (_method, resource) => {
    delete resource.resourceMethods[httpMethod as HttpMethod];
  });
}
