// `patchOperations`, as every API Gateway Update* operation takes them: a list of
// {op, path, value, from} where path is a JSON-Pointer-like path (`~1` for `/`, `~0` for `~`)
// and value is always a string. Each resource type allows its own paths and ops; anything else
// is a BadRequestException naming the path and the allowed ones, as AWS answers.
// https://docs.aws.amazon.com/apigateway/latest/api/patch-operations.html
// https://docs.aws.amazon.com/apigateway/latest/api/API_PatchOperation.html
import { z } from 'zod';
import { BadRequestError, ValidationError } from '../errors.js';
import { checkLength } from './limits.js';

export type PatchOp = 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
const OPS: readonly PatchOp[] = ['add', 'remove', 'replace', 'move', 'copy', 'test'];
/** The op enum in the order AWS's ValidationException lists it. */
const ENUM_ORDER = ['add', 'remove', 'move', 'test', 'replace', 'copy'];

export interface PatchOperation {
  op: PatchOp;
  path: string;
  value?: string;
  from?: string;
}

export interface PatchRule<T> {
  /** `/name`, or with `*` for one free segment: `/variables/*`, `/binaryMediaTypes/*`. */
  path: string;
  ops: readonly PatchOp[];
  /** add/replace with a value, remove with undefined. `params` are the `*` segments, unescaped. */
  set: (doc: T, value: string | undefined, op: PatchOp, params: string[]) => void;
  /** Reads the value at the path, for `copy`/`move` sources. */
  get?: (doc: T, params: string[]) => string | undefined;
}

/**
 * Reads `patchOperations` from an Update* body; BadRequestException when it is not a list.
 * `input` names the operation's input shape (`updateRestApiInput`) for the ValidationException an
 * op outside the six names gets — one error per such operation, numbered from 1, as AWS words it
 * (LocalStack's test_apigateway_api.snapshot.json: test_update_rest_api_concatenation_of_errors,
 * test_update_method_response_wrong_operations).
 */
export function readPatchOperations(
  body: Record<string, unknown>,
  input: string,
): PatchOperation[] {
  const raw = body.patchOperations;
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new BadRequestError('patchOperations must be a list');
  const badOps: string[] = [];
  const operations = raw.map((item: unknown, i) => {
    if (item === null || typeof item !== 'object')
      throw new BadRequestError('Invalid patch operation specified');
    const { op, path, value, from } = item as Record<string, unknown>;
    if (typeof op !== 'string' || !(OPS as readonly string[]).includes(op)) {
      const shown = typeof op === 'string' ? `'${op}'` : 'null';
      badOps.push(
        `Value ${shown} at '${input}.patchOperations.${i + 1}.member.op' failed to satisfy constraint: ` +
          (op === undefined || op === null
            ? 'Member must not be null'
            : `Member must satisfy enum value set: [${ENUM_ORDER.join(', ')}]`),
      );
    }
    // AWS: "Invalid patch path null" for a missing path (test_update_gateway_response).
    if (typeof path !== 'string' || !path.startsWith('/'))
      throw new BadRequestError(`Invalid patch path ${typeof path === 'string' ? path : 'null'}`);
    const operation: PatchOperation = { op: op as PatchOp, path };
    if (value !== undefined && value !== null) operation.value = scalar(value);
    if (typeof from === 'string') operation.from = from;
    return operation;
  });
  if (badOps.length > 0) {
    const count = badOps.length === 1 ? '1 validation error' : `${badOps.length} validation errors`;
    throw new ValidationError(`${count} detected: ${badOps.join('; ')}`);
  }
  return operations;
}

// Values are strings on the wire; tools that send JSON numbers or booleans get them read as text.
function scalar(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new BadRequestError('Invalid patch value: must be a string');
}

/**
 * How an entity's Update* words a path or op it does not take. AWS words it two ways:
 * - `listed` (Resource, Model, RequestValidator, …): "Invalid patch path  '/x' specified for op
 *   'replace'. Must be one of: [/a, /b]" (two spaces, as AWS), or "… Please choose supported
 *   operations" when no path takes the op;
 * - `plain` (RestApi, Method, MethodResponse): "Invalid patch path /x", or "Invalid patch
 *   operation specified. Must be one of: [replace]" for a path it knows under another op.
 * LocalStack's test_apigateway_api.snapshot.json (test_update_resource_behaviour,
 * test_update_model, test_invalid_update_request_validator_operations,
 * test_update_method_validation, test_update_rest_api_behaviour), recorded against AWS.
 */
export type PatchErrorStyle = 'listed' | 'plain';

/** Applies every operation to `doc` in order; throws before anything is stored. */
export function applyPatchOperations<T>(
  doc: T,
  operations: PatchOperation[],
  rules: readonly PatchRule<T>[],
  style: PatchErrorStyle = 'listed',
): void {
  for (const operation of operations) applyOne(doc, operation, rules, style);
}

function applyOne<T>(
  doc: T,
  operation: PatchOperation,
  rules: readonly PatchRule<T>[],
  style: PatchErrorStyle,
): void {
  const { op } = operation;
  const target = match(operation.path, rules, op === 'copy' || op === 'move' ? 'add' : op);
  if (!target || op === 'test') throw invalidPath(operation.path, op, rules, style);
  if (op === 'copy' || op === 'move') {
    if (operation.from === undefined)
      throw new BadRequestError(`Invalid patch operation: '${op}' requires 'from'`);
    const source = match(operation.from, rules, op === 'move' ? 'remove' : 'add');
    if (!source?.rule.get) throw invalidPath(operation.from, op, rules, style);
    const value = source.rule.get(doc, source.params);
    if (value === undefined)
      throw new BadRequestError(`Invalid patch operation: nothing at '${operation.from}'`);
    if (op === 'move') source.rule.set(doc, undefined, 'remove', source.params);
    target.rule.set(doc, value, 'add', target.params);
    return;
  }
  target.rule.set(doc, op === 'remove' ? undefined : operation.value, op, target.params);
}

