// CreateRestApi, GetRestApis, GetRestApi, UpdateRestApi, DeleteRestApi.
// https://docs.aws.amazon.com/apigateway/latest/api/API_CreateRestApi.html
import { z } from 'zod';
import { awsId } from '../../model/ids.js';
import { endpointOf } from '../../model/endpoint-configuration.js';
import type { Resource, RestApi, Stage } from '../../model/types.js';
import { newBuiltInModels } from '../../gateway/validation/built-in-models.js';
import type { StoreTx } from '../../store/store.js';
import { BadRequestError } from '../errors.js';
import type { ApiGatewayDeps } from './deps.js';
import { getApi, rootResourceId } from './entities.js';
import {
  readEndpointConfiguration,
  replaceEndpointType,
  replaceIpAddressType,
} from './endpoint-configuration.js';
import { enumOf, integerBetween, parseBody, stringMap, type Body } from './fields.js';
import { paginate } from './pagination.js';
import {
  applyPatchOperations,
  listEntry,
  readPatchOperations,
  stringField,
  type PatchRule,
} from './patch-operations.js';
import { restApiWire } from './wire.js';

const MAX_COMPRESSION = 10485760;
const API_KEY_SOURCES = ['HEADER', 'AUTHORIZER'] as const;
const compressionSize = integerBetween(0, MAX_COMPRESSION);
// AWS's own words, not Smithy's, for this range (test_update_rest_api_compression).
const INVALID_COMPRESSION = `Invalid minimum compression size, must be between 0 and ${MAX_COMPRESSION}`;

const createRestApiInput = z.object({
  name: z.string().min(1),
  description: z.string().optional(),
  binaryMediaTypes: z.array(z.string()).default([]),
  apiKeySource: enumOf(API_KEY_SOURCES).default('HEADER'),
  minimumCompressionSize: z.unknown().optional(),
  tags: stringMap.optional(),
});

export async function createRestApi(deps: ApiGatewayDeps, body: Body) {
  const endpointConfiguration = readEndpointConfiguration(
    body.endpointConfiguration,
    'createRestApiInput',
  );
  const input = parseBody(createRestApiInput, body, 'createRestApi');
  // AWS's own rules, after the model's (test_create_rest_api_with_optional_params).
  if (input.description === '') throw new BadRequestError('Description cannot be an empty string');
  if (
    input.minimumCompressionSize !== undefined &&
    !compressionSize.safeParse(input.minimumCompressionSize).success
  )
    throw new BadRequestError(INVALID_COMPRESSION);
  const api: RestApi = {
    id: awsId(10),
    name: input.name,
    createdDate: deps.now(),
    binaryMediaTypes: input.binaryMediaTypes,
    apiKeySource: input.apiKeySource,
    endpointConfiguration,
  };
  if (input.tags && Object.keys(input.tags).length > 0) api.tags = input.tags;
  if (input.description !== undefined) api.description = input.description;
  if (input.minimumCompressionSize !== undefined)
    api.minimumCompressionSize = input.minimumCompressionSize as number;
  // API Gateway creates the root resource `/` with every API; its id is 10 characters…
  const root: Resource = { id: awsId(10), path: '/', resourceMethods: {} };
  await deps.store.transaction(async (tx) => {
    await tx.insert('restapi', '', api.id, api);
    await tx.insert('resource', api.id, root.id, root);
    // …and the models `Empty` and `Error` (GetModels lists them on a new API).
    for (const model of newBuiltInModels()) await tx.insert('model', api.id, model.id, model);
  });
  return restApiWire(api, root.id);
}

export async function getRestApis(deps: ApiGatewayDeps, query: URLSearchParams) {
  const apis = await deps.store.list<RestApi>('restapi', '');
  const page = paginate(apis, query);
  const item = [];
  for (const api of page.item)
    item.push(restApiWire(api, await rootResourceId(deps.store, api.id)));
  return { ...page, item };
}

