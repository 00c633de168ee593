// Reading request bodies the way API Gateway validates them: required members, enums, types,
// each failure a BadRequestException in AWS's "validation error detected" words. `parseBody` reads
// a whole body with a model schema (zod, as the project file is read); the per-member readers
// below serve operations whose model has no schema yet.
import type { z } from 'zod';
import { BadRequestError } from '../errors.js';
import { checkLength } from './limits.js';

export type Body = Record<string, unknown>;

function validation(operation: string, field: string, value: unknown, constraint: string) {
  const shown =
    value === undefined || value === null
      ? 'null'
      : `'${typeof value === 'string' ? value : JSON.stringify(value)}'`;
  return new BadRequestError(
    `1 validation error detected: Value ${shown} at '${operation}Input.${field}' failed to satisfy constraint: ${constraint}`,
  );
}

/**
 * Validates a body with a model schema: first the length limits (limits.ts), then the members'
 * types in Smithy's words, then the model's own rules, whose messages pass through unchanged.
 * JSON nulls are absent members, as for AWS.
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
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = String(issue.path[0] ?? '');
  if (issue.code === 'custom') throw new BadRequestError(issue.message);
  const value = present[field];
  const constraint = value === undefined ? 'Member must not be null' : smithyConstraint(issue);
  throw validation(operation, field, shownValue(value), constraint);
}

function shownValue(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? '…' : value;
}

/** The constraint a zod issue stands for, as Smithy's validation words it. */
function smithyConstraint(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      // A map's value (path [member, key]) or a list's item (path [member, index]).
      if (issue.path.length > 1 && typeof issue.path[1] === 'string')
        return `Member must be a map of ${issue.expected}s`;
      if (issue.path.length > 1 || issue.expected === 'array')
        return 'Member must be a list of strings';
      if (issue.expected === 'record') return 'Member must be a map';
      if (issue.expected === 'number' || issue.expected === 'int')
        return 'Member must be an integer';
      return `Member must be a ${issue.expected}`;
    case 'invalid_value':
      return `Member must satisfy enum value set: [${issue.values.map(String).join(', ')}]`;
    case 'too_small':
      return `Member must have length greater than or equal to ${String(issue.minimum)}`;
    default:
      return issue.message;
  }
}

export function requiredString(body: Body, field: string, operation: string): string {
  const value = body[field];
  if (value === undefined || value === null)
    throw validation(operation, field, value, 'Member must not be null');
  if (value === '')
    throw validation(operation, field, value, 'Member must have length greater than or equal to 1');
  if (typeof value !== 'string')
    throw validation(operation, field, value, 'Member must be a string');
  checkLength(field, value, `${operation}Input.${field}`);
  return value;
}

export function optionalString(body: Body, field: string, operation: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw validation(operation, field, value, 'Member must be a string');
  checkLength(field, value, `${operation}Input.${field}`);
  return value;
}

export function optionalBoolean(body: Body, field: string, operation: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean')
    throw validation(operation, field, value, 'Member must be a boolean');
  return value;
}

export function optionalInteger(
  body: Body,
  field: string,
  operation: string,
  min: number,
  max: number,
): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw validation(operation, field, value, 'Member must be an integer');
  if (value < min || value > max)
    throw validation(
      operation,
      field,
      value,
      `Member must have value between ${min} and ${max} inclusive`,
    );
  return value;
}

export function optionalEnum<const T extends string>(
  body: Body,
  field: string,
  operation: string,
  values: readonly T[],
): T | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value))
    throw validation(
      operation,
      field,
      value,
      `Member must satisfy enum value set: [${values.join(', ')}]`,
    );
  return value as T;
}

export function requiredEnum<const T extends string>(
  body: Body,
  field: string,
  operation: string,
  values: readonly T[],
): T {
  const value = optionalEnum(body, field, operation, values);
  if (value === undefined) throw validation(operation, field, value, 'Member must not be null');
  return value;
}

export function optionalStringMap(
  body: Body,
  field: string,
  operation: string,
): Record<string, string> | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (
    typeof value !== 'object' ||
    Array.isArray(value) ||
    Object.values(value).some((v) => typeof v !== 'string')
  )
    throw validation(operation, field, '…', 'Member must be a map of strings');
  return value as Record<string, string>;
}

export function optionalBooleanMap(
  body: Body,
  field: string,
  operation: string,
): Record<string, boolean> | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (
    typeof value !== 'object' ||
    Array.isArray(value) ||
    Object.values(value).some((v) => typeof v !== 'boolean')
  )
    throw validation(operation, field, '…', 'Member must be a map of booleans');
  return value as Record<string, boolean>;
}

export function optionalStringList(
  body: Body,
  field: string,
  operation: string,
): string[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    throw validation(operation, field, '…', 'Member must be a list of strings');
  return value as string[];
}
