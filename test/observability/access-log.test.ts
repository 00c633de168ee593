// Access logs in a stage's `accessLogSettings.format`: the console's presets, every `$context`
// variable Sallyport fills, `-` for a value that is absent, settings changed by UpdateStage
// taking effect without a redeployment, and AWS's rule that a format names the request id.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-access-logging.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-variables-for-access-logging.html
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  APIGatewayClient,
  BadRequestException,
  GetStageCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import { ACCESS_LOG_PRESETS, accessLogFormatProblem } from '../../src/model/access-log-rules.js';
import { clfTime, compileAccessLogFormat } from '../../src/observability/access-log-format.js';
import { call, eventually, serve, type Served } from '../e2e/harness.js';

describe('access log formats (unit)', () => {
  it('CLF: the console preset, with - for what the request did not have', () => {
    const line = compileAccessLogFormat(ACCESS_LOG_PRESETS.CLF);
    const values: Record<string, string | number> = {
      'identity.sourceIp': '10.0.0.1',
      requestTime: clfTime(Date.UTC(2026, 11, 2, 6, 5, 9)),
      httpMethod: 'GET',
      resourcePath: '/a',
      protocol: 'HTTP/1.1',
      status: 200,
      responseLength: 12,
      requestId: 'r-1',
      extendedRequestId: 'x-1',
    };
    assert.equal(
      line((name) => values[name]),
      '10.0.0.1 - - [02/Dec/2026:06:05:09 +0000]"GET /a HTTP/1.1" 200 12 r-1 x-1',
    );
  });

  it('a format must name $context.requestId or $context.extendedRequestId', () => {
    assert.equal(accessLogFormatProblem('$context.extendedRequestId'), undefined);
    assert.match(accessLogFormatProblem('$context.status')!, /\$context\.requestId/);
  });

  it('text around and between variables is kept; a trailing dot is punctuation', () => {
    const line = compileAccessLogFormat('id=$context.requestId. s=$context.status$context.nothing');
    assert.equal(
      line((name) => ({ requestId: 'r', status: 404 })[name]),
      'id=r. s=404-',
    );
  });
});

