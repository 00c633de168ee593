// `serve --function-idle-timeout`: an execution environment unused that long is ended, and the
// next call starts a new one — what a user sees: the module state starts over and the REPORT line
// carries an Init Duration again. No timing is asserted beyond "eventually".
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { call, eventually, run, serve, tempProject } from './harness.js';

const IDLE_SECONDS = 2;

/** A project with one function that counts the invocations its environment has served. */
function countingProject(): string {
  const dir = tempProject(`functions:
  counter:
    Runtime: nodejs20.x
    Handler: index.handler
    Code: ./counter
apis:
  - name: idle
    openapi: ./openapi.yaml
    stages:
      dev: {}
`);
  mkdirSync(join(dir, 'counter'));
  writeFileSync(
    join(dir, 'counter/index.js'),
    `let invocations = 0;
exports.handler = async () => ({ statusCode: 200, body: JSON.stringify({ invocations: ++invocations }) });
`,
  );
  writeFileSync(join(dir, 'counter/package.json'), '{"type":"commonjs"}');
  writeFileSync(
    join(dir, 'openapi.yaml'),
    `openapi: 3.0.1
info: { title: idle, version: '1' }
paths:
  /count:
    get:
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:counter/invocations
`,
  );
  return dir;
}

const initReports = (output: string) =>
  output.match(/REPORT RequestId:[^\n]*Init Duration/g)?.length ?? 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('serve --function-idle-timeout', () => {
  for (const isolation of ['thread', 'process']) {
    it(
      `an idle environment (${isolation}) is ended after the timeout; the next call starts a new one`,
      { timeout: 120_000 },
      async () => {
        const server = await serve([
          '--config',
          countingProject(),
          '--isolation',
          isolation,
          '--function-idle-timeout',
          String(IDLE_SECONDS),
          '--log-level',
          'debug',
          '--log-format',
          'json',
        ]);
        try {
          const count = async () => {
            const answer = await call(`${server.base}/dev/count`);
            assert.equal(answer.status, 200, answer.body);
            return (answer.json() as { invocations: number }).invocations;
          };
          // A cold start, then the same environment warm.
          assert.equal(await count(), 1);
          assert.equal(await count(), 2);
          await eventually(() => initReports(server.output()) === 1);
          // Left idle (no call resets the clock while waiting), the environment is ended: the
          // next call is a cold start again.
          let invocations = 0;
          for (let tries = 0; tries < 10 && invocations !== 1; tries++) {
            await sleep(IDLE_SECONDS * 1500);
            invocations = await count();
          }
          assert.equal(invocations, 1, 'the environment was never reaped');
          await eventually(() => initReports(server.output()) === 2);
        } finally {
          await server.stop();
        }
      },
    );
  }

  it('is listed by --help, and a bad value is one clear line', async () => {
    const help = await run(['serve', '--help']);
    assert.match(help.stdout, /--function-idle-timeout <seconds>/);
    for (const bad of ['0', '1.5']) {
      const r = await run(['serve', '--function-idle-timeout', bad, '--port', '0', '--no-admin']);
      assert.equal(r.code, 1);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(
        r.stderr,
        new RegExp(
          `--function-idle-timeout: expected a whole number of at least 1, got ${bad.replace('.', '\\.')}`,
        ),
      );
    }
  });
});
