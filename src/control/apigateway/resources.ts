// GetResources, GetResource, CreateResource, UpdateResource, DeleteResource.
// https://docs.aws.amazon.com/apigateway/latest/api/API_CreateResource.html
import { z } from 'zod';
import { awsId } from '../../model/ids.js';
import type { Resource } from '../../model/types.js';
import type { StoreTx } from '../../store/store.js';
import { BadRequestError, ConflictError } from '../errors.js';
import type { ApiGatewayDeps } from './deps.js';
import { childPath, getApi, getResource } from './entities.js';
import { parseBody, type Body } from './fields.js';
import { paginate } from './pagination.js';
import { applyPatchOperations, readPatchOperations, type PatchRule } from './patch-operations.js';
import { resourceWire } from './wire.js';

// AWS's own wording; `:` is accepted in literal parts as the console does (see openapi/resources.ts).
const PATH_PART = /^(?:[A-Za-z0-9._:-]+|\{[A-Za-z0-9._-]+\+?\})$/;
const PATH_PART_MESSAGE =
  "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.";

const embedsMethods = (query: URLSearchParams) =>
  query.getAll('embed').some((e) => e.split(',').includes('methods'));

export async function getResources(deps: ApiGatewayDeps, apiId: string, query: URLSearchParams) {
  await getApi(deps.store, apiId, deps.settings.accountId);
  const resources = await deps.store.list<Resource>('resource', apiId);
  const page = paginate(resources, query);
  const embed = embedsMethods(query);
  return { ...page, item: page.item.map((r) => resourceWire(r, embed)) };
}

export async function getResourceOp(
  deps: ApiGatewayDeps,
  apiId: string,
  resourceId: string,
  query: URLSearchParams,
) {
  await getApi(deps.store, apiId, deps.settings.accountId);
  const resource = await getResource(deps.store, apiId, resourceId);
  return resourceWire(resource, embedsMethods(query));
}

const createResourceInput = z.object({ pathPart: z.string().min(1) });

export async function createResource(
  deps: ApiGatewayDeps,
  apiId: string,
  parentId: string,
  body: Body,
) {
  const { pathPart } = parseBody(createResourceInput, body, 'createResource');
  const resource = await deps.store.transaction(async (tx) => {
    await getApi(tx, apiId, deps.settings.accountId);
    const parent = await getResource(tx, apiId, parentId);
    const siblings = await tx.list<Resource>('resource', apiId);
    checkPlacement(parent, pathPart, siblings, undefined);
    const resource: Resource = {
      id: await freshResourceId(tx, apiId),
      parentId: parent.id,
      pathPart,
      path: childPath(parent, pathPart),
      resourceMethods: {},
    };
    await tx.insert('resource', apiId, resource.id, resource);
    return resource;
  });
  return resourceWire(resource, false);
}

async function freshResourceId(tx: StoreTx, apiId: string): Promise<string> {
  for (;;) {
    const id = awsId(6);
    if (!(await tx.get('resource', apiId, id))) return id;
  }
}

/** API Gateway's rules for a child: valid part, unique name, one variable, nothing under greedy. */
function checkPlacement(
  parent: Resource,
  pathPart: string,
  resources: Resource[],
  selfId: string | undefined,
): void {
  if (!PATH_PART.test(pathPart)) throw new BadRequestError(PATH_PART_MESSAGE);
  if (parent.pathPart?.endsWith('+}'))
    throw new BadRequestError(
      `Cannot create a child of a resource with a greedy path variable: ${parent.pathPart}`,
    );
  for (const sibling of resources) {
    if (sibling.parentId !== parent.id || sibling.id === selfId) continue;
    if (sibling.pathPart === pathPart)
      throw new ConflictError(
        `Another resource with the same parent already has this name: ${pathPart}`,
      );
    if (pathPart.startsWith('{') && sibling.pathPart?.startsWith('{'))
      throw new BadRequestError(
        `A sibling (${sibling.pathPart}) of this resource already has a variable path part -- only one is allowed`,
      );
  }
}

interface ResourceChange {
  pathPart?: string;
  parentId?: string;
}

// https://docs.aws.amazon.com/apigateway/latest/api/patch-operations.html#UpdateResource-Patch
const RESOURCE_PATCH: PatchRule<ResourceChange>[] = [
  // In the order AWS's error lists them ("Must be one of: [/parentId, /pathPart]").
  {
    path: '/parentId',
    ops: ['replace'],
    set: (c, v) => void (c.parentId = v ?? ''),
  },
  {
    path: '/pathPart',
    ops: ['replace'],
    set: (c, v) => void (c.pathPart = v ?? ''),
  },
];

export async function updateResource(
  deps: ApiGatewayDeps,
  apiId: string,
  resourceId: string,
  body: Body,
) {
  const operations = readPatchOperations(body, 'updateResourceInput');
  const updated = await deps.store.transaction(async (tx) => {
    await getApi(tx, apiId, deps.settings.accountId);
    const resource = await getResource(tx, apiId, resourceId);
    const change: ResourceChange = {};
    applyPatchOperations(change, operations, RESOURCE_PATCH);
    if (change.pathPart === undefined && change.parentId === undefined) return resource;
    if (resource.path === '/') throw new BadRequestError('Cannot update the root resource');
    const all = await tx.list<Resource>('resource', apiId);
    const parent = await getResource(tx, apiId, change.parentId ?? resource.parentId!);
    if (parent.id === resource.id || isDescendant(all, parent.id, resource.id))
      throw new BadRequestError('Cannot move a resource under itself or one of its descendants');
    const pathPart = change.pathPart ?? resource.pathPart!;
    checkPlacement(parent, pathPart, all, resource.id);
    resource.parentId = parent.id;
    resource.pathPart = pathPart;
    await rebase(tx, apiId, all, resource, childPath(parent, pathPart));
    return resource;
  });
  return resourceWire(updated, false);
}

function isDescendant(all: Resource[], id: string, ancestorId: string): boolean {
  const byId = new Map(all.map((r) => [r.id, r]));
  for (let r = byId.get(id); r?.parentId !== undefined; r = byId.get(r.parentId))
    if (r.parentId === ancestorId) return true;
  return false;
}

/** Gives a resource its new path and rewrites its descendants' paths to match. */
async function rebase(
  tx: StoreTx,
  apiId: string,
  all: Resource[],
  resource: Resource,
  path: string,
): Promise<void> {
  resource.path = path;
  await tx.put('resource', apiId, resource.id, resource);
  for (const child of all.filter((r) => r.parentId === resource.id))
    await rebase(tx, apiId, all, child, childPath(resource, child.pathPart!));
}

export async function deleteResource(
  deps: ApiGatewayDeps,
  apiId: string,
  resourceId: string,
): Promise<void> {
  await deps.store.transaction(async (tx) => {
    await getApi(tx, apiId, deps.settings.accountId);
    const resource = await getResource(tx, apiId, resourceId);
    if (resource.path === '/') throw new BadRequestError('Cannot delete the root resource');
    const all = await tx.list<Resource>('resource', apiId);
    // Deleting a resource deletes its whole subtree, as AWS does.
    for (const r of all)
      if (r.id === resource.id || isDescendant(all, r.id, resource.id))
        await tx.delete('resource', apiId, r.id);
  });
}
