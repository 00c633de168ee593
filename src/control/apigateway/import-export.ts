// ImportRestApi, PutRestApi (merge | overwrite), GetExport — and putRestApiFromOpenApi, which
// `serve --config` calls at every start: same ids for the same paths and authorizer names, so
// re-importing an unchanged document changes nothing.
// https://docs.aws.amazon.com/apigateway/latest/api/API_ImportRestApi.html
// https://docs.aws.amazon.com/apigateway/latest/api/API_PutRestApi.html
// https://docs.aws.amazon.com/apigateway/latest/api/API_GetExport.html
import { stringify } from 'yaml';
import { parseYaml } from '../../support/yaml.js';
import { awsId } from '../../model/ids.js';
import type {
  ApiSnapshot,
  Authorizer,
  Deployment,
  GatewayResponse,
  Model,
  RequestValidator,
  Resource,
  RestApi,
} from '../../model/types.js';
import { exportOpenApi } from '../../openapi/export.js';
import { importOpenApiDocument } from '../../openapi/import.js';
import { OpenApiImportError } from '../../openapi/errors.js';
import type { StoreTx } from '../../store/store.js';
import { BadRequestError, NotFoundError } from '../errors.js';
import type { ApiGatewayDeps, ModelDeps } from './deps.js';
import { getApi, getStage, rootResourceId } from './entities.js';
import { restApiWire } from './wire.js';

export type PutMode = 'merge' | 'overwrite';

export interface PutRestApiInput {
  id: string;
  /** The API's name; the document's `info.title` when absent. */
  name?: string;
  /** Parsed OpenAPI document. */
  document: unknown;
  mode: PutMode;
}

/**
 * Creates the API with this id from an OpenAPI document, or updates it (merge or overwrite),
 * keeping the ids of resources (by path) and authorizers (by name) that already exist.
 */
export async function putRestApiFromOpenApi(
  deps: ModelDeps,
  input: PutRestApiInput,
): Promise<RestApi> {
  return deps.store.transaction(async (tx) => {
    const existing = await tx.get<RestApi>('restapi', '', input.id);
    const imported = importDocument(
      deps,
      input.id,
      input.document,
      input.name ?? nameFallback(input.document, existing),
    );
    if (!existing) {
      await writeSnapshot(tx, imported);
      return imported.api;
    }
    return input.mode === 'overwrite'
      ? overwrite(tx, existing, imported)
      : merge(tx, existing, imported);
  });
}

/** A document without `info.title` keeps the API's current name. */
function nameFallback(document: unknown, existing: RestApi | undefined): string | undefined {
  const info = (document as { info?: { title?: unknown } } | null)?.info;
  return typeof info?.title === 'string' && info.title !== '' ? undefined : existing?.name;
}

function importDocument(
  deps: ModelDeps,
  apiId: string,
  document: unknown,
  apiName: string | undefined,
): ApiSnapshot {
  try {
    const options = {
      apiId,
      settings: deps.settings,
      functionExists: deps.functionExists,
      source: 'body',
      ...(apiName === undefined ? {} : { apiName }),
      ...(deps.now ? { now: deps.now } : {}),
    };
    return importOpenApiDocument(document, options);
  } catch (error) {
    if (error instanceof OpenApiImportError)
      throw new BadRequestError(`Errors found during import:\n\t${error.message}`);
    throw error;
  }
}

async function writeSnapshot(tx: StoreTx, snapshot: ApiSnapshot): Promise<void> {
  const apiId = snapshot.api.id;
  await tx.put('restapi', '', apiId, snapshot.api);
  for (const resource of snapshot.resources) await tx.put('resource', apiId, resource.id, resource);
  for (const authorizer of snapshot.authorizers)
    await tx.put('authorizer', apiId, authorizer.id, authorizer);
  for (const response of Object.values(snapshot.gatewayResponses))
    await tx.put('gatewayresponse', apiId, response.responseType, response);
  for (const model of snapshot.models ?? []) await tx.put('model', apiId, model.id, model);
  for (const validator of snapshot.requestValidators ?? [])
    await tx.put('requestvalidator', apiId, validator.id, validator);
}

