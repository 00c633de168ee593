// `sallyport apis | functions | import | deploy | export` against the same store a running
// `serve` uses: a deploy from the CLI reaches the server without a restart.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { parse } from 'yaml';
import { call, run, serve, type Served } from './harness.js';

const dataDir = mkdtempSync(join(tmpdir(), 'sallyport-cli-'));
let s: Served | undefined;
after(async () => {
  await s?.stop();
});

it('import, deploy and export through the CLI; serve picks the deployment up', async () => {
  s = await serve(['--config', 'examples/sayhello', '--data-dir', dataDir]);

  const functions = await run(['functions', '--data-dir', dataDir]);
  assert.equal(functions.code, 0, functions.stderr);
  assert.match(
    functions.stdout,
    /^api-authorizer {2}nodejs20\.x {2}index\.handler {2}.*examples\/sayhello\/functions\/authorizer$/m,
  );
  assert.match(functions.stdout, /^sayhello {2}nodejs20\.x/m);

  const imported = await run(['import', 'examples/sayhello/openapi.yaml', '--data-dir', dataDir]);
  assert.equal(imported.code, 0, imported.stderr);
  const apiId = /as ([a-z0-9]{10})$/m.exec(imported.stdout)![1]!;

  const deployed = await run(['deploy', apiId, 'prod', '--data-dir', dataDir]);
  assert.equal(deployed.code, 0, deployed.stderr);
  assert.match(deployed.stdout, new RegExp(`✔ deployed ${apiId} to stage prod`));

  const apis = await run(['apis', '--data-dir', dataDir]);
  assert.match(apis.stdout, /^a1b2c3d4e5 {2}seed-api {2}stages: dev/m);
  assert.match(apis.stdout, new RegExp(`^${apiId} {2}seed-api {2}stages: prod`, 'm'));

  const exported = await run(['export', apiId, 'prod', '--data-dir', dataDir]);
  assert.equal(exported.code, 0, exported.stderr);
  const doc = parse(exported.stdout) as {
    paths: Record<string, Record<string, Record<string, unknown>>>;
  };
  const get = doc.paths['/sayhello']!.get!;
  assert.equal((get['x-amazon-apigateway-integration'] as { type: string }).type, 'aws_proxy');

  // The running server serves the new stage without a restart (SQLite change feed).
  const url = `${s.base}/restapis/${apiId}/prod/_user_request_/sayhello`;
  const deadline = Date.now() + 30_000;
  let status = 0;
  while (Date.now() < deadline) {
    status = (await call(url, { headers: { jwt_token: 'allow' } })).status;
    if (status === 200) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(status, 200);
});

it('deploying an unknown API: one clear line, exit 1', async () => {
  const r = await run(['deploy', 'zzzzzzzzzz', 'dev', '--data-dir', dataDir]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /^sallyport: .*zzzzzzzzzz/);
});
