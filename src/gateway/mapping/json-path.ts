// JSONPath as `$input.path` / `$input.json` evaluate it. API Gateway uses Jayway JsonPath: a
// definite path (`$.a.b`, `$.a[0]`, `$['x-y']`) gives the value itself, an indefinite one
// (`$..id`, `$.items[*].id`, filters, unions, slices) gives a list.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html#input-variable-reference
// https://github.com/json-path/JsonPath#what-is-returned-when
import { JSONPath } from 'jsonpath-plus';

const INDEFINITE = /\.\.|\*|\?\(|\[[^\]]*[,:][^\]]*\]/;

/** The value at `path` in `document`, or undefined when nothing is there. */
export function evaluateJsonPath(document: unknown, path: string): unknown {
  const found =
    JSONPath<unknown[] | undefined>({ path, json: document as object, wrap: true, eval: false }) ??
    [];
  if (INDEFINITE.test(path)) return found;
  return found[0];
}
