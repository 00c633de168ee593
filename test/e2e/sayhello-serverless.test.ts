// examples/sayhello-serverless: the walkthrough as a serverless.yml, served by `serve --serverless`,
// with the same answers as examples/sayhello.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { call, ROOT, serve, type Served } from './harness.js';
import { itAnswersTheWalkthrough } from './walkthrough-answers.js';

describe('examples/sayhello-serverless, served by `sallyport serve --serverless`', () => {
  let s: Served;
  before(async () => {
    s = await serve(['--serverless', 'examples/sayhello-serverless/serverless.yml']);
  });
  after(async () => {
    assert.equal(await s.stop(), 0, 'stops cleanly on SIGTERM');
  });

  it('deploys the http events to stage ${opt:stage, "dev"} and lists what is not emulated once', () => {
    assert.match(s.output(), new RegExp(`stage dev of API [a-z0-9]{10}: ${s.base}/dev`));
    assert.match(
      s.output(),
      /^ {2}IAM \(functions run with the permissions of the machine\): provider\.iam$/m,
    );
    assert.match(s.output(), /^ {2}plugins .*: plugins$/m);
    assert.equal(s.output().match(/Not emulated/g)?.length, 1);
  });

  itAnswersTheWalkthrough(() => `${s.base}/dev/sayhello`);
});

describe('serve --serverless --stage, with ${env:…} set', () => {
  let s: Served;
  before(async () => {
    s = await serve(['--serverless', 'examples/sayhello-serverless', '--stage', 'test'], {
      SAYHELLO_GREETING: 'Hi',
    });
  });
  after(async () => {
    await s.stop();
  });

  it('--stage is ${opt:stage}; ${env:SAYHELLO_GREETING} wins over its fallback', async () => {
    const r = await call(`${s.base}/test/sayhello`, { headers: { jwt_token: 'allow' } });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json(), { message: 'Hi from Lambda!', principalId: 'user|allow' });
  });
});

// https://www.serverless.com/framework/docs/providers/aws/events/apigateway#enabling-cors
describe('serve --serverless: cors: true on the http event', () => {
  let s: Served;
  before(async () => {
    const example = join(ROOT, 'examples/sayhello-serverless');
    const dir = mkdtempSync(join(tmpdir(), 'sallyport-sls-cors-'));
    symlinkSync(join(example, 'functions'), join(dir, 'functions'));
    const yml = readFileSync(join(example, 'serverless.yml'), 'utf8').replace(
      '          method: get\n',
      '          method: get\n          cors: true\n',
    );
    assert.match(yml, /cors: true/);
    writeFileSync(join(dir, 'serverless.yml'), yml);
    s = await serve(['--serverless', join(dir, 'serverless.yml')]);
  });
  after(async () => {
    assert.equal(await s.stop(), 0);
  });

  it("the preflight gets the Framework's OPTIONS MOCK answer, no authorizer, no body", async () => {
    const r = await call(`${s.base}/dev/sayhello`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'GET' },
    });
    assert.equal(r.status, 200);
    assert.equal(r.body, '');
    assert.equal(r.headers['access-control-allow-origin'], '*');
    assert.equal(r.headers['access-control-allow-methods'], 'OPTIONS,GET');
    assert.equal(
      r.headers['access-control-allow-headers'],
      'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token,X-Amz-User-Agent,X-Amzn-Trace-Id',
    );
  });

  it('the GET is still behind its authorizer', async () => {
    assert.equal((await call(`${s.base}/dev/sayhello`)).status, 401);
  });
});
