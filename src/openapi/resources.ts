// Builds API Gateway's resource tree from OpenAPI path keys, as API Gateway's import does: the
// root `/` always exists and every intermediate path part becomes a resource of its own.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-settings-method-request.html#api-gateway-proxy-resource
import { stableId } from '../support/stable-id.js';
import type { Resource } from '../model/types.js';
import type { ImportContext, JsonPath } from './context.js';

// API Gateway's rule for a path part, as its CreateResource error says: "Resource's path part only
// allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign
// before the closing brace." The console and CreateResource also accept `:` in literal parts
// (e.g. `events:batch`): https://github.com/aws/aws-cdk/issues/22477
const LITERAL_PART = /^[A-Za-z0-9._:-]+$/;
const VARIABLE_PART = /^\{[A-Za-z0-9._-]+\+?\}$/;

export interface ResourceTree {
  /** Every resource by its full path, root first. */
  byPath: Map<string, Resource>;
  /** Ids given out, and each parent's variable part: kept beside byPath so that adding a resource
   * costs the same with 10 resources or 10,000 (a scan of byPath per resource was quadratic). */
  ids: Set<string>;
  variableChildOf: Map<string, string>;
}

export function createResourceTree(apiId: string): ResourceTree {
  // Root resource ids are 10 characters in AWS (`rootResourceId`), others 6.
  const root: Resource = {
    id: stableId(`resource:${apiId}:/`, 10),
    path: '/',
    resourceMethods: {},
  };
  return { byPath: new Map([['/', root]]), ids: new Set([root.id]), variableChildOf: new Map() };
}

/** The resource for `path`, creating it and any missing ancestors. */
export function ensureResource(
  ctx: ImportContext,
  tree: ResourceTree,
  apiId: string,
  path: string,
  at: JsonPath,
): Resource {
  if (path === '/') return tree.byPath.get('/')!;
  if (!path.startsWith('/')) ctx.fail(at, 'a path must start with /');
  const parts = path.slice(1).split('/');
  let parent = tree.byPath.get('/')!;
  parts.forEach((part, index) => {
    checkPathPart(ctx, part, index === parts.length - 1, at);
    const childPath = parent.path === '/' ? `/${part}` : `${parent.path}/${part}`;
    let child = tree.byPath.get(childPath);
    if (!child) {
      checkVariableSibling(ctx, tree, parent, part, at);
      child = {
        id: uniqueResourceId(tree, apiId, childPath),
        parentId: parent.id,
        pathPart: part,
        path: childPath,
        resourceMethods: {},
      };
      tree.byPath.set(childPath, child);
      tree.ids.add(child.id);
      if (part.startsWith('{')) tree.variableChildOf.set(parent.id, part);
    }
    parent = child;
  });
  return parent;
}

function checkPathPart(ctx: ImportContext, part: string, last: boolean, at: JsonPath): void {
  if (part === '') ctx.fail(at, 'empty path part (// or a trailing /)');
  if (!LITERAL_PART.test(part) && !VARIABLE_PART.test(part)) {
    ctx.fail(
      at,
      `invalid path part "${part}": a path part may only contain a-zA-Z0-9._:- , or be a {variable} ` +
        'with an optional + before the closing brace',
    );
  }
  // A greedy variable matches the rest of the path, so nothing can sit below it.
  if (part.endsWith('+}') && !last) {
    ctx.fail(at, `greedy path variable "${part}" must be the last path part`);
  }
}

/** API Gateway allows one variable path part under a parent: the match would be ambiguous. */
function checkVariableSibling(
  ctx: ImportContext,
  tree: ResourceTree,
  parent: Resource,
  part: string,
  at: JsonPath,
): void {
  if (!part.startsWith('{')) return;
  const other = tree.variableChildOf.get(parent.id);
  if (other !== undefined) {
    ctx.fail(
      at,
      `A sibling (${other}) of this resource already has a variable path part -- only one is allowed`,
    );
  }
}

function uniqueResourceId(tree: ResourceTree, apiId: string, path: string): string {
  const taken = tree.ids;
  let id = stableId(`resource:${apiId}:${path}`, 6);
  // A collision among 36^6 ids is unlikely but possible; resolve it the same way every time.
  for (let n = 1; taken.has(id); n++) id = stableId(`resource:${apiId}:${path}#${n}`, 6);
  return id;
}
