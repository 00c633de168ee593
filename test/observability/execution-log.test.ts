// Execution logs through the real CLI and real HTTP: a stage's methodSettings (`loggingLevel`,
// `dataTraceEnabled`, set with UpdateStage as on AWS) decide which lines a request writes, in
// AWS's words and order; secrets are masked; TestInvokeMethod and TestInvokeAuthorizer return
// the same lines in the console's `log` format.
// Sources of the expected texts (recorded AWS output):
//  [TIM] a TestInvokeMethod log of a Lambda proxy method (2025): "Execution log for request {id}",
//        "Wed Mar 05 06:43:16 UTC 2025 : Starting execution for request: {id}", "HTTP Method: POST,
//        Resource Path: /generate-image", "Method request path: {}", … "Endpoint request URI:
//        https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:…/invocations",
//        "Sending request to …", "Received response. Status: 200, Integration latency: 16206 ms",
//        "Endpoint response headers: {Date=…, Content-Type=application/json, …}", "Method response
//        headers: {Content-Type=application/json, X-Amzn-Trace-Id=Root=…}", "Successfully completed
//        execution", "Method completed with status: 200"; and the developer guide's example,
//        https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-create-api-as-simple-proxy-for-lambda.html
//        ("Method request path: {city=Seattle}", "Method request query string: {time=morning}").
//  [CW]  CloudWatch exports of API-Gateway-Execution-Logs_{id}/{stage}: "(id) Verifying Usage Plan
//        for request: {id}. API Key:  API Stage: abc123def45/dev", "(id) API Key  authorized because
//        method 'POST /jazztest/abc' does not require API Key. Request will not contribute to
//        throttle or quota limits", "(id) Usage Plan check succeeded for API Key  and API Stage
//        abc123def45/dev" (INFO without data trace: then only Starting execution, HTTP Method,
//        Successfully completed execution, Method completed with status); a 2016 one with an API
//        key "**********************************bMZHBg" (40 characters, the last six shown); a 2026
//        one: "Extended Request Id: W9zMPGrHtjMEeFw=", "Starting authorizer: 4hugyv for request:
//        {id}", "Unauthorized request: {id}".
//  [TIA] TestInvokeAuthorizer logs: "Starting authorizer: 52u008 for request: {id}", "Incoming
//        identity: {method.request.header.Hash=********aaaaaa}", "Authorizer result body before
//        parsing: …", "Using valid authorizer policy for principal: …", "Successfully completed
//        authorizer execution"; refused: "Unauthorized request: {id}", "Unauthorized"; failed:
//        "Execution failed due to configuration error: …", "AuthorizerConfigurationException".
//  Log events are truncated at 1 KB:
//  https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-execution-logging.html
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  APIGatewayClient,
  GetAuthorizersCommand,
  GetResourcesCommand,
  TestInvokeAuthorizerCommand,
  TestInvokeMethodCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import { awsMap, maskSecret, truncateLine } from '../../src/observability/execution-log-format.js';
import { ROOT, call, eventually, serve, tempProject, type Served } from '../e2e/harness.js';

const API = 'execlog001';
const ARN = `arn:aws:execute-api:us-east-1:123456789012:${API}`;
const CREDENTIALS = { accessKeyId: 'AKIASALLYPORTEXECLOG', secretAccessKey: 'e'.repeat(40) };
const API_KEY = 'execlogkey0000000000000000000000000secret';
// Tokens long enough to be masked to their tail; the authorizer decides by their prefix.
const ALLOW = 'allow-token-0123456789abcdef';
const EXACT = 'exact-token-0123456789abcdef';
const SECRET_VALUES = [API_KEY, ALLOW, EXACT];

