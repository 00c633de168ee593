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

/** What a path's text says, read once: its names when dotted, and whether it gives a list. */
interface ReadPath {
  /** The names of a dotted path (`[]` for `$`), or undefined when jsonpath-plus evaluates it. */
  names: string[] | undefined;
  indefinite: boolean;
}

/**
 * Paths read so far. A template's paths are constants, so a few entries serve every request; a
 * path built from request data could make many, so the map is emptied when it fills.
 */
const READ = new Map<string, ReadPath>();
const READ_MAX = 1000;

function readPath(path: string): ReadPath {
  let read = READ.get(path);
  if (read) return read;
  read = {
    names: DOTTED.test(path) ? (path === '$' ? [] : path.slice(2).split('.')) : undefined,
    indefinite: INDEFINITE.test(path),
  };
  if (READ.size >= READ_MAX) READ.clear();
  READ.set(path, read);
  return read;
}

/** The value at `path` in `document`, or undefined when nothing is there. */
export function evaluateJsonPath(document: unknown, path: string): unknown {
  const { names, indefinite } = readPath(path);
  const walked = names ? walk(document, names) : NOT_WALKED;
  if (walked !== NOT_WALKED) return walked;
  const found =
    JSONPath<unknown[] | undefined>({ path, json: document as object, wrap: true, eval: false }) ??
    [];
  return indefinite ? found : found[0];
}

/**
 * A dotted path through plain objects, without jsonpath-plus's parse and trace (a profiled
 * template spent most of `$input.json('$.a')` there). Anything but a plain object on the way
 * (an array, a string) goes to jsonpath-plus, so its reading stays the only one.
 */
function walk(document: unknown, names: string[]): unknown {
  let value = document;
  if (typeof value !== 'object' || value === null) return NOT_WALKED;
  for (const key of names) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return NOT_WALKED;
    if (!Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
