// The CLI's contract: a user mistake is one clear line and a non-zero exit, never a stack trace;
// `--help` everywhere; SIGINT/SIGTERM stop cleanly.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, run, serve, tempProject } from './harness.js';

const AUTHORIZER = join(ROOT, 'examples/sayhello/functions/authorizer');

describe('sallyport CLI', () => {
  it('--help lists the commands, and each command has its own --help', async () => {
    const top = await run(['--help']);
    assert.equal(top.code, 0);
    assert.match(top.stdout, /serve/);
    assert.match(top.stdout, /invoke/);
    const serveHelp = await run(['serve', '--help']);
    assert.equal(serveHelp.code, 0);
    for (const flag of ['--config', '--port', '--host', '--data-dir'])
      assert.ok(serveHelp.stdout.includes(flag), flag);
    const invokeHelp = await run(['invoke', '--help']);
    assert.match(invokeHelp.stdout, /--payload/);
  });

  it('a missing project file: one line naming it, exit 1', async () => {
    const r = await run([
      'serve',
      '--config',
      '/nonexistent/dir',
      '--port',
      '0',
      '--admin-port',
      '0',
    ]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /^sallyport: .*\/nonexistent\/dir/);
  });

  it('an invalid key: the message names the file and the key', async () => {
    const dir = tempProject(
      `functions:\n  f:\n    Runtime: java8\n    Handler: index.handler\n    Code: ${AUTHORIZER}\napis: []\n`,
    );
    const r = await run(['serve', '--config', dir, '--port', '0', '--admin-port', '0']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /sallyport\.yaml:\d+:\d+: functions\.f\.Runtime: /);
  });

  it('an integration naming an unknown function fails at load time, not at request time', async () => {
    const dir = tempProject(
      `apis:\n  - name: x\n    openapi: ${join(ROOT, 'examples/sayhello/openapi.yaml')}\n    stages:\n      dev: {}\n`,
    );
    const r = await run(['serve', '--config', dir, '--port', '0', '--admin-port', '0']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /api-authorizer/);
  });

  it('a port in use: one clear line', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    const r = await run(['serve', '--config', 'examples/sayhello', '--port', String(port)]);
    blocker.close();
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      new RegExp(
        `^sallyport: port ${port} on 127\\.0\\.0\\.1 \\(API calls\\) is already in use: .* --port`,
      ),
    );
  });

  it('invoke with a payload that is not JSON: one line, exit 1', async () => {
    const r = await run([
      'invoke',
      'api-authorizer',
      '--config',
      'examples/sayhello',
      '--payload',
      '{nope',
    ]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), 'sallyport: --payload: not valid JSON: {nope');
  });

  it('serve refuses an authorizer cache bound that is not a whole number ≥ 1', async () => {
    const r = await run([
      'serve',
      '--port',
      '0',
      '--store',
      'memory',
      '--no-admin',
      '--authorizer-cache-mib',
      '0',
    ]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr.trim(),
      'sallyport: --authorizer-cache-mib: expected a whole number of at least 1, got 0',
    );
  });

  it('invoke of a function that fails prints its error payload and exits 1', async () => {
    const r = await run([
      'invoke',
      'api-authorizer',
      '--config',
      'examples/sayhello',
      '--payload',
      '{"authorizationToken":"unauthorized","methodArn":"arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/dev/GET/x"}',
    ]);
    assert.equal(r.code, 1);
    const payload = JSON.parse(r.stdout) as { errorType: string; errorMessage: string };
    assert.equal(payload.errorType, 'Error');
    assert.equal(payload.errorMessage, 'Unauthorized');
    assert.match(r.stderr, /X-Amz-Function-Error: Unhandled/);
  });

  // As `sam local invoke -t template.yaml --env-vars env.json`: the function reads what the
  // template and the env file give it.
  // https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-cli-command-reference-sam-local-invoke.html
  it('invoke takes a SAM template and --env-vars, as sam local invoke does', async () => {
    const envVars = join(tempProject('apis: []\n'), 'env.json');
    writeFileSync(envVars, JSON.stringify({ sayhello: { GREETING: 'Howdy' } }));
    const event = JSON.stringify({ requestContext: { authorizer: { principalId: 'me' } } });
    const sam = await run([
      'invoke',
      'sayhello',
      '--template',
      'examples/sayhello-sam',
      '--env-vars',
      envVars,
      '--payload',
      event,
    ]);
    assert.equal(sam.code, 0, sam.stderr);
    const answer = JSON.parse(sam.stdout) as { statusCode: number; body: string };
    assert.equal(answer.statusCode, 200);
    assert.deepEqual(JSON.parse(answer.body), { message: 'Howdy from Lambda!', principalId: 'me' });

    // Serverless names its functions {service}-{stage}-{key}, as deployed.
    const sls = await run([
      'invoke',
      'sayhello-dev-sayhello',
      '--serverless',
      'examples/sayhello-serverless',
      '--payload',
      event,
    ]);
    assert.equal(sls.code, 0, sls.stderr);
    assert.equal((JSON.parse(sls.stdout) as { statusCode: number }).statusCode, 200);
  });

  it('invoke of a function the project lacks names the ones it has', async () => {
    const r = await run(['invoke', 'sayhelo', '--config', 'examples/sayhello']);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr.trim(),
      'sallyport: function not found: sayhelo (this project has: api-authorizer, sayhello)',
    );
  });

  it('SIGINT stops serve cleanly (exit 0)', async () => {
    const s = await serve(['--config', 'examples/sayhello']);
    const exited = new Promise<number | null>((r) => s.child.once('exit', r));
    s.child.kill('SIGINT');
    assert.equal(await exited, 0);
  });
});
