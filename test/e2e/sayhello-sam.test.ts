// examples/sayhello-sam: the walkthrough as a SAM template, served by `serve --template`, with the
// same answers as examples/sayhello; and a template's mistakes named with file:line:column.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { call, ROOT, run, serve, type Served } from './harness.js';
import { itAnswersTheWalkthrough } from './walkthrough-answers.js';

describe('examples/sayhello-sam, served by `sallyport serve --template`', () => {
  let s: Served;
  before(async () => {
    s = await serve(['--template', 'examples/sayhello-sam/template.yaml']);
  });
  after(async () => {
    assert.equal(await s.stop(), 0, 'stops cleanly on SIGTERM');
  });

  it('deploys the Api resource to its StageName (a parameter default) and lists what is not emulated once', () => {
    assert.match(s.output(), new RegExp(`stage dev of API [a-z0-9]{10}: ${s.base}/dev`));
    assert.match(s.output(), /Not emulated \(accepted, no effect here\):/);
    assert.match(
      s.output(),
      /^ {2}IAM \(functions run with the permissions of the machine\): Policies$/m,
    );
    assert.match(s.output(), /^ {2}stack outputs: Outputs$/m);
    assert.equal(s.output().match(/Not emulated/g)?.length, 1);
  });

  itAnswersTheWalkthrough(() => `${s.base}/dev/sayhello`);

  it('an unknown path: 403 Missing Authentication Token', async () => {
    const r = await call(`${s.base}/dev/nothing-here`);
    assert.equal(r.status, 403);
    assert.equal(r.body, '{"message":"Missing Authentication Token"}');
  });
});

describe('serve --template --parameter-overrides', () => {
  let s: Served;
  before(async () => {
    s = await serve([
      '--template',
      'examples/sayhello-sam',
      '--parameter-overrides',
      'Greeting=Howdy ParameterKey=StageName,ParameterValue=prod',
    ]);
  });
  after(async () => {
    await s.stop();
  });

  it('a parameter given on the command line replaces its Default (!Ref in Environment and StageName)', async () => {
    const r = await call(`${s.base}/prod/sayhello`, { headers: { jwt_token: 'allow' } });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json(), { message: 'Howdy from Lambda!', principalId: 'user|allow' });
  });
});

describe('serve --template: a mistake is one line naming file:line:column and the key', () => {
  const template = (body: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'sallyport-sam-'));
    writeFileSync(join(dir, 'template.yaml'), body);
    return dir;
  };

  it('an unknown resource type', async () => {
    const dir = template('Resources:\n  Queue:\n    Type: AWS::Kafka::Thing\n    Properties: {}\n');
    const r = await run(['serve', '--template', dir, '--store', 'memory', '--no-admin']);
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /template\.yaml:3:11: Resources\.Queue\.Type: unknown resource type AWS::Kafka::Thing/,
    );
  });

  it('an unknown intrinsic function tag', async () => {
    const dir = template(
      'Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Handler: !Reff x\n',
    );
    const r = await run(['serve', '--template', dir, '--store', 'memory', '--no-admin']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /template\.yaml:5:16: unknown tag: !Reff/);
  });

  it('a setting that changes request handling and is not reproduced (CanarySetting)', async () => {
    const dir = template(
      'Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: dev\n      CanarySetting: { PercentTraffic: 10 }\n',
    );
    const r = await run(['serve', '--template', dir, '--store', 'memory', '--no-admin']);
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /template\.yaml:7:22: Resources\.Api\.Properties\.CanarySetting: canary deployments are not emulated/,
    );
  });
});

describe('serve --template: the implicit API with a REQUEST authorizer from Globals.Api', () => {
  let s: Served;
  before(async () => {
    s = await serve(['--template', 'test/fixtures/projects/sam-implicit-request']);
  });
  after(async () => {
    await s.stop();
  });

  // https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-generated-resources-function.html
  it('Api events without RestApiId are served by ServerlessRestApi on stage Prod', () => {
    assert.match(s.output(), new RegExp(`stage Prod of API [a-z0-9]{10}: ${s.base}/Prod`));
  });

  // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html
  it('an identity source missing (Headers: [X-Key], QueryStrings: [t]) → 401 without calling the authorizer', async () => {
    const r = await call(`${s.base}/Prod/a`, { headers: { 'X-Key': 'k' } });
    assert.equal(r.status, 401);
    assert.equal(r.body, '{"message":"Unauthorized"}');
  });

  it('both sources present: the REQUEST authorizer runs (and denies)', async () => {
    const r = await call(`${s.base}/Prod/a?t=1`, { headers: { 'X-Key': 'k' } });
    assert.equal(r.status, 403);
    assert.equal(
      r.body,
      '{"Message":"User is not authorized to access this resource with an explicit deny"}',
    );
  });

  it('Auth: { Authorizer: NONE } opts an event out of the DefaultAuthorizer', async () => {
    const r = await call(`${s.base}/Prod/b`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json(), { message: 'Hi from Lambda!', principalId: 'anonymous' });
  });
});

// https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-corsconfiguration.html
describe('serve --template: an Api with Cors gets the OPTIONS MOCK method SAM generates', () => {
  let s: Served;
  const preflight = (path: string) =>
    call(`${s.base}/dev${path}`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'GET' },
    });
  before(async () => {
    const functions = join(ROOT, 'examples/sayhello-sam/functions');
    const text = readFileSync(join(ROOT, 'examples/sayhello-sam/template.yaml'), 'utf8')
      .replaceAll('CodeUri: functions/', `CodeUri: ${functions}/`)
      .replace(
        '      Auth:\n',
        `      Cors:
        AllowOrigin: "'https://app.example.com'"
        AllowHeaders: "'jwt_token,Content-Type'"
        MaxAge: "'600'"
        AllowCredentials: true
      Auth:
        AddDefaultAuthorizerToCorsPreflight: false
`,
      );
    const dir = mkdtempSync(join(tmpdir(), 'sallyport-sam-cors-'));
    writeFileSync(join(dir, 'template.yaml'), text);
    s = await serve(['--template', join(dir, 'template.yaml')]);
  });
  after(async () => {
    assert.equal(await s.stop(), 0);
  });

  it('the preflight answers 200 with the configured headers and no body, no token needed', async () => {
    const r = await preflight('/sayhello');
    assert.equal(r.status, 200);
    assert.equal(r.body, '');
    assert.equal(r.headers['access-control-allow-origin'], 'https://app.example.com');
    assert.equal(r.headers['access-control-allow-methods'], 'GET,OPTIONS');
    assert.equal(r.headers['access-control-allow-headers'], 'jwt_token,Content-Type');
    assert.equal(r.headers['access-control-max-age'], '600');
    assert.equal(r.headers['access-control-allow-credentials'], 'true');
  });

  it('the GET still answers the walkthrough: its authorizer guards it', async () => {
    assert.equal((await call(`${s.base}/dev/sayhello`)).status, 401);
    assert.equal(
      (await call(`${s.base}/dev/sayhello`, { headers: { jwt_token: 'allow' } })).status,
      200,
    );
  });
});
