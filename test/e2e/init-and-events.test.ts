// `sallyport init` writes the walkthrough's project, which serve runs at once with its 401/200/403;
// `sallyport generate-event` prints API Gateway's events (as `sam local generate-event apigateway`)
// that pipe into `sallyport invoke --event -`.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { APIGatewayProxyEvent, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { call, run, serve } from './harness.js';

const temp = () => mkdtempSync(join(tmpdir(), 'sallyport-init-'));

describe('sallyport init', () => {
  for (const runtime of ['nodejs', 'python'] as const) {
    it(`--runtime ${runtime}: a project serve runs at once, with the walkthrough's answers`, async () => {
      const dir = join(temp(), 'hello');
      const r = await run(['init', dir, '--runtime', runtime]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(readdirSync(dir).sort(), [
        'README.md',
        'functions',
        'openapi.yaml',
        'sallyport.yaml',
      ]);
      const readme = readFileSync(join(dir, 'README.md'), 'utf8');
      assert.match(readme, /curl -i http:\/\/localhost:8080\/dev\/sayhello /);
      assert.match(readme, /curl -i -H 'jwt_token: allow'/);
      assert.match(readme, /curl -i -H 'jwt_token: deny'/);

      const s = await serve(['--config', dir]);
      try {
        const url = `${s.base}/dev/sayhello`;
        const none = await call(url);
        assert.equal(none.status, 401);
        assert.deepEqual(none.json(), { message: 'Unauthorized' });
        const allow = await call(url, { headers: { jwt_token: 'allow' } });
        assert.equal(allow.status, 200);
        assert.deepEqual(allow.json(), {
          message: 'Hello from Lambda!',
          principalId: 'user|allow',
        });
        const deny = await call(url, { headers: { jwt_token: 'deny' } });
        assert.equal(deny.status, 403);
        assert.deepEqual(deny.json(), {
          Message: 'User is not authorized to access this resource with an explicit deny',
        });
        const unauthorized = await call(url, { headers: { jwt_token: 'unauthorized' } });
        assert.equal(unauthorized.status, 401);
      } finally {
        await s.stop();
      }
    });
  }

  it('refuses to overwrite: names the files, writes nothing', async () => {
    const dir = temp();
    writeFileSync(join(dir, 'openapi.yaml'), 'mine\n');
    const r = await run(['init', dir]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr.trim(),
      `sallyport: ${dir}: would overwrite openapi.yaml; choose an empty folder (nothing was written)`,
    );
    assert.deepEqual(readdirSync(dir), ['openapi.yaml']);
    assert.equal(readFileSync(join(dir, 'openapi.yaml'), 'utf8'), 'mine\n');
  });
});

describe('sallyport generate-event', () => {
  it("aws-proxy: SAM's sample event, with --path, --method, --stage, --body, -H and -q applied", async () => {
    const r = await run([
      'generate-event',
      'aws-proxy',
      '--path',
      '/sayhello',
      '--method',
      'get',
      '--stage',
      'dev',
      '--body',
      'hi',
      '-H',
      'jwt_token: allow',
      '-q',
      'name=me',
      '--resource',
      '/sayhello',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const event = JSON.parse(r.stdout) as APIGatewayProxyEvent;
    assert.equal(event.path, '/sayhello');
    assert.equal(event.resource, '/sayhello');
    assert.equal(event.httpMethod, 'GET');
    assert.equal(event.body, Buffer.from('hi').toString('base64'));
    assert.equal(event.isBase64Encoded, true);
    assert.equal(event.headers['jwt_token'], 'allow');
    assert.deepEqual(event.multiValueHeaders['jwt_token'], ['allow']);
    assert.deepEqual(event.queryStringParameters, { name: 'me' });
    assert.deepEqual(event.multiValueQueryStringParameters, { name: ['me'] });
    assert.deepEqual(event.pathParameters, {});
    assert.equal(event.requestContext.stage, 'dev');
    assert.equal(event.requestContext.path, '/dev/sayhello');
    assert.equal(event.requestContext.resourcePath, '/sayhello');
    assert.equal(event.requestContext.identity.sourceIp, '127.0.0.1');
  });

  it('aws-proxy defaults as SAM: POST /path/to/resource on /{proxy+}, stage prod', async () => {
    const event = JSON.parse(
      (await run(['generate-event', 'aws-proxy'])).stdout,
    ) as APIGatewayProxyEvent;
    assert.equal(event.httpMethod, 'POST');
    assert.equal(event.resource, '/{proxy+}');
    assert.deepEqual(event.pathParameters, { proxy: 'path/to/resource' });
    assert.equal(Buffer.from(event.body!, 'base64').toString(), '{"test":"body"}');
    assert.equal(event.requestContext.stage, 'prod');
  });

  it('authorizer-token piped into invoke: the authorizer allows, then denies', async () => {
    for (const [token, effect] of [
      ['allow', 'Allow'],
      ['deny', 'Deny'],
    ] as const) {
      const generated = await run([
        'generate-event',
        'authorizer-token',
        '--token',
        token,
        '--path',
        '/sayhello',
        '--stage',
        'dev',
        '--api-id',
        'a1b2c3d4e5',
      ]);
      assert.deepEqual(JSON.parse(generated.stdout), {
        type: 'TOKEN',
        authorizationToken: token,
        methodArn: 'arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/dev/GET/sayhello',
      });
      const invoked = await run(
        ['invoke', 'api-authorizer', '--config', 'examples/sayhello', '--event', '-'],
        { input: generated.stdout },
      );
      assert.equal(invoked.code, 0, invoked.stderr);
      const policy = JSON.parse(invoked.stdout) as {
        principalId: string;
        policyDocument: { Statement: { Effect: string }[] };
      };
      assert.equal(policy.principalId, `user|${token}`);
      assert.equal(policy.policyDocument.Statement[0]!.Effect, effect);
    }
  });

  it('aws-proxy piped into invoke: the function answers with statusCode 200', async () => {
    const generated = await run([
      'generate-event',
      'aws-proxy',
      '--path',
      '/sayhello',
      '--method',
      'GET',
    ]);
    const invoked = await run(
      ['invoke', 'sayhello', '--config', 'examples/sayhello', '--event', '-'],
      {
        input: generated.stdout,
      },
    );
    assert.equal(invoked.code, 0, invoked.stderr);
    const answer = JSON.parse(invoked.stdout) as { statusCode: number; body: string };
    assert.equal(answer.statusCode, 200);
    assert.deepEqual(JSON.parse(answer.body), {
      message: 'Hello from Lambda!',
      principalId: 'anonymous',
    });
  });

  it('authorizer-request: the request parts, --method-arn taken as given; a bad -H is one clear error', async () => {
    const arn = 'arn:aws:execute-api:eu-west-1:111111111111:abcdefghij/prod/POST/things';
    const r = await run([
      'generate-event',
      'authorizer-request',
      '--method-arn',
      arn,
      '-H',
      'x-key: k1',
      '-q',
      'a=b',
    ]);
    const event = JSON.parse(r.stdout) as APIGatewayRequestAuthorizerEvent & { body?: string };
    assert.equal(event.type, 'REQUEST');
    assert.equal(event.methodArn, arn);
    assert.equal(event.headers!['x-key'], 'k1');
    assert.deepEqual(event.queryStringParameters, { a: 'b' });
    assert.equal(event.body, undefined);

    const bad = await run(['generate-event', 'authorizer-request', '-H', 'novalue']);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr.trim(), 'sallyport: --header: expected name:value, got novalue');
  });
});
