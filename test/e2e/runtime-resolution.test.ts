// Exact runtimes (issue 16): each function runs on the interpreter its Runtime names when the
// machine has it, else serve says which runs instead (or refuses with --strict-runtimes).
// Fake interpreters — scripts named python3.9, node… on a temp PATH that report a version and
// then run the real interpreter — stand in for installed versions.
// https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { call, eventually, run, serve, tempProject, type Served } from './harness.js';

const realPython = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], {
  encoding: 'utf8',
}).stdout?.trim();

/** A script that answers `--version` as `version` and otherwise runs `real`, marked `name`. */
function fake(dir: string, file: string, version: string, real: string): string {
  const path = join(dir, file);
  writeFileSync(
    path,
    `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "${version}"; exit 0; fi\nFAKE_INTERPRETER=${file} exec "${real}" "$@"\n`,
  );
  chmodSync(path, 0o755);
  return path;
}

interface Fn {
  name: string;
  runtime: string;
  isolation?: string;
}

function project(functions: Fn[]): string {
  const yaml = functions
    .map(
      (f) => `  ${f.name}:
    Runtime: ${f.runtime}
    Handler: ${f.runtime.startsWith('python') ? 'app.handler' : 'index.handler'}
    Code: ./${f.runtime.startsWith('python') ? 'py' : 'js'}
${f.isolation ? `    Isolation: ${f.isolation}\n` : ''}`,
    )
    .join('');
  const dir = tempProject(
    `functions:\n${yaml}apis:\n  - name: rt\n    openapi: ./openapi.yaml\n    stages: { dev: {} }\n`,
  );
  mkdirSync(join(dir, 'py'));
  writeFileSync(
    join(dir, 'py/app.py'),
    'import os\n\ndef handler(event, context):\n    return {"statusCode": 200, "body": os.environ.get("FAKE_INTERPRETER", "none")}\n',
  );
  mkdirSync(join(dir, 'js'));
  writeFileSync(
    join(dir, 'js/index.js'),
    'exports.handler = async () => ({ statusCode: 200, body: process.env.FAKE_INTERPRETER ?? "none" });\n',
  );
  const paths = functions
    .map(
      (f) => `  /${f.name}:
    get:
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${f.name}/invocations
`,
    )
    .join('');
  writeFileSync(
    join(dir, 'openapi.yaml'),
    `openapi: 3.0.1\ninfo: { title: rt, version: '1' }\npaths:\n${paths}`,
  );
  return dir;
}

describe('runtime resolution', { skip: realPython ? false : 'no python3 on this machine' }, () => {
  let s: Served;
  let bin: string;
  let custom: string;
  let pyenv: string;
  before(async () => {
    bin = mkdtempSync(join(tmpdir(), 'sallyport-fake-bin-'));
    pyenv = mkdtempSync(join(tmpdir(), 'sallyport-fake-pyenv-'));
    fake(bin, 'python3.9', 'Python 3.9.18', realPython);
    fake(bin, 'python3', 'Python 3.11.7', realPython);
    fake(bin, 'node', 'v22.3.0', process.execPath);
    custom = fake(bin, 'custom-python', 'Python 3.12.1', realPython);
    mkdirSync(join(pyenv, 'versions/3.13.0/bin'), { recursive: true });
    fake(join(pyenv, 'versions/3.13.0/bin'), 'python3.13', 'Python 3.13.0', realPython);
    const dir = project([
      { name: 'py39', runtime: 'python3.9' },
      { name: 'py310', runtime: 'python3.10' },
      { name: 'py312', runtime: 'python3.12' },
      { name: 'py313', runtime: 'python3.13' },
      { name: 'py36', runtime: 'python3.6' },
      { name: 'py27', runtime: 'python2.7' },
      { name: 'node22', runtime: 'nodejs22.x', isolation: 'process' },
      { name: 'node22thread', runtime: 'nodejs22.x', isolation: 'thread' },
      { name: 'node12', runtime: 'nodejs12.x', isolation: 'process' },
    ]);
    s = await serve(['--config', dir, '--python', `python3.12=${custom}`], {
      PATH: bin,
      HOME: pyenv,
      PYENV_ROOT: pyenv,
      NVM_DIR: join(pyenv, 'no-nvm'),
      SALLYPORT_PYTHON: '',
    });
  });
  after(async () => {
    assert.equal(await s.stop(), 0);
  });
  const answer = async (name: string) => (await call(`${s.base}/dev/${name}`)).body;
  const says = (text: string) => eventually(() => s.output().includes(text));

  it('python3.9 on PATH runs a python3.9 function, without a word', async () => {
    assert.equal(await answer('py39'), 'python3.9');
    assert.ok(!s.output().includes('function py39:'));
  });

  it('python3.10 missing: runs on python3 and says which version, naming the function', async () => {
    await says(
      `function py310: Runtime python3.10 not found; running on Python 3.11.7 (${bin}/python3)`,
    );
    assert.equal(await answer('py310'), 'python3');
  });

  it('--python python3.12=path runs that interpreter', async () => {
    assert.equal(await answer('py312'), 'custom-python');
    assert.ok(!s.output().includes('function py312:'));
  });

  it("pyenv's versions folder is searched ($PYENV_ROOT/versions/3.13.*)", async () => {
    assert.equal(await answer('py313'), 'python3.13');
    assert.ok(!s.output().includes('function py313:'));
  });

  it('deprecated python3.6 and python2.7 run as python3.9, with a warning', async () => {
    for (const old of ['3.6', '2.7']) {
      const name = `py${old.replace('.', '')}`;
      await says(
        `function ${name}: Runtime python${old} is deprecated by AWS Lambda; running it as python3.9 on Python 3.9.18 (${bin}/python3.9)`,
      );
      assert.equal(await answer(name), 'python3.9');
    }
  });

  it('nodejs22.x at isolation process runs a node 22 found on PATH', async () => {
    assert.equal(await answer('node22'), 'node');
    assert.ok(!s.output().includes('function node22:'));
  });

  it("nodejs22.x at isolation thread runs on the gateway's own Node.js, and says so", async () => {
    await says(
      `function node22thread: Runtime nodejs22.x; running in a worker thread on the gateway's own Node.js ${process.versions.node}`,
    );
    assert.equal(await answer('node22thread'), 'none');
  });

  it('deprecated nodejs12.x runs as nodejs18.x, on the nearest Node.js found, with a warning', async () => {
    await says(
      `function node12: Runtime nodejs12.x is deprecated by AWS Lambda; running it as nodejs18.x, which is not found either; running on Node.js ${process.versions.node} (${process.execPath})`,
    );
    assert.equal(await answer('node12'), 'none');
  });
});

describe('--strict-runtimes', { skip: realPython ? false : 'no python3 on this machine' }, () => {
  it('refuses to start when a function would not run on its exact runtime', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'sallyport-fake-bin-'));
    fake(bin, 'python3', 'Python 3.11.7', realPython);
    const dir = project([{ name: 'py310', runtime: 'python3.10' }]);
    const r = await run(
      ['serve', '--config', dir, '--strict-runtimes', '--port', '0', '--admin-port', '0'],
      { env: { PATH: bin, HOME: dir, PYENV_ROOT: dir, SALLYPORT_PYTHON: '' } },
    );
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /function py310: Runtime python3\.10 not found; running on Python 3\.11\.7 \(.*\/python3\); refused \(--strict-runtimes\)/,
    );
  });
});
