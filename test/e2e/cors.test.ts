// `sallyport cors`: "Enable CORS" as the API Gateway console does it, through serve's admin API,
// then a real browser preflight against the deployed stage.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-cors-console.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-cors.html
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { adminClient } from '../../src/cli/admin-client.js';
import { findAdminCredentials } from '../../src/control/admin/credentials.js';
import { call, run, serve, type Answer, type Served } from './harness.js';

const API = 'a1b2c3d4e5';
const CONSOLE_HEADERS = 'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token';

/**
 * A deployment reaches the data plane asynchronously: asks again until `ok` holds or a deadline
 * no busy machine reaches; answers the last reply either way, for the assertions to judge.
 */
async function until(ask: () => Promise<Answer>, ok: (a: Answer) => boolean): Promise<Answer> {
  const deadline = Date.now() + 30_000;
  let answer = await ask();
  while (!ok(answer) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    answer = await ask();
  }
  return answer;
}

describe('sallyport cors on examples/sayhello', () => {
  let s: Served;
  const dataDir = mkdtempSync(join(tmpdir(), 'sallyport-cors-'));
  const cors = (...args: string[]) =>
    run(['cors', '--data-dir', dataDir, '--endpoint-url', s.admin!, ...args]);
  const preflight = () =>
    call(`${s.base}/dev/sayhello`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://app.example.com',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'jwt_token',
      },
    });

  before(async () => {
    s = await serve(['--config', 'examples/sayhello', '--data-dir', dataDir]);
  });
  after(async () => {
    assert.equal(await s.stop(), 0);
  });

  it('before: OPTIONS has no method, so the authorizer-less preflight is refused', async () => {
    const r = await preflight();
    assert.equal(r.status, 403);
    assert.equal(r.headers['access-control-allow-origin'], undefined);
  });

  it('adds the OPTIONS MOCK method and deploys; the preflight gets 200, three headers, no body', async () => {
    const out = await cors('--resource', '/sayhello', '--stage', 'dev');
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /CORS enabled on seed-api \(a1b2c3d4e5\) \/sayhello/);
    // The walkthrough's GET is a Lambda proxy integration: as on AWS, the function answers it.
    assert.match(out.stdout, /GET: AWS_PROXY integration — the backend must send/);
    const r = await until(preflight, (a) => a.status === 200);
    assert.equal(r.status, 200);
    assert.equal(r.body, '');
    assert.equal(r.headers['access-control-allow-origin'], '*');
    assert.equal(r.headers['access-control-allow-methods'], 'GET,OPTIONS');
    assert.equal(r.headers['access-control-allow-headers'], CONSOLE_HEADERS);
  });

  it('the method is the console’s: NONE, MOCK {"statusCode": 200}, 200 responses as AWS lists them', async () => {
    const admin = adminClient(s.admin!, (await findAdminCredentials({ dataDir }))!);
    const resources = await admin<{ item: { id: string; path: string }[] }>(
      'GET',
      `/restapis/${API}/resources`,
    );
    const id = resources.item.find((r) => r.path === '/sayhello')!.id;
    const method = await admin<Record<string, unknown>>(
      'GET',
      `/restapis/${API}/resources/${id}/methods/OPTIONS`,
    );
    assert.equal(method.authorizationType, 'NONE');
    assert.deepEqual(method.methodResponses, {
      '200': {
        statusCode: '200',
        responseParameters: {
          'method.response.header.Access-Control-Allow-Headers': false,
          'method.response.header.Access-Control-Allow-Methods': false,
          'method.response.header.Access-Control-Allow-Origin': false,
        },
        responseModels: { 'application/json': 'Empty' },
      },
    });
    const integration = method.methodIntegration as Record<string, unknown>;
    assert.equal(integration.type, 'MOCK');
    assert.deepEqual(integration.requestTemplates, { 'application/json': '{"statusCode": 200}' });
    assert.equal(integration.passthroughBehavior, 'WHEN_NO_MATCH');
  });

  it('GetExport shows the OPTIONS method as the console leaves it', async () => {
    const admin = adminClient(s.admin!, (await findAdminCredentials({ dataDir }))!);
    const doc = await admin<{
      paths: Record<string, Record<string, Record<string, unknown>>>;
      components: { schemas: Record<string, unknown> };
    }>('GET', `/restapis/${API}/stages/dev/exports/oas30?extensions=integrations`);
    const options = doc.paths['/sayhello']!.options!;
    assert.deepEqual(options.responses, {
      '200': {
        description: '200 response',
        headers: {
          'Access-Control-Allow-Headers': { schema: { type: 'string' } },
          'Access-Control-Allow-Methods': { schema: { type: 'string' } },
          'Access-Control-Allow-Origin': { schema: { type: 'string' } },
        },
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Empty' } } },
      },
    });
    const integration = options['x-amazon-apigateway-integration'] as Record<string, unknown>;
    assert.equal(integration.type, 'mock');
    assert.deepEqual(integration.responses, {
      default: {
        statusCode: '200',
        responseParameters: {
          'method.response.header.Access-Control-Allow-Headers': `'${CONSOLE_HEADERS}'`,
          'method.response.header.Access-Control-Allow-Methods': "'GET,OPTIONS'",
          'method.response.header.Access-Control-Allow-Origin': "'*'",
        },
      },
    });
    assert.ok(doc.components.schemas.Empty, 'the Empty model the response names is exported');
  });

  it('a second run with another origin replaces the values, nothing piles up', async () => {
    const out = await cors('--resource', 'sayhello', '--origin', 'https://app.example.com');
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /deploy to take effect/);
    const again = await cors(
      '--resource',
      '/sayhello',
      '--origin',
      'https://app.example.com',
      '--stage',
      'dev',
    );
    assert.equal(again.code, 0, again.stderr);
    const r = await until(
      preflight,
      (a) => a.headers['access-control-allow-origin'] === 'https://app.example.com',
    );
    assert.equal(r.status, 200);
    assert.equal(r.headers['access-control-allow-origin'], 'https://app.example.com');
  });

  it('unknown API, resource or method: one clear line, non-zero exit', async () => {
    const noResource = await cors('--resource', '/nope');
    assert.notEqual(noResource.code, 0);
    assert.match(
      noResource.stderr,
      /no resource \/nope in seed-api \(a1b2c3d4e5\); its resources: \/, \/sayhello/,
    );
    const noApi = await cors('--resource', '/sayhello', '--api', 'nope');
    assert.notEqual(noApi.code, 0);
    assert.match(noApi.stderr, /no API nope; the APIs: seed-api \(a1b2c3d4e5\)/);
    const noMethod = await cors('--resource', '/sayhello', '--methods', 'POST');
    assert.notEqual(noMethod.code, 0);
    assert.match(noMethod.stderr, /--methods: \/sayhello has no POST method \(it has GET\)/);
  });
});

describe('sallyport cors on a non-proxy integration (examples/sayhello-console)', () => {
  let s: Served;
  const dataDir = mkdtempSync(join(tmpdir(), 'sallyport-cors-'));
  after(async () => {
    assert.equal(await s.stop(), 0);
  });

  it("the GET's 200 answer carries Access-Control-Allow-Origin, as the console maps it", async () => {
    s = await serve(['--config', 'examples/sayhello-console', '--data-dir', dataDir]);
    const out = await run([
      'cors',
      ...['--data-dir', dataDir, '--endpoint-url', s.admin!],
      ...['--resource', '/sayhello', '--origin', 'https://app.example.com', '--stage', 'dev'],
    ]);
    assert.equal(out.code, 0, out.stderr);
    assert.doesNotMatch(out.stdout, /GET:/);
    const r = await until(
      () => call(`${s.base}/dev/sayhello`, { headers: { jwt_token: 'allow' } }),
      (a) => a.headers['access-control-allow-origin'] !== undefined,
    );
    assert.equal(r.status, 200);
    assert.equal(r.headers['access-control-allow-origin'], 'https://app.example.com');
  });
});
