// Export → import round trips: what GetExport writes, ImportRestApi reads back to the same model.
// https://docs.aws.amazon.com/apigateway/latest/api/API_GetExport.html
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { DEFAULT_SETTINGS, type ApiSnapshot } from '../../src/model/types.js';
import { exportOpenApi, type ExportType } from '../../src/openapi/export.js';
import { importOpenApiDocument } from '../../src/openapi/import.js';

const FIXTURES = resolve(import.meta.dirname, '../fixtures');
const options = {
  apiId: 'abcdef1234',
  settings: DEFAULT_SETTINGS,
  functionExists: () => true,
  now: () => 0,
};

interface ExportedDoc {
  openapi: string;
  info: unknown;
  servers: unknown;
  'x-amazon-apigateway-binary-media-types': string[];
  paths: Record<
    string,
    Record<string, { security: unknown; 'x-amazon-apigateway-integration': { type: string } }>
  >;
  components: { securitySchemes: Record<string, Record<string, { type?: string } | string>> };
}

function load(file: string): ApiSnapshot {
  const doc = parse(readFileSync(resolve(FIXTURES, file), 'utf8')) as unknown;
  return importOpenApiDocument(doc, { ...options, source: file });
}

function roundTrip(snapshot: ApiSnapshot, exportType: ExportType): ApiSnapshot {
  const exported = exportOpenApi(snapshot, {
    exportType,
    stageName: 'dev',
    settings: DEFAULT_SETTINGS,
    extensions: new Set(['integrations', 'authorizers']),
  });
  // Through JSON, as it leaves the admin API.
  const doc = JSON.parse(JSON.stringify(exported)) as unknown;
  return importOpenApiDocument(doc, { ...options, source: 'export' });
}

for (const file of [
  'e2e/openapi.yaml',
  'e2e/custom-responses.yaml',
  'openapi/petstore.oas3.yaml',
  // Non-proxy integrations: templates, passthrough, contentHandling, integration responses.
  'nonproxy/openapi.yaml',
  'nonproxy/http.yaml',
  '../../examples/sayhello-console/openapi.yaml',
]) {
  for (const type of ['oas30', 'swagger'] as const) {
    test(`${file} → ${type} export → import gives the same API`, () => {
      const original = load(file);
      assert.deepEqual(roundTrip(original, type), original);
    });
  }
}

test('oas30 export: servers, x-amazon-apigateway-* extensions, security schemes', () => {
  const snapshot = load('e2e/openapi.yaml');
  const doc = exportOpenApi(snapshot, {
    exportType: 'oas30',
    stageName: 'dev',
    settings: DEFAULT_SETTINGS,
    extensions: new Set(['apigateway']),
    version: '2024-01-31T12:00:00Z',
  }) as unknown as ExportedDoc;
  assert.equal(doc.openapi, '3.0.1');
  assert.deepEqual(doc.info, { title: 'e2e-api', version: '2024-01-31T12:00:00Z' });
  assert.deepEqual(doc.servers, [
    {
      url: 'https://abcdef1234.execute-api.us-east-1.amazonaws.com/{basePath}',
      variables: { basePath: { default: 'dev' } },
    },
  ]);
  assert.deepEqual(doc['x-amazon-apigateway-binary-media-types'], [
    'image/png',
    'application/octet-stream',
  ]);
  assert.deepEqual(doc.paths['/sayhello']!.get!.security, [{ 'token-nocache': [] }]);
  assert.equal(doc.paths['/sayhello']!.get!['x-amazon-apigateway-integration'].type, 'aws_proxy');
  const scheme = doc.components.securitySchemes['token-nocache']!;
  assert.equal(scheme['x-amazon-apigateway-authtype'], 'custom');
  assert.deepEqual((scheme['x-amazon-apigateway-authorizer'] as { type: string }).type, 'token');
});

test('without extensions, no integrations and no authorizer extensions are written', () => {
  const doc = exportOpenApi(load('e2e/openapi.yaml'), {
    exportType: 'swagger',
    stageName: 'dev',
    settings: DEFAULT_SETTINGS,
    extensions: new Set(),
  });
  const text = JSON.stringify(doc);
  assert.doesNotMatch(text, /x-amazon-apigateway-integration|x-amazon-apigateway-authorizer"/);
  assert.equal((doc as { basePath: string }).basePath, '/dev');
});
