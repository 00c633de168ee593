// `serve --watch` (issue 16): edits to handler code, sallyport.yaml and the OpenAPI file take
// effect without a restart, one line each; a broken edit keeps the last good version serving.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { call, eventually, ROOT, serve, type Served } from './harness.js';

/** examples/sayhello copied to a temp folder, so the test can edit it. */
function copyOfSayhello(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sallyport-watch-'));
  cpSync(join(ROOT, 'examples/sayhello'), dir, { recursive: true });
  return dir;
}

function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  assert.ok(text.includes(from), `${file} holds ${from}`);
  writeFileSync(file, text.replace(from, to));
}

describe('serve --watch', () => {
  let s: Served;
  let dir: string;
  const hello = () => join(dir, 'functions/hello/index.js');
  const greeting = async () => {
    const r = await call(`${s.base}/dev/sayhello`, { headers: { jwt_token: 'allow' } });
    return `${r.status} ${r.body}`;
  };
  /** Waits for the line-th occurrence of `text` in serve's output. */
  const printed = (text: string, count = 1) =>
    eventually(() => s.output().split(text).length - 1 >= count);

  before(async () => {
    dir = copyOfSayhello();
    s = await serve(['--config', dir, '--watch']);
    await printed('Watching ');
  });
  after(async () => {
    assert.equal(await s.stop(), 0);
  });

  it('a handler code edit changes the next answer, with one notice naming the function', async () => {
    assert.equal(
      await greeting(),
      '200 {"message":"Hello from Lambda!","principalId":"user|allow"}',
    );
    edit(hello(), 'from Lambda!', 'from the edit!');
    await printed('reloaded: functions sayhello (code)');
    assert.equal(
      await greeting(),
      '200 {"message":"Hello from the edit!","principalId":"user|allow"}',
    );
  });

  it('an edit that does not parse keeps the last good version serving and says why', async () => {
    edit(hello(), 'exports.handler = async', 'exports.handler = ))) async');
    await printed('reload failed, still serving the last good version');
    assert.match(
      s.output(),
      /reload failed, still serving the last good version: function sayhello: .*index\.js:\d+:\d+/,
    );
    assert.equal(
      await greeting(),
      '200 {"message":"Hello from the edit!","principalId":"user|allow"}',
    );
    edit(hello(), 'exports.handler = ))) async', 'exports.handler = async');
    await printed('reloaded: functions sayhello (code)', 2);
  });

  it('sallyport.yaml: a new environment value reaches the function', async () => {
    edit(join(dir, 'sallyport.yaml'), 'GREETING: Hello', 'GREETING: Howdy');
    await printed('reloaded: functions sayhello (configuration)');
    assert.equal(
      await greeting(),
      '200 {"message":"Howdy from the edit!","principalId":"user|allow"}',
    );
  });

  it('a broken sallyport.yaml changes nothing and names the problem', async () => {
    edit(
      join(dir, 'sallyport.yaml'),
      'Timeout: 3\n    Environment',
      'Timeout: 9000\n    Environment',
    );
    await printed('reload failed', 2);
    assert.match(
      s.output(),
      /reload failed, still serving the last good version: sallyport\.yaml:\d+:\d+: functions\.sayhello\.Timeout/,
    );
    assert.equal(
      await greeting(),
      '200 {"message":"Howdy from the edit!","principalId":"user|allow"}',
    );
    edit(
      join(dir, 'sallyport.yaml'),
      'Timeout: 9000\n    Environment',
      'Timeout: 3\n    Environment',
    );
    await printed('reloaded: no change');
  });

  it('an OpenAPI edit redeploys the stage: a new path answers', async () => {
    const missing = await call(`${s.base}/dev/hello-again`, { headers: { jwt_token: 'allow' } });
    assert.equal(missing.status, 403, 'unknown path before the edit');
    const openapi = join(dir, 'openapi.yaml');
    const text = readFileSync(openapi, 'utf8');
    const block =
      /\n {2}\/sayhello:\n[\s\S]*?(?=\n {2}\/|\ncomponents:|\nsecurityDefinitions:|\nx-|$)/.exec(
        text,
      );
    assert.ok(block, 'openapi.yaml has a /sayhello path');
    writeFileSync(
      openapi,
      text.replace(block[0], block[0] + block[0].replace('/sayhello:', '/hello-again:')),
    );
    await printed('reloaded: api seed-api redeployed to dev');
    const r = await call(`${s.base}/dev/hello-again`, { headers: { jwt_token: 'allow' } });
    assert.equal(r.status, 200);
  });
});