/** A request sent while waiting for a stage update; its answer (or the server's end) is ignored. */
const probe = (url: string) => void call(url).catch(() => undefined);
/** A Lambda proxy request's lines at INFO with data trace, from `Starting execution` on [TIM]. */
const METHOD_NARRATIVE = [
  'Starting execution for request',
  'HTTP Method',
  'Method request path',
  'Method request query string',
  'Method request headers',
  'Method request body before transformations',
  'Endpoint request URI',
  'Endpoint request headers',
  'Endpoint request body after transformations',
  'Sending request to https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:echo/invocations',
  'Received response. Status',
  'Endpoint response headers',
  'Endpoint response body before transformations',
  'Method response body after transformations',
  'Method response headers',
  'Successfully completed execution',
  'Method completed with status',
];

/** The HTTP_PROXY method's backend (the `info` stage's `backend` variable). */
let backendPort = 0;

/** The project both servers run: the verdicts authorizer, the echo function, four stages. */
function project(): string {
  const fixtures = join(ROOT, 'test/fixtures');
  return tempProject(`
functions:
  verdicts: { Runtime: nodejs20.x, Handler: index.handler, Code: ${fixtures}/observability/authorizer, Timeout: 30 }
  echo: { Runtime: nodejs20.x, Handler: index.handler, Code: ${fixtures}/e2e/functions/echo, Timeout: 30 }
  misbehave: { Runtime: nodejs20.x, Handler: index.handler, Code: ${fixtures}/e2e/functions/misbehave, Timeout: 30 }
apis:
  - name: execlog-api
    id: ${API}
    openapi: ${fixtures}/execution-log/openapi.yaml
    stages:
      info: { variables: { backend: '127.0.0.1:${backendPort}' } }
      plain: {}
      errors: {}
      quiet: {}
usagePlans:
  execlog-plan:
    apiStages: [{ api: execlog-api, stage: info }]
    apiKeys:
      execlog-key: { value: ${API_KEY} }
`);
}

