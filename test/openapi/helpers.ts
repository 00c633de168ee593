import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS, type ApiSnapshot } from '../../src/model/types.js';
import { importOpenApiDocument, OpenApiImportError } from '../../src/openapi/index.js';

export const API_ID = 'a1b2c3d4e5';
export const FUNCTIONS = new Set(['hello', 'api-authorizer']);

export function lambdaUri(fn: string): string {
  return `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${fn}/invocations`;
}

export function lambdaProxy(fn = 'hello'): Record<string, unknown> {
  return {
    'x-amazon-apigateway-integration': {
      type: 'aws_proxy',
      httpMethod: 'POST',
      uri: lambdaUri(fn),
    },
  };
}

/** A minimal OpenAPI 3 document around `paths`. */
export function oas3(
  paths: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { openapi: '3.0.1', info: { title: 'test-api' }, paths, ...extra };
}

export function importDoc(doc: unknown, apiId = API_ID): ApiSnapshot {
  return importOpenApiDocument(doc, {
    apiId,
    settings: DEFAULT_SETTINGS,
    functionExists: (name) => FUNCTIONS.has(name),
    now: () => 1700000000000,
    source: 'openapi.yaml',
  });
}

export function assertImportError(
  doc: unknown,
  message: string,
  code = 'ERR_OPENAPI_INVALID',
): void {
  assert.throws(
    () => importDoc(doc),
    (error: unknown) => {
      assert.ok(error instanceof OpenApiImportError, String(error));
      assert.equal(error.message, message);
      assert.equal(error.code, code);
      return true;
    },
  );
}
