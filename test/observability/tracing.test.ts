// Traces through the real CLI: serve runs with a user's `--import` file registering an
// OpenTelemetry SDK (test/fixtures/tracing/register-otel.mjs), whose exporter writes each span to
// a file. A request yields a server span parented on its `traceparent`, children for route,
// authorize and integrate, an invoke span per function call, and the functions see the same
// trace in `_X_AMZN_TRACE_ID` (thread) and `Lambda-Runtime-Trace-Id` (process, Runtime API),
// as Lambda passes X-Ray's header:
// https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html#runtimes-api-next
// https://docs.aws.amazon.com/xray/latest/devguide/xray-concepts.html#xray-concepts-tracingheader
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { call, eventually, ROOT, serve, type Served } from '../e2e/harness.js';

const PROJECT = 'test/fixtures/tracing';
const REGISTER = join(ROOT, 'test/fixtures/tracing/register-otel.mjs');

interface SpanLine {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  attributes: Record<string, unknown>;
  status: number;
}

// SpanKind in @opentelemetry/api: INTERNAL 0, SERVER 1, CLIENT 2.
const SERVER = 1;
const CLIENT = 2;

describe('traces through the OpenTelemetry API, with an SDK registered by --import', () => {
  let s: Served;
  const spansFile = join(mkdtempSync(join(tmpdir(), 'sallyport-spans-')), 'spans.jsonl');
  before(async () => {
    s = await serve(['--config', PROJECT], {
      NODE_OPTIONS: `--import ${REGISTER}`,
      SALLYPORT_TEST_SPANS: spansFile,
    });
  });
  after(async () => {
    await s.stop();
  });

  const spans = (): SpanLine[] =>
    existsSync(spansFile)
      ? readFileSync(spansFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as SpanLine)
      : [];

  /** The spans of one trace, once its server span has ended. */
  async function traceOf(traceId: string): Promise<SpanLine[]> {
    await eventually(() => spans().some((sp) => sp.traceId === traceId && sp.kind === SERVER));
    return spans().filter((sp) => sp.traceId === traceId);
  }

  const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
  const PARENT = '00f067aa0ba902b7';

  it('a request: server span on the incoming traceparent, route/authorize/integrate, invokes', async () => {
    const r = await call(`${s.base}/dev/t`, {
      headers: { token: 'allowTraced', traceparent: `00-${TRACE}-${PARENT}-01` },
    });
    assert.equal(r.status, 200);
    const all = await traceOf(TRACE);
    const root = all.find((sp) => sp.kind === SERVER)!;
    assert.equal(root.name, 'traced-api/dev');
    assert.equal(root.parentSpanId, PARENT);
    assert.equal(root.attributes['http.request.method'], 'GET');
    assert.equal(root.attributes['url.path'], '/t');
    assert.equal(root.attributes['http.route'], '/t');
    assert.equal(root.attributes['http.response.status_code'], 200);
    assert.equal(root.attributes['aws.request_id'], r.headers['x-amzn-requestid']);
    assert.equal(root.attributes['aws.apigateway.api_id'], 'traced0001');
    assert.equal(root.attributes['aws.apigateway.stage'], 'dev');
    assert.equal(root.attributes['cloud.region'], 'us-east-1');

    const child = (name: string) => {
      const found = all.find((sp) => sp.name === name);
      assert.ok(found, `${name} in ${all.map((sp) => sp.name).join(', ')}`);
      return found;
    };
    for (const name of ['route', 'authorize', 'integrate'])
      assert.equal(child(name).parentSpanId, root.spanId, name);
    const authorize = child('authorize');
    assert.equal(authorize.attributes['aws.apigateway.authorizer.name'], 'verdicts');
    assert.equal(authorize.attributes['aws.apigateway.authorizer.type'], 'TOKEN');
    assert.equal(authorize.attributes['aws.apigateway.authorizer.principal_id'], 'user-1');
    assert.ok(!JSON.stringify(all).includes('allowTraced'), 'no token in any span');

    const authorizerInvoke = child('Lambda Invoke verdicts');
    assert.equal(authorizerInvoke.kind, CLIENT);
    assert.equal(authorizerInvoke.parentSpanId, authorize.spanId);
    const invoke = child('Lambda Invoke traced');
    assert.equal(invoke.parentSpanId, child('integrate').spanId);
    assert.equal(invoke.attributes['faas.invoked_name'], 'traced');
    assert.equal(invoke.attributes['faas.invoked_provider'], 'aws');

    // The same trace, in X-Ray's spelling, for the function and for the client.
    const xrayRoot = `Root=1-${TRACE.slice(0, 8)}-${TRACE.slice(8)}`;
    const seen = (r.json() as { trace: string }).trace;
    assert.equal(seen, `${xrayRoot};Parent=${invoke.spanId};Sampled=1`);
    assert.equal(r.headers['x-amzn-trace-id'], xrayRoot);
  });

  it('a function in its own process gets the trace through Lambda-Runtime-Trace-Id', async () => {
    const trace = 'aaaabbbbccccddddeeeeffff00001111';
    const r = await call(`${s.base}/dev/p`, {
      headers: { traceparent: `00-${trace}-${PARENT}-01` },
    });
    assert.equal(r.status, 200);
    const all = await traceOf(trace);
    const invoke = all.find((sp) => sp.name === 'Lambda Invoke traced-process')!;
    assert.ok(invoke);
    assert.ok(!all.some((sp) => sp.name === 'authorize'), 'an open method decides nothing');
    assert.equal(
      (r.json() as { trace: string }).trace,
      `Root=1-aaaabbbb-ccccddddeeeeffff00001111;Parent=${invoke.spanId};Sampled=1`,
    );
  });

  it('a 401 ends in the authorize span; without traceparent a new trace starts', async () => {
    const r = await call(`${s.base}/dev/t`);
    assert.equal(r.status, 401);
    const traceId = /^Root=1-([0-9a-f]{8})-([0-9a-f]{24})$/.exec(
      String(r.headers['x-amzn-trace-id'] ?? ''),
    );
    await eventually(() =>
      spans().some(
        (sp) =>
          sp.kind === SERVER && sp.attributes['aws.request_id'] === r.headers['x-amzn-requestid'],
      ),
    );
    const root = spans().find(
      (sp) =>
        sp.kind === SERVER && sp.attributes['aws.request_id'] === r.headers['x-amzn-requestid'],
    )!;
    assert.equal(traceId, null, 'a gateway response carries no X-Amzn-Trace-Id');
    assert.equal(root.parentSpanId, null);
    assert.equal(root.attributes['http.response.status_code'], 401);
    assert.equal(root.attributes['aws.apigateway.error_type'], 'UNAUTHORIZED');
    const all = spans().filter((sp) => sp.traceId === root.traceId);
    const authorize = all.find((sp) => sp.name === 'authorize')!;
    assert.equal(authorize.attributes['aws.apigateway.error_type'], 'UNAUTHORIZED');
    assert.ok(!all.some((sp) => sp.name === 'integrate'));
  });
});
