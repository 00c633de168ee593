// JSONPath as `$input.path` / `$input.json` evaluate it. API Gateway uses Jayway JsonPath: a
// definite path (`$.a.b`, `$.a[0]`, `$['x-y']`) gives the value itself, an indefinite one
// (`$..id`, `$.items[*].id`, filters, unions, slices) gives a list.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html#input-variable-reference
// https://github.com/json-path/JsonPath#what-is-returned-when
import { JSONPath } from 'jsonpath-plus';

const INDEFINITE = /\.\.|\*|\?\(|\[[^\]]*[,:][^\]]*\]/;

/** `$`, `$.a`, `$.a.b_c`: a path of plain names, walked directly (most templates' paths). */
const DOTTED = /^\$(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const NOT_WALKED = Symbol('not walked');

/** The value at `path` in `document`, or undefined when nothing is there. */
export function evaluateJsonPath(document: unknown, path: string): unknown {
  const walked = DOTTED.test(path) ? walk(document, path) : NOT_WALKED;
  if (walked !== NOT_WALKED) return walked;
  const found =
    JSONPath<unknown[] | undefined>({ path, json: document as object, wrap: true, eval: false }) ??
    [];
  if (INDEFINITE.test(path)) return found;
  return found[0];
}

/**
 * A dotted path through plain objects, without jsonpath-plus's parse and trace (a profiled
 * template spent most of `$input.json('$.a')` there). Anything but a plain object on the way
 * (an array, a string) goes to jsonpath-plus, so its reading stays the only one.
 */
function walk(document: unknown, path: string): unknown {
  let value = document;
  if (typeof value !== 'object' || value === null) return NOT_WALKED;
  if (path === '$') return value;
  for (const key of path.slice(2).split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return NOT_WALKED;
    if (!Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
