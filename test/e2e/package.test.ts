// `npm pack` makes a package that installs and runs elsewhere: the built dist/, the bin, the
// Python runtime's bootstrap and the examples `init` copies are in it; installed into an empty
// folder from the tarball (its dependencies from npm's cache, the registry only for what is missing),
// its bin serves the walkthrough.
// Covered: the package's contents, the installed bin and a request answered through it. Not
// covered: better-sqlite3's native build on install (install scripts are skipped to keep the test
// short), so the installed server runs on --store memory.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { call, eventually, ROOT } from './harness.js';

it('npm pack → npm install the tarball elsewhere → its bin serves the walkthrough', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sallyport-pack-'));
  // dist/ is built before the tests run; the package is exactly what `npm pack` ships.
  const packed = spawnSync(
    'npm',
    ['pack', '--ignore-scripts', '--json', '--pack-destination', dir],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  assert.equal(packed.status, 0, packed.stderr);
  const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  const files = new Set(info!.files.map((f) => f.path));
  for (const needed of [
    'bin/sallyport.js',
    'dist/cli/main.js',
    'dist/functions/node/worker-entry.js',
    'runtimes/python/bootstrap.py',
    'examples/sayhello/sallyport.yaml',
    'examples/sayhello-python/functions/authorizer/lambda_function.py',
    'package.json',
  ])
    assert.ok(files.has(needed), `${needed} is in the package`);
  assert.ok(![...files].some((f) => f.startsWith('src/') || f.startsWith('test/')));

  const app = join(dir, 'app');
  spawnSync('mkdir', [app]);
  writeFileSync(join(app, 'package.json'), '{ "name": "app", "private": true }\n');
  const installed = spawnSync(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      join(dir, info!.filename),
    ],
    { cwd: app, encoding: 'utf8' },
  );
  if (installed.status !== 0 && /ENOTCACHED|ENOTFOUND|EAI_AGAIN/.test(installed.stderr)) {
    t.skip("a dependency is neither in npm's cache nor reachable: cannot install the package here");
    return;
  }
  assert.equal(installed.status, 0, installed.stderr);

  const bin = join(app, 'node_modules/.bin/sallyport');
  const help = spawnSync(bin, ['--help'], { cwd: app, encoding: 'utf8' });
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /generate-event/);

  const server = spawn(
    bin,
    [
      'serve',
      '--config',
      'node_modules/sallyport/examples/sayhello',
      '--store',
      'memory',
      '--port',
      '0',
      '--admin-port',
      '0',
    ],
    { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  server.stdout.on('data', (d: Buffer) => (out += d.toString()));
  server.stderr.on('data', (d: Buffer) => (out += d.toString()));
  try {
    await eventually(
      () => /listening on http:\/\/\S+/.test(out) || server.exitCode !== null,
      120_000,
    );
    const base = /listening on (http:\/\/\S+)/.exec(out)?.[1];
    assert.ok(base, out);
    const answer = await call(`${base}/dev/sayhello`, { headers: { jwt_token: 'allow' } });
    assert.equal(answer.status, 200, answer.body);
  } finally {
    server.kill('SIGTERM');
  }
});
