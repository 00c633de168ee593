// Reading request bodies the way API Gateway validates them: required members, enums, types,
// each failure a BadRequestException in AWS's "validation error detected" words.
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
  min = -Infinity,
  max = Infinity,
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
