// Reading request bodies the way API Gateway validates them: every operation states its members
// as a zod schema at the top of its own file (or in src/model when the importer shares it), and
// `parseBody` reads the body with it. Each failure is a BadRequestException in AWS's Smithy words
// ("1 validation error detected: … failed to satisfy constraint: Member must …"), which
// `smithyConstraint` derives from the zod issue and the member's schema, so a rule is stated once.
import { z } from 'zod';
import { BadRequestError, ValidationError } from '../errors.js';
import { checkLength } from './limits.js';

export type Body = Record<string, unknown>;

/** A map of strings (headers, parameters, templates, stage variables), as Smithy's map shape. */
export const stringMap = z.record(z.string(), z.string());
/** A map of booleans (a method's request and response parameters). */
export const booleanMap = z.record(z.string(), z.boolean());
/** An enum member: AWS's values, in AWS's order (the order its error lists them in). */
export function enumOf<const T extends string>(values: readonly T[]) {
  return z.enum(values as readonly [T, ...T[]]);
}
/** An integer member with Smithy's @range, both bounds inclusive. */
export function integerBetween(min: number, max: number) {
  return z.int().min(min).max(max);
}

/** The members a body gave, without the absent ones (as the stored model has them). */
export function presentMembers<T extends object>(
  input: T,
): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}

/**
 * Validates a body with a model schema: first the length limits (limits.ts), then the members'
 * types and ranges in Smithy's words, then the model's own rules (custom issues), whose messages
 * pass through unchanged. JSON nulls are absent members, as for AWS.
 */
export function parseBody<S extends z.ZodType>(
  schema: S,
  body: Body,
  operation: string,
): z.output<S> {
  // Null prototype: a member named __proto__ stays a member (and an unknown one, ignored).
  const present = Object.create(null) as Body;
  for (const [field, value] of Object.entries(body)) {
    if (value === null) continue;
    if (typeof value === 'string') checkLength(field, value, `${operation}Input.${field}`);
    present[field] = value;
  }
  const result = schema.safeParse(present, { error: smithyConstraint });
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  if (issue.code === 'custom') throw new BadRequestError(issue.message);
  const field = String(issue.path[0] ?? '');
  const value = present[field];
  const constraint = value === undefined ? 'Member must not be null' : issue.message;
  // Smithy does not print collections, nor a value that should have been one.
  const shown = typeof value === 'object' || isCollectionIssue(issue) ? '…' : value;
  throw new ValidationError(
    `1 validation error detected: Value ${quoted(shown)} at '${operation}Input.${field}' failed to satisfy constraint: ${constraint}`,
  );
}

function quoted(value: unknown): string {
  if (value === undefined) return 'null';
  return `'${typeof value === 'string' ? value : JSON.stringify(value)}'`;
}

function isCollectionIssue(issue: z.core.$ZodIssue): boolean {
  if (issue.path.length > 1) return true;
  return (
    issue.code === 'invalid_type' && (issue.expected === 'record' || issue.expected === 'array')
  );
}

/**
 * The constraint a zod issue stands for, as Smithy's validation words it: zod's error map for
 * `parseBody`. Custom issues (a model's own rules) keep their message.
 */
export function smithyConstraint(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return typeConstraint(issue);
    case 'invalid_value':
      return `Member must satisfy enum value set: [${issue.values.map(String).join(', ')}]`;
    case 'too_small':
    case 'too_big':
      if (issue.origin === 'number') return rangeConstraint(issue);
      return issue.code === 'too_small'
        ? `Member must have length greater than or equal to ${String(issue.minimum)}`
        : `Member must have length less than or equal to ${String(issue.maximum)}`;
    default:
      return undefined;
  }
}

/** Smithy's @range words: both bounds when the member's schema states both (integerBetween). */
function rangeConstraint(issue: z.core.$ZodRawIssue): string {
  // zod hands the error map the schema whose check failed; its bounds are the member's range.
  const { minValue, maxValue } = (issue as { schema?: Partial<z.ZodNumber> }).schema ?? {};
  // z.int()'s own bounds are the safe-integer range, which no @range states.
  const stated = (v: number | null | undefined) =>
    typeof v === 'number' && Math.abs(v) < Number.MAX_SAFE_INTEGER ? v : undefined;
  const min = stated(minValue);
  const max = stated(maxValue);
  if (min !== undefined && max !== undefined)
    return `Member must have value between ${min} and ${max} inclusive`;
  return issue.code === 'too_small'
    ? `Member must have value greater than or equal to ${String(min ?? issue.minimum)}`
    : `Member must have value less than or equal to ${String(max ?? issue.maximum)}`;
}

type TypeIssue = z.core.$ZodRawIssue<z.core.$ZodIssueInvalidType>;

function typeConstraint(issue: TypeIssue): string {
  // An element of a collection: the member is that collection (of collections, for deeper paths).
  const path = issue.path ?? [];
  if (path.length > 1) {
    const outer = path.slice(1).map((key) => (typeof key === 'number' ? 'list' : 'map'));
    return `Member must be a ${[outer[0], ...outer.slice(1).map((k) => `${k}s`)].join(' of ')} of ${plural(issue.expected)}`;
  }
  const inst = issue.inst as z.core.$ZodType | undefined;
  if (issue.expected === 'record' || issue.expected === 'array')
    // One collection: `maps of strings` → `a map of strings`.
    return `Member must be a ${(inst ? described(inst) : plural(issue.expected)).replace(/^(\w+)s\b/, '$1')}`;
  if (issue.expected === 'number' || issue.expected === 'int') return 'Member must be an integer';
  return `Member must be a ${issue.expected}`;
}

const NOUNS: Readonly<Record<string, string>> = { record: 'map', array: 'list', int: 'integer' };

function plural(type: string): string {
  return `${NOUNS[type] ?? type}s`;
}

/** A schema's values in words, plural: `strings`, `lists of strings`, `maps of booleans`. */
function described(schema: z.core.$ZodType): string {
  const def = schema._zod.def;
  if (def.type === 'record') return `maps of ${described((def as z.core.$ZodRecordDef).valueType)}`;
  if (def.type === 'array') return `lists of ${described((def as z.core.$ZodArrayDef).element)}`;
  return plural(def.type);
}
