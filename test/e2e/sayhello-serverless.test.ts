// examples/sayhello-serverless: the walkthrough as a serverless.yml, served by `serve --serverless`,
// with the same answers as examples/sayhello.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, serve, type Served } from './harness.js';
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
