// CreateRestApi, GetRestApis, GetRestApi, UpdateRestApi, DeleteRestApi.
// https://docs.aws.amazon.com/apigateway/latest/api/API_CreateRestApi.html
import { awsId } from '../../model/ids.js';
import type { Resource, RestApi, Stage } from '../../model/types.js';
import type { StoreTx } from '../../store/store.js';
import { BadRequestError } from '../errors.js';
import type { ApiGatewayDeps } from './deps.js';
import { getApi, rootResourceId } from './entities.js';
import {
  optionalEnum,
  optionalInteger,
  optionalString,
  optionalStringList,
  requiredString,
  type Body,
} from './fields.js';
import { paginate } from './pagination.js';
import {
  applyPatchOperations,
  integerValue,
  listEntry,
  readPatchOperations,
  stringField,
  type PatchRule,
} from './patch-operations.js';
import { restApiWire } from './wire.js';

const MAX_COMPRESSION = 10485760;
const ENDPOINT_TYPES = ['EDGE', 'REGIONAL', 'PRIVATE'] as const;

export async function createRestApi(deps: ApiGatewayDeps, body: Body) {
  const api: RestApi = {
    id: awsId(10),
    name: requiredString(body, 'name', 'createRestApi'),
    createdDate: deps.now(),
    binaryMediaTypes: optionalStringList(body, 'binaryMediaTypes', 'createRestApi') ?? [],
    apiKeySource:
      optionalEnum(body, 'apiKeySource', 'createRestApi', ['HEADER', 'AUTHORIZER']) ?? 'HEADER',
  };
  const description = optionalString(body, 'description', 'createRestApi');
  if (description !== undefined) api.description = description;
  const compression = optionalInteger(
    body,
    'minimumCompressionSize',
    'createRestApi',
    0,
    MAX_COMPRESSION,
  );
  if (compression !== undefined) api.minimumCompressionSize = compression;
  api.endpointConfiguration = { types: endpointTypes(body.endpointConfiguration) };
  // API Gateway creates the root resource `/` with every API; its id is 10 characters.
  const root: Resource = { id: awsId(10), path: '/', resourceMethods: {} };
  await deps.store.transaction(async (tx) => {
    await tx.insert('restapi', '', api.id, api);
    await tx.insert('resource', api.id, root.id, root);
  });
  return restApiWire(api, root.id);
}

function endpointTypes(raw: unknown): string[] {
  if (raw === undefined || raw === null) return ['EDGE'];
  const types = (raw as { types?: unknown }).types;
  if (types === undefined) return ['EDGE'];
  if (
    !Array.isArray(types) ||
    types.length !== 1 ||
    !(ENDPOINT_TYPES as readonly unknown[]).includes(types[0])
  )
    throw new BadRequestError(
      'Invalid endpoint configuration: types must be one of EDGE, REGIONAL, PRIVATE',
    );
  return [types[0] as string];
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
      if (value !== 'HEADER' && value !== 'AUTHORIZER')
        throw new BadRequestError(
          `Invalid API Key source specified: ${value ?? 'null'}. Valid values are HEADER and AUTHORIZER`,
        );
      api.apiKeySource = value;
    },
  },
  {
    path: '/minimumCompressionSize',
    ops: ['replace'],
    set: (api, value) => {
      if (value === undefined || value === '') delete api.minimumCompressionSize;
      else
        api.minimumCompressionSize = integerValue(
          value,
          '/minimumCompressionSize',
          0,
          MAX_COMPRESSION,
        );
    },
  },
  listEntry('binaryMediaTypes'),
  {
    path: '/endpointConfiguration/types/0',
    ops: ['replace'],
    set: (api, value) => {
      api.endpointConfiguration = { types: endpointTypes({ types: [value] }) };
    },
  },
];

export async function updateRestApi(deps: ApiGatewayDeps, apiId: string, body: Body) {
  const operations = readPatchOperations(body);
  const api = await deps.store.transaction(async (tx) => {
    const api = await getApi(tx, apiId, deps.settings.accountId);
    applyPatchOperations(api, operations, REST_API_PATCH);
    await tx.put('restapi', '', apiId, api);
    return api;
  });
  return restApiWire(api, await rootResourceId(deps.store, apiId));
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