describe('execution logs (methodSettings) through the real CLI', () => {
  let s: Served;
  let file: string;
  let apigw: APIGatewayClient;

  let backend: Server;
  before(async () => {
    backend = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'X-Backend': 'yes' });
      res.end('from the backend');
    });
    await new Promise<void>((ok) => backend.listen(0, '127.0.0.1', ok));
    backendPort = (backend.address() as AddressInfo).port;
    file = join(mkdtempSync(join(tmpdir(), 'sallyport-exec-')), 'execution.log');
    const dir = project();
    s = await serve(['--config', dir, '--execution-log', file], {
      SALLYPORT_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      SALLYPORT_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    });
    apigw = new APIGatewayClient({
      endpoint: s.admin!,
      region: 'us-east-1',
      credentials: CREDENTIALS,
    });
    const level = (stage: string, ops: [string, string][]) =>
      apigw.send(
        new UpdateStageCommand({
          restApiId: API,
          stageName: stage,
          patchOperations: ops.map(([path, value]) => ({ op: 'replace', path, value })),
        }),
      );
    // https://docs.aws.amazon.com/apigateway/latest/api/API_MethodSetting.html
    await level('info', [
      ['/*/*/logging/loglevel', 'INFO'],
      ['/*/*/logging/dataTrace', 'true'],
      // A method's own entry wins over `*/*`: the MOCK logs nothing here.
      ['/~1mock/GET/logging/loglevel', 'OFF'],
    ]);
    await level('plain', [['/*/*/logging/loglevel', 'INFO']]);
    await level('errors', [['/*/*/logging/loglevel', 'ERROR']]);
    // The stage update reaches the data plane asynchronously: wait for its first line.
    await eventually(() => {
      probe(`${s.base}/plain/open`);
      return lines().some((l) => l.includes('Starting execution'));
    });
  });

  after(async () => {
    apigw?.destroy();
    await s?.stop();
    backend?.close();
  });

  const lines = () =>
    existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];

  /** The request's lines without CloudWatch's `{time} ({request id}) ` prefix. */
  function linesOf(requestId: string): string[] {
    const prefix = new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z \\(${requestId}\\) `);
    return lines()
      .filter((l) => prefix.test(l))
      .map((l) => l.replace(prefix, ''));
  }

  /** Sends a request and waits for its last execution-log line. */
  async function logged(
    path: string,
    headers: Record<string, string>,
    last: RegExp,
    method = 'GET',
  ): Promise<{ status: number; requestId: string; lines: string[] }> {
    const r = await call(`${s.base}${path}`, { headers, method });
    const requestId = String(r.headers['x-amzn-requestid']);
    await eventually(() => linesOf(requestId).some((l) => last.test(l)));
    return { status: r.status, requestId, lines: linesOf(requestId) };
  }

  /** Each line starts with its expected prefix, and there are as many lines as prefixes. */
  const heads = (all: string[]) => all.map((l) => l.replace(/: .*$/, ''));

  it('INFO with data trace: the whole narrative in AWS order [CW][TIM][TIA]', async () => {
    const {
      status,
      requestId,
      lines: got,
    } = await logged('/info/proxy/42?q=1', { token: ALLOW }, /^Method completed with status/);
    assert.equal(status, 200);
    assert.deepEqual(heads(got), [
      'Extended Request Id',
      'Starting authorizer',
      'Incoming identity',
      '[sallyport] authorizer cache miss',
      'Endpoint request URI',
      'Endpoint request headers',
      'Endpoint request body after transformations',
      'Sending request to https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:verdicts/invocations',
      'Authorizer result body before parsing',
      'Using valid authorizer policy for principal',
      'Successfully completed authorizer execution',
      '[sallyport] allow',
      'Verifying Usage Plan for request',
      "API Key  authorized because method 'GET /proxy/{id}' does not require API Key. Request will not contribute to throttle or quota limits",
      `Usage Plan check succeeded for API Key  and API Stage ${API}/info`,
      ...METHOD_NARRATIVE,
    ]);
    const has = (line: string) => assert.ok(got.includes(line), `${line}\n---\n${got.join('\n')}`);
    has(`Starting authorizer: ${await authorizerId()} for request: ${requestId}`);
    has(`Incoming identity: ${maskSecret(ALLOW)}`);
    has(`Verifying Usage Plan for request: ${requestId}. API Key:  API Stage: ${API}/info`);
    has(
      "API Key  authorized because method 'GET /proxy/{id}' does not require API Key. Request will not contribute to throttle or quota limits",
    );
    has(`Usage Plan check succeeded for API Key  and API Stage ${API}/info`);
    has(`Starting execution for request: ${requestId}`);
    has('HTTP Method: GET, Resource Path: /proxy/42');
    has('Method request path: {id=42}');
    has('Method request query string: {q=1}');
    has(
      'Endpoint request URI: https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:echo/invocations',
    );
    has(`[sallyport] allow: Statement[0] Allow (${ARN}/info/*/*) matches ${ARN}/info/GET/proxy/42`);
    has('Successfully completed execution');
    has('Method completed with status: 200');
    assert.match(
      got.find((l) => l.startsWith('Received response'))!,
      /^Received response\. Status: 200, Integration latency: \d+ ms$/,
    );
    // Headers in Java's {k=v} form, the token header masked.
    const requestHeaders = got.find((l) => l.startsWith('Method request headers: '))!;
    assert.match(requestHeaders, /^Method request headers: \{.*token=\*{22}abcdef(, |\})/);
    const responseHeaders = got.find((l) => l.startsWith('Method response headers: '))!;
    assert.match(responseHeaders, /^Method response headers: \{.*X-Echo=yes, /);
    assert.match(responseHeaders, /, X-Amzn-Trace-Id=Root=1-[0-9a-f]{8}-[0-9a-f]{24}\}$/);
  });

  let authorizer: string | undefined;
  async function authorizerId(): Promise<string> {
    authorizer ??= (await apigw.send(new GetAuthorizersCommand({ restApiId: API }))).items![0]!.id!;
    return authorizer;
  }

  it('a cached result says so, with its age and the TTL left (Sallyport line)', async () => {
    const { lines: got } = await logged('/info/proxy/43', { token: ALLOW }, /^Method completed/);
    const hit = got.find((l) => l.startsWith('[sallyport] authorizer cache hit'));
    assert.match(
      hit ?? '',
      new RegExp(
        `^\\[sallyport\\] authorizer cache hit: the result cached \\d+ s ago for ${ARN}/info/GET/proxy/42, \\d+ s left$`,
      ),
    );
    assert.ok(!got.some((l) => l.startsWith('Authorizer result body')), 'no invocation on a hit');
  });

  it('403: the cached-policy pitfall explained, and no status line (as for a 401)', async () => {
    await logged('/info/proxy/1', { token: EXACT }, /^Method completed/);
    const { status, lines: got } = await logged(
      '/info/proxy/2',
      { token: EXACT },
      /^\[sallyport\] deny/,
    );
    assert.equal(status, 403);
    assert.match(
      got.find((l) => l.startsWith('[sallyport] deny'))!,
      new RegExp(
        `^\\[sallyport\\] deny: no Allow statement matches ${ARN}/info/GET/proxy/2 — this policy was cached \\d+ s ago for ${ARN}/info/GET/proxy/1;`,
      ),
    );
    assert.ok(!got.some((l) => l.startsWith('Starting execution')));
  });

  it('401: "Unauthorized request: {id}" and why [CW]', async () => {
    const {
      status,
      requestId,
      lines: got,
    } = await logged('/info/proxy/1', {}, /^\[sallyport\] 401/);
    assert.equal(status, 401);
    assert.deepEqual(got.slice(1), [
      `Starting authorizer: ${await authorizerId()} for request: ${requestId}`,
      `Unauthorized request: ${requestId}`,
      '[sallyport] 401: no method.request.header.token',
    ]);
  });

  it('500: the authorizer configuration error in AWS words [TIA]', async () => {
    const { status, lines: got } = await logged(
      '/info/proxy/1',
      { token: 'broken' },
      /^AuthorizerConfigurationException$/,
    );
    assert.equal(status, 500);
    assert.deepEqual(got.slice(-3), [
      'Execution failed due to configuration error: context.nested must be a string, number or boolean, not an object',
      'Execution failed due to configuration error: Authorizer error',
      'AuthorizerConfigurationException',
    ]);
  });

  it('502: a malformed Lambda proxy answer, in AWS words, at INFO and at ERROR [CW]', async () => {
    // "Endpoint response body before transformations: …", "Execution failed due to configuration
    // error: Malformed Lambda proxy response", "Method completed with status: 502" (a recorded
    // CloudWatch log).
    const info = await logged('/info/misbehave/not-json', {}, /^Method completed/);
    assert.equal(info.status, 502);
    assert.deepEqual(info.lines.slice(-3), [
      'Endpoint response body before transformations: "hello"',
      'Execution failed due to configuration error: Malformed Lambda proxy response: not an object',
      'Method completed with status: 502',
    ]);
    const error = await logged('/errors/misbehave/not-json', {}, /^Method completed/);
    assert.deepEqual(error.lines, info.lines.slice(-2));
  });

  it('HTTP_PROXY: the backend request and its answer (data trace) [TIM]', async () => {
    const { status, lines: got } = await logged('/info/backend?x=1', {}, /^Method completed/);
    assert.equal(status, 200);
    const url = `http://127.0.0.1:${backendPort}/answer?x=1`;
    assert.ok(got.includes(`Endpoint request URI: ${url}`), got.join('\n'));
    assert.ok(got.includes(`Sending request to ${url}`));
    assert.match(
      got.find((l) => l.startsWith('Received response'))!,
      /^Received response\. Status: 200, Integration latency: \d+ ms$/,
    );
    assert.match(
      got.find((l) => l.startsWith('Endpoint response headers: '))!,
      /x-backend=yes/,
    );
    assert.ok(got.includes('Endpoint response body before transformations: from the backend'));
    assert.ok(got.includes('Method response body after transformations: from the backend'));
  });

  it('an API key is masked to its last six characters [CW]', async () => {
    const {
      status,
      requestId,
      lines: got,
    } = await logged('/info/metered', { 'x-api-key': API_KEY }, /^Method completed/);
    assert.equal(status, 200);
    const masked = maskSecret(API_KEY);
    assert.equal(masked, `${'*'.repeat(API_KEY.length - 6)}${API_KEY.slice(-6)}`);
    assert.ok(
      got.includes(
        `Verifying Usage Plan for request: ${requestId}. API Key: ${masked} API Stage: ${API}/info`,
      ),
    );
    assert.ok(
      got.includes(`Usage Plan check succeeded for API Key ${masked} and API Stage ${API}/info`),
    );
  });

  it('INFO without data trace: no headers or bodies [CW]', async () => {
    const { requestId, lines: got } = await logged('/plain/open', {}, /^Method completed/);
    assert.deepEqual(got, [
      got[0]!,
      `Verifying Usage Plan for request: ${requestId}. API Key:  API Stage: ${API}/plain`,
      "API Key  authorized because method 'GET /open' does not require API Key. Request will not contribute to throttle or quota limits",
      `Usage Plan check succeeded for API Key  and API Stage ${API}/plain`,
      `Starting execution for request: ${requestId}`,
      'HTTP Method: GET, Resource Path: /open',
      'Successfully completed execution',
      'Method completed with status: 200',
    ]);
    assert.match(got[0]!, /^Extended Request Id: \S+$/);
  });

  it('ERROR: nothing for a success; the failure and its status for an error', async () => {
    const ok = await call(`${s.base}/errors/open`);
    const okId = String(ok.headers['x-amzn-requestid']);
    const { lines: got } = await logged(
      '/errors/proxy/1',
      { token: 'broken' },
      /^AuthorizerConfigurationException$/,
    );
    assert.deepEqual(got.slice(1), [
      'Execution failed due to configuration error: Authorizer error',
      'AuthorizerConfigurationException',
    ]);
    assert.match(got[0]!, /^Execution failed due to configuration error: context\.nested /);
    assert.deepEqual(linesOf(okId), [], 'a 200 at ERROR writes nothing');
  });

  it('OFF (the default), and a method set OFF under an INFO stage: nothing', async () => {
    const quiet = await call(`${s.base}/quiet/open`);
    const mock = await call(`${s.base}/info/mock`);
    assert.equal(mock.body, '{"mocked":true}');
    // A later request on a logging stage has been written: the two before it had their chance.
    await logged('/plain/open', {}, /^Method completed/);
    assert.deepEqual(linesOf(String(quiet.headers['x-amzn-requestid'])), []);
    assert.deepEqual(linesOf(String(mock.headers['x-amzn-requestid'])), []);
  });

  describe('TestInvokeMethod and TestInvokeAuthorizer logs', () => {
    const JAVA_DATE = /^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4} : /;
    /** The log's lines without their timestamps, after checking its header and stamps. */
    function messages(log: string): { id: string; lines: string[] } {
      const [header, ...rest] = log.trimEnd().split('\n');
      const id = /^Execution log for request ([0-9a-f-]{36})$/.exec(header!)?.[1];
      assert.ok(id, header);
      for (const line of rest) assert.match(line, JAVA_DATE);
      return { id, lines: rest.map((l) => l.replace(JAVA_DATE, '')) };
    }
    async function resourceId(path: string): Promise<string> {
      const resources = await apigw.send(new GetResourcesCommand({ restApiId: API }));
      return resources.items!.find((r) => r.path === path)!.id!;
    }

    it('Lambda proxy: AWS lines, headers and multiValueHeaders [TIM]', async () => {
      const r = await apigw.send(
        new TestInvokeMethodCommand({
          restApiId: API,
          resourceId: await resourceId('/proxy/{id}'),
          httpMethod: 'GET',
          pathWithQueryString: '/proxy/7?x=y',
          headers: { token: ALLOW, Accept: 'application/json' },
        }),
      );
      assert.equal(r.status, 200);
      const { id, lines: got } = messages(r.log!);
      assert.deepEqual(heads(got), [...METHOD_NARRATIVE]);
      assert.equal(got[0], `Starting execution for request: ${id}`);
      assert.equal(got[1], 'HTTP Method: GET, Resource Path: /proxy/7');
      assert.equal(got[2], 'Method request path: {id=7}');
      assert.equal(got[3], 'Method request query string: {x=y}');
      assert.equal(got.at(-1), 'Method completed with status: 200');
      // The answer's headers as the client gets them [TIM: "Response headers" with the trace id].
      assert.equal(r.headers?.['X-Echo'], 'yes');
      assert.equal(r.headers?.['Content-Type'], 'application/json');
      assert.match(r.headers?.['X-Amzn-Trace-Id'] ?? '', /^Root=1-/);
      assert.deepEqual(r.multiValueHeaders?.['Set-Cookie'], ['a=1', 'b=2']);
      assert.ok(!r.log!.includes(ALLOW), 'the token is never written whole');
    });

    it('non-proxy Lambda: the request template applied [TIM]', async () => {
      const r = await apigw.send(
        new TestInvokeMethodCommand({
          restApiId: API,
          resourceId: await resourceId('/custom'),
          httpMethod: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{"name":"ada"}',
        }),
      );
      assert.equal(r.status, 200);
      const { lines: got } = messages(r.log!);
      assert.ok(got.includes('Method request body before transformations: {"name":"ada"}'));
      // The template's output as it rendered it, spaces included (what Lambda is sent).
      assert.ok(got.includes('Endpoint request body after transformations: {"name": "ada"}'));
      assert.ok(got.some((l) => l.startsWith('Endpoint response body before transformations: {')));
      assert.equal(got.at(-2), 'Successfully completed execution');
    });

    it('MOCK: no endpoint, the mapped answer [TIM]', async () => {
      const r = await apigw.send(
        new TestInvokeMethodCommand({
          restApiId: API,
          resourceId: await resourceId('/mock'),
          httpMethod: 'GET',
        }),
      );
      const { id, lines: got } = messages(r.log!);
      assert.deepEqual(got, [
        `Starting execution for request: ${id}`,
        'HTTP Method: GET, Resource Path: /mock',
        'Method request path: {}',
        'Method request query string: {}',
        'Method request headers: {}',
        'Method request body before transformations: ',
        'Method response body after transformations: {"mocked":true}',
        'Method response headers: {Content-Type=application/json}',
        'Successfully completed execution',
        'Method completed with status: 200',
      ]);
      assert.deepEqual(r.headers, { 'Content-Type': 'application/json' });
    });

    const testAuthorizer = async (token: string | undefined) =>
      apigw.send(
        new TestInvokeAuthorizerCommand({
          restApiId: API,
          authorizerId: await authorizerId(),
          headers: token === undefined ? {} : { token },
        }),
      );

    it('TestInvokeAuthorizer 401: Unauthorized request, then Unauthorized [TIA]', async () => {
      const r = await testAuthorizer('unauthorized');
      assert.equal(r.clientStatus, 401);
      const { id, lines: got } = messages(r.log!);
      assert.equal(got[0], `Starting authorizer: ${await authorizerId()} for request: ${id}`);
      assert.deepEqual(got.slice(-3), [
        `Unauthorized request: ${id}`,
        '[sallyport] 401: the authorizer answered Unauthorized',
        'Unauthorized',
      ]);
    });

    it('TestInvokeAuthorizer 500: the configuration error [TIA]', async () => {
      const r = await testAuthorizer('broken');
      assert.equal(r.clientStatus, 500);
      const { lines: got } = messages(r.log!);
      assert.deepEqual(got.slice(-2), [
        'Execution failed due to configuration error: Authorizer error',
        'AuthorizerConfigurationException',
      ]);
    });

    it('TestInvokeAuthorizer with a denying policy: clientStatus 0, the deny explained', async () => {
      const r = await testAuthorizer('deny-token-0123456789');
      assert.equal(r.clientStatus, 0);
      const { lines: got } = messages(r.log!);
      assert.deepEqual(heads(got).slice(-3), [
        'Using valid authorizer policy for principal',
        'Successfully completed authorizer execution',
        '[sallyport] deny',
      ]);
      assert.equal(
        got.at(-1),
        `[sallyport] deny: explicit Deny in Statement[0] (${ARN}/ESTestInvoke-stage/*/*) matches ${ARN}/ESTestInvoke-stage/GET/`,
      );
      assert.ok(!r.log!.includes('deny-token-0123456789'), 'the token is never written whole');
    });
  });

  it('no log line holds a whole token or API key', () => {
    const all = readFileSync(file, 'utf8');
    for (const secret of SECRET_VALUES) assert.ok(!all.includes(secret), `${secret} was logged`);
  });
});

