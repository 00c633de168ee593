// What every import step shares: the document, where errors point, and local $ref resolution.
import type { z } from 'zod';
import { formatKeyPath, formatZodIssue } from '../support/zod-issue.js';
import { OpenApiImportError, type OpenApiImportErrorCode } from './errors.js';

export type JsonPath = readonly (string | number)[];
export type JsonObject = Record<string, unknown>;

export interface Located<T> {
  value: T;
  path: JsonPath;
}

const MAX_REF_HOPS = 32;

export class ImportContext {
  readonly source: string;
  readonly root: JsonObject;

  constructor(source: string, root: JsonObject) {
    this.source = source;
    this.root = root;
  }

  fail(
    path: JsonPath,
    message: string,
    code: OpenApiImportErrorCode = 'ERR_OPENAPI_INVALID',
  ): never {
    throw new OpenApiImportError(code, this.source, formatKeyPath(path), message);
  }

  /**
   * Follows `$ref` chains to their target, lazily, only where the importer reads: schemas (which
   * may be recursive) are never expanded. Only local refs (`#/…`): an importer that fetches
   * files or URLs named by the document it imports is a way in, not a feature.
   */
  deref(value: unknown, path: JsonPath): Located<unknown> {
    let current: Located<unknown> = { value, path };
    for (let hops = 0; isObject(current.value) && '$ref' in current.value; hops++) {
      if (hops === MAX_REF_HOPS) this.fail(current.path, '$ref chain is circular');
      const ref = current.value.$ref;
      if (typeof ref !== 'string') this.fail([...current.path, '$ref'], 'expected a string');
      if (!ref.startsWith('#')) {
        this.fail(
          [...current.path, '$ref'],
          `only references inside the document (#/…) are supported (got "${ref}")`,
          'ERR_OPENAPI_UNSUPPORTED',
        );
      }
      current = this.resolvePointer(ref, current.path);
    }
    return current;
  }

  /** `deref` and require a mapping. */
  object(value: unknown, path: JsonPath): Located<JsonObject> {
    const found = this.deref(value, path);
    if (!isObject(found.value)) this.fail(found.path, 'expected a mapping');
    return { value: found.value, path: found.path };
  }

  /** Validates with a zod schema; the first problem becomes one OpenApiImportError. */
  parse<S extends z.ZodType>(schema: S, value: unknown, path: JsonPath): z.output<S> {
    const result = schema.safeParse(value, { reportInput: true });
    if (result.success) return result.data;
    const issue = formatZodIssue(result.error.issues[0]!);
    return this.fail([...path, ...(issue.path as JsonPath)], issue.message);
  }

  private resolvePointer(ref: string, from: JsonPath): Located<unknown> {
    // RFC 6901: `~1` is `/`, `~0` is `~`; the fragment may be percent-encoded.
    const tokens = decodeURIComponent(ref.slice(1))
      .split('/')
      .slice(1)
      .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
    let node: unknown = this.root;
    for (const token of tokens) {
      const container = node as Record<string, unknown>;
      if ((!isObject(node) && !Array.isArray(node)) || !Object.hasOwn(container, token)) {
        this.fail([...from, '$ref'], `"${ref}" points at nothing`);
      }
      node = container[token];
    }
    return { value: node, path: tokens };
  }
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
