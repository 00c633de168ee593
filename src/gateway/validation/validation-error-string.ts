// `$context.error.validationErrorString` for a body that fails its model. API Gateway validates
// with the Java json-schema-validator (draft 4) and lists its reports in brackets, e.g.
// `[object has missing required properties (["name"])]` or `[numeric instance is greater than the
// required maximum (maximum: 500, found: 501)]` (the execution log's "Request body does not match
// model schema for content type application/json: [...]",
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-validation-set-up.html).
// The common keywords are worded as it words them; the rest keep ajv's message. At most
// MAX_REPORTS are listed and quoted values are cut at MAX_SHOWN characters, so a large invalid
// body cannot make an unbounded answer.
import type { ErrorObject } from 'ajv-draft-04';

const MAX_REPORTS = 20;
/** A request value quoted in a report is cut here (ours: a 10 MB string is not repeated back). */
const MAX_SHOWN = 1000;

export function validationErrorString(errors: readonly ErrorObject[]): string {
  const reports: string[] = [];
  const missing = new Map<string, string[]>();
  for (const error of errors) {
    if (error.keyword === 'required') {
      // One report per object, naming every missing property, as the Java validator does.
      const names = missing.get(error.instancePath);
      const name = (error.params as { missingProperty: string }).missingProperty;
      if (names) names.push(name);
      else {
        const list = [name];
        missing.set(error.instancePath, list);
        reports.push(`\u0000${error.instancePath}`);
      }
      continue;
    }
    reports.push(report(error));
  }
  const text = reports
    .slice(0, MAX_REPORTS)
    .map((r) =>
      r.startsWith('\u0000')
        ? `object has missing required properties (${json([...missing.get(r.slice(1))!].sort())})`
        : r,
    );
  return `[${text.join(', ')}]`;
}

function json(value: unknown): string {
  return JSON.stringify(value);
}

/** A value of the request as a report shows it: JSON, cut at MAX_SHOWN characters. */
function shown(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length <= MAX_SHOWN ? text : `${text.slice(0, MAX_SHOWN)}…`;
}

/** JSON Schema's name for a value's type; integers are `integer`, as the Java validator says. */
function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function report(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const data: unknown = error.data;
  switch (error.keyword) {
    case 'type': {
      const allowed = String(params.type).split(',');
      return `instance type (${typeOf(data)}) does not match any allowed primitive type (allowed: ${json(allowed)})`;
    }
    case 'enum':
      return `instance value (${shown(data)}) not found in enum (possible values: ${json(params.allowedValues)})`;
    case 'minimum':
      return params.comparison === '>'
        ? `numeric instance is not strictly greater than the required minimum ${String(params.limit)}`
        : `numeric instance is lower than the required minimum (minimum: ${String(params.limit)}, found: ${String(data)})`;
    case 'maximum':
      return params.comparison === '<'
        ? `numeric instance is not strictly lower than the required maximum ${String(params.limit)}`
        : `numeric instance is greater than the required maximum (maximum: ${String(params.limit)}, found: ${String(data)})`;
    case 'minLength':
      return `string ${shown(data)} is too short (length: ${[...String(data)].length}, required minimum: ${String(params.limit)})`;
    case 'maxLength':
      return `string ${shown(data)} is too long (length: ${[...String(data)].length}, allowed maximum: ${String(params.limit)})`;
    case 'pattern':
      return `ECMA 262 regex ${json(params.pattern)} does not match input string ${shown(data)}`;
    case 'additionalProperties':
      return `object instance has properties which are not allowed by the schema: ${json([params.additionalProperty])}`;
    case 'minItems':
      return `array is too short: must have at least ${String(params.limit)} elements but instance has ${(data as unknown[]).length} elements`;
    case 'maxItems':
      return `array is too long: must have at most ${String(params.limit)} elements but instance has ${(data as unknown[]).length} elements`;
    default:
      return `${error.instancePath || '/'} ${error.message ?? error.keyword}`;
  }
}