async function overwrite(tx: StoreTx, existing: RestApi, imported: ApiSnapshot): Promise<RestApi> {
  const apiId = existing.id;
  const resources = await tx.list<Resource>('resource', apiId);
  const authorizers = await tx.list<Authorizer>('authorizer', apiId);
  adoptIds(imported, resources, authorizers);
  for (const r of resources) await tx.delete('resource', apiId, r.id);
  for (const a of authorizers) await tx.delete('authorizer', apiId, a.id);
  for (const g of await tx.list<GatewayResponse>('gatewayresponse', apiId))
    await tx.delete('gatewayresponse', apiId, g.responseType);
  for (const m of await tx.list<Model>('model', apiId)) await tx.delete('model', apiId, m.id);
  for (const v of await tx.list<RequestValidator>('requestvalidator', apiId))
    await tx.delete('requestvalidator', apiId, v.id);
  imported.api.createdDate = existing.createdDate;
  if (existing.endpointConfiguration)
    imported.api.endpointConfiguration = existing.endpointConfiguration;
  await writeSnapshot(tx, imported);
  return imported.api;
}

/** Merge: the document's methods, authorizers and gateway responses win; the rest stays. */
async function merge(tx: StoreTx, existing: RestApi, imported: ApiSnapshot): Promise<RestApi> {
  const apiId = existing.id;
  const resources = await tx.list<Resource>('resource', apiId);
  const authorizers = await tx.list<Authorizer>('authorizer', apiId);
  adoptIds(imported, resources, authorizers);
  await mergeByName<Model>(tx, apiId, 'model', imported.models ?? []);
  const validatorIds = await mergeByName<RequestValidator>(
    tx,
    apiId,
    'requestvalidator',
    imported.requestValidators ?? [],
  );
  for (const resource of imported.resources)
    for (const method of Object.values(resource.resourceMethods))
      if (method?.requestValidatorId !== undefined)
        method.requestValidatorId =
          validatorIds.get(method.requestValidatorId) ?? method.requestValidatorId;
  const byPath = new Map(resources.map((r) => [r.path, r]));
  for (const resource of imported.resources) {
    const current = byPath.get(resource.path);
    const next = current
      ? { ...current, resourceMethods: { ...current.resourceMethods, ...resource.resourceMethods } }
      : resource;
    await tx.put('resource', apiId, next.id, next);
  }
  for (const authorizer of imported.authorizers)
    await tx.put('authorizer', apiId, authorizer.id, authorizer);
  for (const response of Object.values(imported.gatewayResponses))
    await tx.put('gatewayresponse', apiId, response.responseType, response);
  const api: RestApi = {
    ...existing,
    binaryMediaTypes: [
      ...new Set([...existing.binaryMediaTypes, ...imported.api.binaryMediaTypes]),
    ],
  };
  await tx.put('restapi', '', apiId, api);
  return api;
}

/**
 * Gives imported resources the ids of existing ones at the same path, and imported authorizers
 * the ids of existing ones of the same name, rewriting parent and authorizer references.
 */
function adoptIds(imported: ApiSnapshot, resources: Resource[], authorizers: Authorizer[]): void {
  const existingByPath = new Map(resources.map((r) => [r.path, r.id]));
  const taken = new Set(resources.map((r) => r.id));
  const resourceIds = new Map<string, string>();
  for (const resource of imported.resources) {
    let id = existingByPath.get(resource.path);
    if (id === undefined) {
      id = resource.id;
      while (taken.has(id)) id = awsId(6);
      taken.add(id);
    }
    resourceIds.set(resource.id, id);
  }
  const authorizerIds = new Map<string, string>();
  const existingByName = new Map(authorizers.map((a) => [a.name, a.id]));
  for (const authorizer of imported.authorizers) {
    const id = existingByName.get(authorizer.name) ?? authorizer.id;
    authorizerIds.set(authorizer.id, id);
    authorizer.id = id;
  }
  for (const resource of imported.resources) {
    resource.id = resourceIds.get(resource.id)!;
    if (resource.parentId !== undefined) resource.parentId = resourceIds.get(resource.parentId)!;
    for (const method of Object.values(resource.resourceMethods))
      if (method?.authorizerId !== undefined)
        method.authorizerId = authorizerIds.get(method.authorizerId) ?? method.authorizerId;
  }
}

