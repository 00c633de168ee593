// Turns the first zod issue into one sentence a person can act on: the key path and what was
// expected, with the offending value.
import type { z } from 'zod';

export type KeyPath = readonly PropertyKey[];

export function formatKeyPath(path: KeyPath): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
};

function withInput(message: string, issue: { input?: unknown }): string {
  return 'input' in issue && issue.input !== undefined
    ? `${message} (got ${describeValue(issue.input)})`
    : message;
}

export function formatZodIssue(issue: z.core.$ZodIssue): { path: KeyPath; message: string } {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return { path: issue.path, message: 'required' };
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      return { path: issue.path, message: withInput(`expected ${expected}`, issue) };
    }
    case 'invalid_value':
      if (issue.input === undefined) return { path: issue.path, message: 'required' };
      return {
        path: issue.path,
        message: withInput(`expected one of ${issue.values.map(String).join(', ')}`, issue),
      };
    case 'unrecognized_keys':
      return { path: [...issue.path, issue.keys[0]!], message: 'unknown key' };
    case 'invalid_key': {
      const inner = issue.issues[0];
      // The key is already in the path; repeating it as "(got …)" adds nothing.
      return { path: issue.path, message: inner?.message ?? issue.message };
    }
    case 'custom':
      // Refinements see a whole object; their message already says what is wrong.
      return { path: issue.path, message: issue.message };
    default:
      // Every other check in our schemas carries its own message (`error:`), written for people.
      return { path: issue.path, message: withInput(issue.message, issue) };
  }
}