export async function getRestApi(deps: ApiGatewayDeps, apiId: string) {
  const api = await getApi(deps.store, apiId, deps.settings.accountId);
  return restApiWire(api, await rootResourceId(deps.store, apiId));
}

// https://docs.aws.amazon.com/apigateway/latest/api/patch-operations.html#UpdateRestApi-Patch
const REST_API_PATCH: PatchRule<RestApi>[] = [
  stringField('/name', 'name', { required: true }),
  stringField('/description', 'description'),
  {
    path: '/apiKeySource',
    ops: ['replace'],
    set: (api, value) => {
      if (!(API_KEY_SOURCES as readonly (string | undefined)[]).includes(value))
        throw new BadRequestError(
          `Invalid API Key source specified: ${value ?? 'null'}. Valid values are HEADER and AUTHORIZER`,
        );
      api.apiKeySource = value as RestApi['apiKeySource'];
    },
  },
  {
    path: '/minimumCompressionSize',
    ops: ['replace'],
    set: (api, value) => {
      if (value === undefined || value === '') delete api.minimumCompressionSize;
      else if (!/^\d+$/.test(value) || !compressionSize.safeParse(Number(value)).success)
        throw new BadRequestError(INVALID_COMPRESSION);
      else api.minimumCompressionSize = Number(value);
    },
  },
  listEntry('binaryMediaTypes'),
  {
    path: '/endpointConfiguration/types/0',
    ops: ['replace'],
    set: (api, value) =>
      void (api.endpointConfiguration = replaceEndpointType(endpointOf(api), value)),
  },
  {
    path: '/endpointConfiguration/ipAddressType',
    ops: ['replace'],
    set: (api, value) =>
      void (api.endpointConfiguration = replaceIpAddressType(endpointOf(api), value)),
  },
];

export async function updateRestApi(deps: ApiGatewayDeps, apiId: string, body: Body) {
  const operations = readPatchOperations(body, 'updateRestApiInput');
  const api = await deps.store.transaction(async (tx) => {
    const api = await getApi(tx, apiId, deps.settings.accountId);
    applyPatchOperations(api, operations, REST_API_PATCH, 'plain');
    await tx.put('restapi', '', apiId, api);
    return api;
  });
  // UpdateRestApi's answer always carries `tags`, `{}` when there are none, where Create and Get
  // leave it out (test_update_rest_api_operation_add_remove).
  return { tags: {}, ...restApiWire(api, await rootResourceId(deps.store, apiId)) };
}

export async function deleteRestApi(deps: ApiGatewayDeps, apiId: string): Promise<void> {
  await deps.store.transaction(async (tx) => {
    await getApi(tx, apiId, deps.settings.accountId);
    await removeApi(tx, apiId);
  });
}

/** Deletes an API and everything in it; every node drops its stages. */
export async function removeApi(tx: StoreTx, apiId: string): Promise<void> {
  const stages = await tx.list<Stage>('stage', apiId);
  // Kind by kind, not deleteScope(apiId): a function may share the API id as its name, and
  // its permissions and code live in that scope too.
  for (const kind of API_KINDS) {
    for (const id of await ids(tx, kind, apiId)) await tx.delete(kind, apiId, id);
  }
  await tx.delete('restapi', '', apiId);
  for (const stage of stages) tx.notify({ kind: 'stage', scope: apiId, id: stage.stageName });
  tx.notify({ kind: 'restapi', scope: '', id: apiId });
}

const API_KINDS = [
  'resource',
  'authorizer',
  'gatewayresponse',
  'model',
  'requestvalidator',
  'deployment',
  'stage',
] as const;

async function ids(
  tx: StoreTx,
  kind: (typeof API_KINDS)[number],
  apiId: string,
): Promise<string[]> {
  const docs = await tx.list<Record<string, unknown>>(kind, apiId);
  return docs.map((doc) => {
    switch (kind) {
      case 'gatewayresponse':
        return String(doc.responseType);
      case 'stage':
        return String(doc.stageName);
      default:
        return String(doc.id);
    }
  });
}
