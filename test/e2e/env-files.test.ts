// Environment files (issue 16): `--env-vars env.json` in `sam local`'s format and `.env`. As in
// SAM, only variables a function declares are set; precedence, lowest first: sallyport.yaml,
// .env, env.json "Parameters", env.json's entry for the function.
// https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-sam-cli-using-start-api.html
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { call, run, serve, tempProject, type Served } from './harness.js';

const ECHO = `exports.handler = async () => ({
  statusCode: 200,
  body: JSON.stringify({
    AA: process.env.AA, BB: process.env.BB, CC: process.env.CC, DD: process.env.DD,
    UNDECLARED: process.env.UNDECLARED ?? null,
  }),
});
`;

function project(): string {
  const fn = (name: string) => `  ${name}:
    Runtime: nodejs20.x
    Handler: index.handler
    Code: ./fn
    Environment:
      Variables: { AA: yaml, BB: yaml, CC: yaml, DD: yaml }
`;
  const dir = tempProject(`functions:
${fn('first')}${fn('second')}apis:
  - name: env-api
    openapi: ./openapi.yaml
    stages: { dev: {} }
`);
  mkdirSync(join(dir, 'fn'));
  writeFileSync(join(dir, 'fn/index.js'), ECHO);
  const path = (name: string) => `  /${name}:
    get:
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${name}/invocations
`;
  writeFileSync(
    join(dir, 'openapi.yaml'),
    `openapi: 3.0.1\ninfo: { title: env-api, version: '1' }\npaths:\n${path('first')}${path('second')}`,
  );
  writeFileSync(join(dir, '.env'), 'BB=dotenv\nCC=dotenv\nDD=dotenv\nUNDECLARED=dotenv\n');
  writeFileSync(
    join(dir, 'env.json'),
    JSON.stringify({
      Parameters: { CC: 'parameters', DD: 'parameters' },
      first: { DD: 'first', UNDECLARED: 'x' },
    }),
  );
  return dir;
}

describe('--env-vars env.json and .env beside the project file', () => {
  let s: Served;
  before(async () => {
    const dir = project();
    s = await serve(['--config', dir, '--env-vars', join(dir, 'env.json')]);
  });
  after(async () => {
    assert.equal(await s.stop(), 0);
  });

  it('the function named in env.json: its entry wins, then Parameters, then .env, then the yaml', async () => {
    const r = await call(`${s.base}/dev/first`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json(), {
      AA: 'yaml',
      BB: 'dotenv',
      CC: 'parameters',
      DD: 'first',
      UNDECLARED: null,
    });
  });

  it('another function gets Parameters and .env only; undeclared names are never set', async () => {
    const r = await call(`${s.base}/dev/second`);
    assert.deepEqual(r.json(), {
      AA: 'yaml',
      BB: 'dotenv',
      CC: 'parameters',
      DD: 'parameters',
      UNDECLARED: null,
    });
  });
});

describe('--env-file and bad env files', () => {
  it('--env-file names another file instead of .env', async () => {
    const dir = project();
    writeFileSync(join(dir, 'other.env'), 'AA=other\n');
    const s = await serve(['--config', dir, '--env-file', join(dir, 'other.env')]);
    try {
      const r = await call(`${s.base}/dev/first`);
      assert.deepEqual(r.json(), {
        AA: 'other',
        BB: 'yaml',
        CC: 'yaml',
        DD: 'yaml',
        UNDECLARED: null,
      });
    } finally {
      await s.stop();
    }
  });

  it('env.json whose entry is not an object: one clear error, exit 1', async () => {
    const dir = project();
    writeFileSync(join(dir, 'env.json'), '{"first": "AA=1"}');
    const r = await run([
      'serve',
      '--config',
      dir,
      '--env-vars',
      join(dir, 'env.json'),
      '--port',
      '0',
      '--admin-port',
      '0',
    ]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /--env-vars .*env\.json: "first" must be an object of variables, got "AA=1"/,
    );
  });
});
