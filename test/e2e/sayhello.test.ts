// The walkthrough (docs/walkthrough.md), end to end through the real CLI: no header → 401, `allow` → the
// function's answer, `deny` → explicit-deny 403, with AWS's exact bodies and headers.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, run, serve, type Served } from './harness.js';
import { itAnswersTheWalkthrough } from './walkthrough-answers.js';

describe('examples/sayhello, served by `sallyport serve --config examples/sayhello`', () => {
  let s: Served;
  before(async () => {
    s = await serve(['--config', 'examples/sayhello']);
  });
  after(async () => {
    assert.equal(await s.stop(), 0, 'stops cleanly on SIGTERM');
  });

  it('prints the stage invoke URL', () => {
    assert.match(s.output(), new RegExp(`stage dev of API a1b2c3d4e5: ${s.base}/dev`));
  });

  itAnswersTheWalkthrough(() => `${s.base}/dev/sayhello`);

  it('an unknown path: 403 Missing Authentication Token', async () => {
    const r = await call(`${s.base}/dev/nothing-here`);
    assert.equal(r.status, 403);
    assert.equal(r.body, '{"message":"Missing Authentication Token"}');
    assert.equal(r.headers['x-amzn-errortype'], 'MissingAuthenticationTokenException');
  });

  it('an undeployed stage: 403 {"message":"Forbidden"}', async () => {
    const r = await call(`${s.base}/prod/sayhello`);
    assert.equal(r.status, 403);
    assert.equal(r.body, '{"message":"Forbidden"}');
    assert.equal(r.headers['x-amzn-errortype'], 'ForbiddenException');
  });

  it('the same stage answers on the host-based and _user_request_ URL forms', async () => {
    const hosted = await call(`${s.base}/dev/sayhello`, {
      headers: { Host: `a1b2c3d4e5.execute-api.localhost:${s.port}`, jwt_token: 'allow' },
    });
    assert.equal(hosted.status, 200);
    const user = await call(`${s.base}/restapis/a1b2c3d4e5/dev/_user_request_/sayhello`, {
      headers: { jwt_token: 'allow' },
    });
    assert.equal(user.status, 200);
  });

  it('`sallyport invoke` runs one function once and prints its payload', async () => {
    const r = await run([
      'invoke',
      'api-authorizer',
      '--config',
      'examples/sayhello',
      '--payload',
      '{"type":"TOKEN","authorizationToken":"allow","methodArn":"arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/dev/GET/sayhello"}',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      principalId: 'user|allow',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Action: 'execute-api:Invoke',
            Effect: 'Allow',
            Resource: 'arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/dev/*/*',
          },
        ],
      },
      context: { token: 'allow' },
    });
  });
});