describe('execution logs without --execution-log: records of the server log', () => {
  let s: Served;
  before(async () => {
    s = await serve(['--config', project()], {
      SALLYPORT_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      SALLYPORT_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    });
  });
  after(() => s?.stop());

  it('each line is an `execution` record with its request id and log group', async () => {
    const apigw = new APIGatewayClient({
      endpoint: s.admin!,
      region: 'us-east-1',
      credentials: CREDENTIALS,
    });
    await apigw.send(
      new UpdateStageCommand({
        restApiId: API,
        stageName: 'plain',
        patchOperations: [{ op: 'replace', path: '/*/*/logging/loglevel', value: 'INFO' }],
      }),
    );
    apigw.destroy();
    interface Record {
      msg: string;
      level: number;
      requestId?: string;
      logGroup?: string;
      line?: string;
    }
    const records = () =>
      s
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record)
        .filter((r) => r.msg === 'execution');
    // The stage update reaches the data plane asynchronously: ask until a request is logged.
    await eventually(() => {
      probe(`${s.base}/plain/open`);
      return records().some((r) => r.line === 'Method completed with status: 200');
    });
    const last = records().find((r) => r.line === 'Method completed with status: 200')!;
    assert.equal(last.level, 30);
    assert.equal(last.logGroup, `API-Gateway-Execution-Logs_${API}/plain`);
    const same = records().filter((r) => r.requestId === last.requestId);
    assert.equal(same[0]!.line?.startsWith('Extended Request Id: '), true);
    assert.ok(same.some((r) => r.line === `Starting execution for request: ${last.requestId}`));
    assert.match(last.requestId!, /^[0-9a-f-]{36}$/);
  });
});

describe('execution log formats (unit)', () => {
  it("maps are Java's {k=v, k2=v2} [TIM]", () => {
    assert.equal(awsMap({ city: 'Seattle' }), '{city=Seattle}');
    assert.equal(
      awsMap([
        ['a', '1'],
        ['b', '2'],
      ]),
      '{a=1, b=2}',
    );
    assert.equal(awsMap({}), '{}');
  });

  it('a secret keeps its length and its last six characters; a short one is all stars [CW]', () => {
    assert.equal(maskSecret('0123456789abcdefghij'), '**************efghij');
    assert.equal(maskSecret('short'), '*****');
  });

  it('a line over 1 KB is cut and marked [TRUNCATED]', () => {
    assert.equal(truncateLine('x'.repeat(1024)), 'x'.repeat(1024));
    assert.equal(truncateLine('x'.repeat(1030)), `${'x'.repeat(1024)} [TRUNCATED]`);
  });
});
