// ImportRestApi, PutRestApi (merge/overwrite), GetExport through the SDK, and the config-file
// path's idempotent functions.
// https://docs.aws.amazon.com/apigateway/latest/api/API_ImportRestApi.html
// https://docs.aws.amazon.com/apigateway/latest/api/API_PutRestApi.html
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { after, before, test } from 'node:test';
import {
  CreateDeploymentCommand,
  GetAuthorizersCommand,
  GetExportCommand,
  GetResourcesCommand,
  ImportRestApiCommand,
  PutRestApiCommand,
} from '@aws-sdk/client-api-gateway';
import { parse } from 'yaml';
import { createDeployment, putRestApiFromOpenApi } from '../../../src/control/apigateway/index.js';
import { startAdmin, type Admin } from './harness.js';

const SPEC = readFileSync(resolve(import.meta.dirname, '../../fixtures/e2e/openapi.yaml'));

let admin: Admin;
before(async () => {
  admin = await startAdmin();
  // The fixture names more functions than the harness runs; import only checks they exist.
  admin.deps.functionExists = () => true;
});
after(() => admin.close());

const paths = async (restApiId: string) => {
  const r = await admin.client.send(new GetResourcesCommand({ restApiId, limit: 500 }));
  return r
    .items!.map(
      (x) =>
        `${x.path}:${Object.keys(x.resourceMethods ?? {})
          .sort()
          .join(',')}`,
    )
    .sort();
};

test('ImportRestApi (YAML) → deploy → GetExport (JSON and YAML) → ImportRestApi: same API', async () => {
  const { client } = admin;
  const imported = await client.send(
    new ImportRestApiCommand({ body: SPEC, failOnWarnings: true }),
  );
  assert.equal(imported.$metadata.httpStatusCode, 201);
  assert.equal(imported.name, 'e2e-api');
  assert.deepEqual(imported.binaryMediaTypes, ['image/png', 'application/octet-stream']);
  await client.send(new CreateDeploymentCommand({ restApiId: imported.id, stageName: 'dev' }));

  const json = await client.send(
    new GetExportCommand({
      restApiId: imported.id,
      stageName: 'dev',
      exportType: 'oas30',
      parameters: { extensions: 'integrations,authorizers' },
      accepts: 'application/json',
    }),
  );
  assert.equal(json.contentType, 'application/json');
  assert.match(json.contentDisposition!, /^attachment; filename="oas30_[a-z0-9]{6}\.json"$/);
  const doc = JSON.parse(Buffer.from(json.body!).toString()) as { info: { title: string } };
  assert.equal(doc.info.title, 'e2e-api');

  const yaml = await client.send(
    new GetExportCommand({
      restApiId: imported.id,
      stageName: 'dev',
      exportType: 'swagger',
      parameters: { extensions: 'apigateway' },
      accepts: 'application/yaml',
    }),
  );
  assert.equal(yaml.contentType, 'application/yaml');
  assert.equal((parse(Buffer.from(yaml.body!).toString()) as { swagger: string }).swagger, '2.0');

  const again = await client.send(new ImportRestApiCommand({ body: json.body! }));
  assert.notEqual(again.id, imported.id);
  assert.deepEqual(await paths(again.id!), await paths(imported.id!));
  const authorizers = async (id: string) =>
    (await client.send(new GetAuthorizersCommand({ restApiId: id })))
      .items!.map((a) => ({ ...a, id: undefined }))
      .sort((a, b) => a.name!.localeCompare(b.name!));
  assert.deepEqual(await authorizers(again.id!), await authorizers(imported.id!));
});

test('PutRestApi overwrite replaces the definition and keeps ids by path; merge adds', async () => {
  const { client } = admin;
  const imported = await client.send(new ImportRestApiCommand({ body: SPEC }));
  const before = await client.send(new GetResourcesCommand({ restApiId: imported.id, limit: 500 }));
  const small = Buffer.from(
    JSON.stringify({
      openapi: '3.0.1',
      info: { title: 'smaller', version: '1' },
      paths: {
        '/open': {
          get: {
            'x-amazon-apigateway-integration': {
              type: 'mock',
              requestTemplates: { 'application/json': '{"statusCode": 200}' },
            },
          },
        },
        '/extra': {
          get: {
            'x-amazon-apigateway-integration': {
              type: 'mock',
              requestTemplates: { 'application/json': '{"statusCode": 200}' },
            },
          },
        },
      },
    }),
  );
  const merged = await client.send(
    new PutRestApiCommand({ restApiId: imported.id, mode: 'merge', body: small }),
  );
  assert.equal(merged.name, 'e2e-api', 'merge keeps the API settings');
  const mergedPaths = await paths(imported.id!);
  assert.ok(mergedPaths.includes('/extra:GET'));
  assert.ok(mergedPaths.includes('/open:ANY,GET'));
  assert.ok(mergedPaths.includes('/sayhello:GET'));

  const overwritten = await client.send(
    new PutRestApiCommand({ restApiId: imported.id, mode: 'overwrite', body: small }),
  );
  assert.equal(overwritten.$metadata.httpStatusCode, 200);
  assert.equal(overwritten.name, 'smaller');
  assert.equal(overwritten.rootResourceId, imported.rootResourceId);
  assert.deepEqual(await paths(imported.id!), ['/:', '/extra:GET', '/open:GET']);
  const after = await client.send(new GetResourcesCommand({ restApiId: imported.id, limit: 500 }));
  const openBefore = before.items!.find((r) => r.path === '/open')!.id;
  assert.equal(after.items!.find((r) => r.path === '/open')!.id, openBefore);
});

test('config-file path: putRestApiFromOpenApi + createDeployment are idempotent', async () => {
  const deps = { store: admin.store, settings: admin.deps.settings, functionExists: () => true };
  const document = parse(SPEC.toString()) as unknown;
  const first = await putRestApiFromOpenApi(deps, {
    id: 'cfgapi0001',
    document,
    mode: 'overwrite',
  });
  const d1 = await createDeployment(deps, first.id, {
    stageName: 'dev',
    variables: { a: '1' },
    reuseIfUnchanged: true,
    replaceVariables: true,
  });
  const before = JSON.stringify(await admin.store.list('resource', first.id));
  await putRestApiFromOpenApi(deps, { id: 'cfgapi0001', document, mode: 'overwrite' });
  assert.equal(JSON.stringify(await admin.store.list('resource', first.id)), before);
  const d2 = await createDeployment(deps, first.id, {
    stageName: 'dev',
    variables: { a: '1' },
    reuseIfUnchanged: true,
    replaceVariables: true,
  });
  assert.equal(d2.id, d1.id, 'nothing changed: no new deployment');
  const d3 = await createDeployment(deps, first.id, {
    stageName: 'dev',
    variables: { a: '2' },
    reuseIfUnchanged: true,
    replaceVariables: true,
  });
  assert.notEqual(d3.id, d1.id);
  assert.equal((await admin.store.list('deployment', first.id)).length, 2);
});