function match<T>(
  path: string,
  rules: readonly PatchRule<T>[],
  op: PatchOp | undefined,
): { rule: PatchRule<T>; params: string[] } | undefined {
  const segments = path.split('/').slice(1);
  for (const rule of rules) {
    if (op !== undefined && !rule.ops.includes(op)) continue;
    const pattern = rule.path.split('/').slice(1);
    if (pattern.length !== segments.length) continue;
    const params: string[] = [];
    let ok = true;
    pattern.forEach((p, i) => {
      const s = segments[i]!;
      if (p === '*') {
        if (s === '') ok = false;
        params.push(unescapeSegment(s));
      } else if (p !== s) ok = false;
    });
    if (ok) return { rule, params };
  }
  return undefined;
}

/** `~1` → `/`, `~0` → `~` (in that order, as JSON Pointer). */
export function unescapeSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The inverse, for building paths: `application/json` → `application~1json`. */
export function escapeSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function invalidPath<T>(
  path: string,
  op: PatchOp,
  rules: readonly PatchRule<T>[],
  style: PatchErrorStyle,
): Error {
  if (style === 'plain') {
    const known = match(path, rules, undefined);
    if (!known) return new BadRequestError(`Invalid patch path ${path}`);
    return new BadRequestError(
      `Invalid patch operation specified. Must be one of: [${known.rule.ops.join(', ')}]`,
    );
  }
  const allowed = rules.filter((r) => r.ops.includes(op)).map((r) => r.path.replace(/\*/g, '{…}'));
  const where = `Invalid patch path  '${path}' specified for op '${op}'.`;
  if (allowed.length === 0)
    return new BadRequestError(`${where} Please choose supported operations`);
  return new BadRequestError(`${where} Must be one of: [${allowed.join(', ')}]`);
}

// Value readers: AWS's patch values are strings; these give AWS's BadRequest when they are not
// what the field needs.

export function requireValue(value: string | undefined, path: string): string {
  if (value === undefined)
    throw new BadRequestError(`Invalid patch operation specified: '${path}' needs a value`);
  return value;
}

export function booleanValue(value: string | undefined, path: string): boolean {
  const v = requireValue(value, path);
  if (v !== 'true' && v !== 'false')
    throw new BadRequestError(`Invalid boolean value '${v}' for '${path}'`);
  return v === 'true';
}

/** An integer value, in the range the member's schema states (the one its Create* reads). */
export function integerValue(
  value: string | undefined,
  path: string,
  member: z.ZodNumber = z.int(),
): number {
  const v = requireValue(value, path);
  const n = Number(v);
  if (!/^-?\d+$/.test(v))
    throw new BadRequestError(`Invalid value '${v}' for '${path}': must be an integer`);
  if (!member.safeParse(n).success)
    throw new BadRequestError(
      `Invalid value '${v}' for '${path}': must be between ${String(member.minValue)} and ${String(member.maxValue)}`,
    );
  return n;
}

/** A rule for one optional string field: replace sets it (empty/absent value unsets it). */
export function stringField<T>(
  path: string,
  key: keyof T & string,
  options: { required?: boolean; check?: (value: string) => void } = {},
): PatchRule<T> {
  return {
    path,
    ops: ['replace'],
    set: (doc, value) => {
      const record = doc as Record<string, unknown>;
      if (value === undefined || value === '') {
        if (options.required)
          throw new BadRequestError(`Invalid patch operation specified: '${path}' needs a value`);
        delete record[key];
        return;
      }
      checkLength(key, value);
      options.check?.(value);
      record[key] = value;
    },
    get: (doc) => (doc as Record<string, unknown>)[key] as string | undefined,
  };
}

/** A rule for entries of a string map field: `/{field}/{key}` add/replace/remove. */
export function mapEntry<T>(
  field: keyof T & string,
  parse: (value: string, key: string) => unknown = (v) => v,
  ops: readonly PatchOp[] = ['add', 'replace', 'remove', 'copy', 'move'],
): PatchRule<T> {
  return {
    path: `/${field}/*`,
    ops,
    set: (doc, value, op, [key]) => {
      const record = doc as Record<string, unknown>;
      const map = (record[field] ?? {}) as Record<string, unknown>;
      if (op === 'remove') {
        if (!(key! in map))
          throw new BadRequestError(`Invalid patch operation: no '${key}' in ${field} to remove`);
        delete map[key!];
      } else {
        map[key!] = parse(requireValue(value, `/${field}/${key}`), key!);
      }
      if (Object.keys(map).length === 0) delete record[field];
      else record[field] = map;
    },
    get: (doc, [key]) => {
      const map = (doc as Record<string, unknown>)[field] as Record<string, unknown> | undefined;
      const v = map?.[key!];
      return typeof v === 'string' ? v : v === undefined ? undefined : JSON.stringify(v);
    },
  };
}

/** A rule for a list of strings: `/{field}/{value}` add or remove (as binaryMediaTypes). */
export function listEntry<T>(field: keyof T & string): PatchRule<T> {
  return {
    path: `/${field}/*`,
    ops: ['add', 'remove'],
    set: (doc, _value, op, [item]) => {
      const record = doc as Record<string, unknown>;
      const list = ((record[field] as string[] | undefined) ?? []).filter((x) => x !== item);
      if (op === 'add') list.push(item!);
      record[field] = list;
    },
  };
}