/**
 * Models and validators of the document replace those of the same name, keeping their ids, so
 * methods outside the document still point at them. Returns imported id → kept id.
 */
async function mergeByName<T extends { id: string; name?: string | undefined }>(
  tx: StoreTx,
  apiId: string,
  kind: 'model' | 'requestvalidator',
  imported: T[],
): Promise<Map<string, string>> {
  const existing = new Map((await tx.list<T>(kind, apiId)).map((e) => [e.name, e.id]));
  const ids = new Map<string, string>();
  for (const entity of imported) {
    const id = (entity.name === undefined ? undefined : existing.get(entity.name)) ?? entity.id;
    ids.set(entity.id, id);
    entity.id = id;
    await tx.put(kind, apiId, id, entity);
  }
  return ids;
}

function parseBody(body: Buffer): unknown {
  const parsed = parseYaml(body.toString('utf8'));
  if (!parsed.ok)
    throw new BadRequestError(
      `Errors found during import:\n\tUnable to parse API definition: ${parsed.reason} at line ${parsed.line}, column ${parsed.column}`,
    );
  return parsed.value;
}

export async function importRestApi(deps: ApiGatewayDeps, body: Buffer) {
  const document = parseBody(body);
  const api = await putRestApiFromOpenApi(deps, { id: awsId(10), document, mode: 'overwrite' });
  return restApiWire(api, await rootResourceId(deps.store, api.id));
}

export async function putRestApi(
  deps: ApiGatewayDeps,
  apiId: string,
  query: URLSearchParams,
  body: Buffer,
) {
  const mode = query.get('mode') ?? 'merge';
  if (mode !== 'merge' && mode !== 'overwrite')
    throw new BadRequestError(
      `Invalid mode specified: ${mode}. Valid values are merge and overwrite`,
    );
  await getApi(deps.store, apiId, deps.settings.accountId);
  const document = parseBody(body);
  const api = await putRestApiFromOpenApi(deps, { id: apiId, document, mode });
  return restApiWire(api, await rootResourceId(deps.store, apiId));
}

const CONTENT_TYPES = ['application/json', 'application/yaml'] as const;

export async function getExport(
  deps: ApiGatewayDeps,
  apiId: string,
  stageName: string,
  exportType: string,
  query: URLSearchParams,
  accept: string | undefined,
) {
  if (exportType !== 'oas30' && exportType !== 'swagger')
    throw new NotFoundError(`Invalid export type specified: ${exportType}`);
  await getApi(deps.store, apiId, deps.settings.accountId);
  const stage = await getStage(deps.store, apiId, stageName);
  const deployment = await deps.store.get<Deployment>('deployment', apiId, stage.deploymentId);
  if (!deployment) throw new NotFoundError('Invalid Deployment identifier specified');
  const type =
    accept
      ?.split(',')
      .map((t) => t.split(';')[0]!.trim())
      .find((t) => (CONTENT_TYPES as readonly string[]).includes(t)) ?? 'application/json';
  const extensions = new Set(
    (query.get('extensions') ?? '')
      .split(',')
      .map((e) => e.trim())
      .filter((e) => e !== ''),
  );
  const document = exportOpenApi(deployment.snapshot, {
    exportType: exportType,
    stageName,
    settings: deps.settings,
    extensions,
    version: new Date(deployment.createdDate).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  });
  const yaml = type === 'application/yaml';
  const text = yaml ? stringify(document) : JSON.stringify(document, null, 2);
  return {
    body: Buffer.from(text),
    headers: {
      'Content-Type': type,
      'Content-Disposition': `attachment; filename="${exportType}_${deployment.id}.${yaml ? 'yaml' : 'json'}"`,
    },
  };
}
