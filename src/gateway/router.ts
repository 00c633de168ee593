// API Gateway's resource matching, compiled once per deployment into a per-segment tree.
// Rules (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-settings-method-request.html#api-gateway-proxy-resource):
// a literal part beats `{param}`, which beats a greedy `{proxy+}`; a greedy part matches one or
// more remaining segments and never the root; the most specific resource wins. A general router
// gets these wrong (find-my-way matches `/` on `/*`, drops long params), so this one is ours.
import { resourcePathOf } from './http/request-path.js';

export interface RouteTarget<M> {
  resourceId: string;
  /** The resource's path template, e.g. `/pets/{petId}` (`resource` in AWS's events). */
  resourcePath: string;
  methods: ReadonlyMap<string, M>;
}

export interface RouteMatch<M> {
  target: RouteTarget<M>;
  /**
   * Path parameter values as the path spells them (percent-encoded: REST APIs hand them to the
   * function that way); null when the resource has none (as AWS's events).
   */
  pathParameters: Record<string, string> | null;
}

interface Node<M> {
  literals: Map<string, Node<M>>;
  param: { name: string; node: Node<M> } | undefined;
  greedy: { name: string; target: RouteTarget<M> } | undefined;
  target: RouteTarget<M> | undefined;
}

const newNode = <M>(): Node<M> => ({
  literals: new Map(),
  param: undefined,
  greedy: undefined,
  target: undefined,
});

export class Router<M> {
  readonly #root: Node<M> = newNode();

  /** Adds a resource that has methods; resources without methods never match (AWS: 403). */
  add(resourcePath: string, resourceId: string, methods: ReadonlyMap<string, M>): void {
    const target: RouteTarget<M> = { resourceId, resourcePath, methods };
    const parts = resourcePath === '/' ? [] : resourcePath.slice(1).split('/');
    let node = this.#root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const variable = /^\{([^{}]+)\}$/.exec(part);
      if (!variable) {
        let next = node.literals.get(part);
        if (!next) node.literals.set(part, (next = newNode()));
        node = next;
        continue;
      }
      const name = variable[1]!;
      if (name.endsWith('+')) {
        if (i !== parts.length - 1)
          throw new Error(`${resourcePath}: a greedy path variable must be the last part`);
        node.greedy = { name: name.slice(0, -1), target };
        return;
      }
      if (node.param && node.param.name !== name) {
        throw new Error(
          `${resourcePath}: sibling path variables {${node.param.name}} and {${name}} conflict`,
        );
      }
      node.param ??= { name, node: newNode() };
      node = node.param.node;
    }
    node.target = target;
  }

  /** `path` is the canonical request path after the stage (http/request-path.ts). */
  match(path: string): RouteMatch<M> | undefined {
    // `/pets/` reaches `/pets` as on AWS; the root stays `/`.
    const p = resourcePathOf(path);
    if (p === '/' || p === '') {
      return this.#root.target ? { target: this.#root.target, pathParameters: null } : undefined;
    }
    const segments = p.slice(1).split('/');
    const params: Record<string, string> = {};
    const target = walk(this.#root, segments, 0, params);
    if (!target) return undefined;
    let hasParams = false;
    for (const _ in params) {
      hasParams = true;
      break;
    }
    return { target, pathParameters: hasParams ? params : null };
  }
}

function walk<M>(
  node: Node<M>,
  segments: string[],
  i: number,
  params: Record<string, string>,
): RouteTarget<M> | undefined {
  if (i === segments.length) return node.target;
  const segment = segments[i]!;
  if (segment === '') return undefined;
  const literal = node.literals.get(segment);
  if (literal) {
    const found = walk(literal, segments, i + 1, params);
    if (found) return found;
  }
  if (node.param) {
    params[node.param.name] = segment;
    const found = walk(node.param.node, segments, i + 1, params);
    if (found) return found;
    delete params[node.param.name];
  }
  if (node.greedy) {
    params[node.greedy.name] = segments.slice(i).join('/');
    return node.greedy.target;
  }
  return undefined;
}

/**
 * A path parameter as a backend integration is given it: REST APIs decode request parameters
 * before they pass them to a backend.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-known-issues.html#api-gateway-known-issues-rest-apis
 */
export function decodePathValue(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