describe('access logs through the real CLI', () => {
  let s: Served;
  let file: string;
  const CREDENTIALS = { accessKeyId: 'AKIASALLYPORTTEST001', secretAccessKey: 'x'.repeat(40) };
  before(async () => {
    file = join(mkdtempSync(join(tmpdir(), 'sallyport-access-')), 'access.log');
    s = await serve(['--config', 'test/fixtures/access-log', '--access-log', file], {
      SALLYPORT_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      SALLYPORT_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    });
  });
  after(async () => {
    await s.stop();
  });
  const apigw = () =>
    new APIGatewayClient({ endpoint: s.admin!, region: 'us-east-1', credentials: CREDENTIALS });
  const lines = () =>
    existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];

  async function loggedFor(requestId: string): Promise<string> {
    await eventually(() => lines().some((l) => l.includes(requestId)));
    return lines().find((l) => l.includes(requestId))!;
  }

  it('the JSON preset, named in sallyport.yaml: one line per request', async () => {
    const r = await call(`${s.base}/dev/a`, {
      headers: { token: 'allow', 'User-Agent': 'probe/1' },
    });
    assert.equal(r.status, 200);
    const line = JSON.parse(await loggedFor(String(r.headers['x-amzn-requestid']))) as Record<
      string,
      string
    >;
    assert.equal(line.requestId, r.headers['x-amzn-requestid']);
    assert.equal(line.extendedRequestId, r.headers['x-amz-apigw-id']);
    assert.equal(line.ip, '127.0.0.1');
    assert.equal(line.caller, '-');
    assert.equal(line.user, '-');
    assert.match(line.requestTime!, /^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
    assert.equal(line.httpMethod, 'GET');
    assert.equal(line.resourcePath, '/a');
    assert.equal(line.status, '200');
    assert.equal(line.protocol, 'HTTP/1.1');
    assert.equal(line.responseLength, String(r.bodyBytes.length));
  });

  it('a refused request is logged too, with its status', async () => {
    const r = await call(`${s.base}/dev/b`, { headers: { token: 'deny' } });
    const line = JSON.parse(await loggedFor(String(r.headers['x-amzn-requestid']))) as Record<
      string,
      string
    >;
    assert.equal(line.status, '403');
  });

  it('a stage without accessLogSettings writes nothing; UpdateStage turns it on without a redeployment', async () => {
    const first = await call(`${s.base}/plain/a`, { headers: { token: 'allow' } });
    assert.equal(first.status, 200);
    const format = [
      '$context.requestId $context.extendedRequestId $context.apiId $context.stage',
      '$context.domainName $context.httpMethod $context.resourcePath $context.path',
      '$context.protocol $context.status $context.responseLength $context.responseLatency',
      '$context.integrationLatency $context.requestTimeEpoch $context.identity.sourceIp',
      '$context.identity.userAgent $context.authorizer.principalId $context.authorizer.status',
      '$context.authorizer.latency $context.error.message $context.error.messageString',
      '$context.error.responseType $context.identity.caller',
    ].join(' | ');
    const updated = await apigw().send(
      new UpdateStageCommand({
        restApiId: 'verdicts01',
        stageName: 'plain',
        patchOperations: [{ op: 'replace', path: '/accessLogSettings/format', value: format }],
      }),
    );
    assert.deepEqual(updated.accessLogSettings, { format });
    const got = await apigw().send(
      new GetStageCommand({ restApiId: 'verdicts01', stageName: 'plain' }),
    );
    assert.deepEqual(got.accessLogSettings, { format });

    // The change reaches the data plane through the store's notification, without a deployment.
    let r = await call(`${s.base}/plain/b`, {
      headers: { token: 'deny', 'User-Agent': 'probe/2' },
    });
    await eventually(() => {
      if (lines().some((l) => l.includes(String(r.headers['x-amzn-requestid'])))) return true;
      void call(`${s.base}/plain/b`, { headers: { token: 'deny', 'User-Agent': 'probe/2' } }).then(
        (next) => (r = next),
      );
      return false;
    });
    const fields = (await loggedFor(String(r.headers['x-amzn-requestid']))).split(' | ');
    assert.ok(!lines().some((l) => l.includes(String(first.headers['x-amzn-requestid']))));
    const id = String(r.headers['x-amzn-requestid']);
    assert.deepEqual(fields.slice(0, 1), [
      `${id} ${String(r.headers['x-amz-apigw-id'])} verdicts01 plain`,
    ]);
    assert.match(fields[1]!, /^127\.0\.0\.1:\d+ GET \/b \/plain\/b$/);
    assert.match(fields[2]!, new RegExp(`^HTTP/1\\.1 403 ${r.bodyBytes.length} \\d+$`));
    assert.match(
      fields[3]!,
      /^- \d{13} 127\.0\.0\.1$/,
      'no integration ran: integrationLatency is -',
    );
    assert.equal(fields[4], 'probe/2 user-3 403');
    const denied = 'User is not authorized to access this resource with an explicit deny';
    assert.match(fields[5]!, new RegExp(`^\\d+ ${denied} "${denied}"$`));
    assert.equal(fields[6], 'ACCESS_DENIED -', 'identity.caller: only IAM callers have one');
    assert.equal(fields.length, 7);
  });

  it('UpdateStage refuses a format without the request id, as AWS does', async () => {
    await assert.rejects(
      apigw().send(
        new UpdateStageCommand({
          restApiId: 'verdicts01',
          stageName: 'plain',
          patchOperations: [
            { op: 'replace', path: '/accessLogSettings/format', value: '$context.status' },
          ],
        }),
      ),
      (error: unknown) =>
        error instanceof BadRequestException &&
        /must contain at least one of \$context\.requestId or \$context\.extendedRequestId/.test(
          error.message,
        ),
    );
  });
});
