// TypeScript handlers (issue 16): `Handler: index.handler` with index.ts, compiled with esbuild as
// `sam build` does, with source maps so a thrown error's stack names the .ts file and line.
// https://docs.aws.amazon.com/lambda/latest/dg/typescript-exceptions.html
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { call, eventually, run, serve, tempProject, type Served } from './harness.js';

const HANDLER = `type Event = { queryStringParameters?: Record<string, string> | null };

interface Answer { statusCode: number; body: string }

export const handler = async (event: Event): Promise<Answer> => {
  const name: string = event.queryStringParameters?.name ?? 'world';
  if (name === 'boom') {
    throw new Error('typed boom');
  }
  return { statusCode: 200, body: JSON.stringify({ hello: name, typed: true }) };
};
`;
// "throw new Error('typed boom')" is on line 8 of index.ts.
const THROW_LINE = 8;

const OPENAPI = `openapi: 3.0.1
info: { title: ts-api, version: '1' }
paths:
  /hello:
    get:
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:typed/invocations
`;

function typeScriptProject(isolation: string): string {
  const dir = tempProject(`functions:
  typed:
    Runtime: nodejs20.x
    Handler: index.handler
    Code: ./fn
    Isolation: ${isolation}
apis:
  - name: ts-api
    openapi: ./openapi.yaml
    stages: { dev: {} }
`);
  mkdirSync(join(dir, 'fn'));
  writeFileSync(join(dir, 'fn/index.ts'), HANDLER);
  writeFileSync(join(dir, 'openapi.yaml'), OPENAPI);
  return dir;
}

for (const isolation of ['thread', 'process']) {
  describe(`a TypeScript handler at isolation ${isolation}`, () => {
    let s: Served;
    let dir: string;
    before(async () => {
      dir = typeScriptProject(isolation);
      s = await serve(['--config', dir]);
    });
    after(async () => {
      assert.equal(await s.stop(), 0);
    });

    it('answers through the proxy integration', async () => {
      const r = await call(`${s.base}/dev/hello?name=ts`);
      assert.equal(r.status, 200);
      assert.equal(r.body, '{"hello":"ts","typed":true}');
    });

    it("a thrown error's logged stack names index.ts and the line of the throw", async () => {
      const r = await call(`${s.base}/dev/hello?name=boom`);
      assert.equal(r.status, 502);
      await eventually(() => s.output().includes('typed boom'));
      const tsLine = new RegExp(`fn/index\\.ts:${THROW_LINE}:\\d+`);
      await eventually(() => tsLine.test(s.output()));
    });
  });
}

describe('sallyport invoke on a TypeScript handler', () => {
  // The Node.js runtime's error document carries the stack as `trace`.
  // https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html
  it("the Lambda error document's trace names index.ts and the line of the throw", async () => {
    const dir = typeScriptProject('thread');
    const r = await run([
      'invoke',
      'typed',
      '--config',
      dir,
      '--payload',
      '{"queryStringParameters":{"name":"boom"}}',
    ]);
    assert.equal(r.code, 1);
    const document = JSON.parse(r.stdout) as {
      errorType: string;
      errorMessage: string;
      trace: string[];
    };
    assert.equal(document.errorType, 'Error');
    assert.equal(document.errorMessage, 'typed boom');
    assert.match(document.trace[1]!, new RegExp(`fn/index\\.ts:${THROW_LINE}:\\d+`));
  });

  it('a TypeScript compile error names the file, line and column', async () => {
    const dir = typeScriptProject('thread');
    writeFileSync(
      join(dir, 'fn/index.ts'),
      'export const handler = async () => {\n  return {;\n};\n',
    );
    const r = await run(['invoke', 'typed', '--config', dir]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /function typed: cannot compile .*index\.ts: .*index\.ts:2:\d+: /);
  });
});

describe('a TypeScript handler under serve --watch', () => {
  it('an edit to index.ts is compiled again and answers the next call; a compile error keeps the last good build', async () => {
    const dir = typeScriptProject('thread');
    const s = await serve(['--config', dir, '--watch']);
    try {
      await eventually(() => s.output().includes('Watching '));
      assert.equal((await call(`${s.base}/dev/hello?name=a`)).body, '{"hello":"a","typed":true}');
      writeFileSync(join(dir, 'fn/index.ts'), HANDLER.replace('typed: true', 'typed: 2'));
      await eventually(() => s.output().includes('reloaded: functions typed (code)'));
      assert.equal((await call(`${s.base}/dev/hello?name=b`)).body, '{"hello":"b","typed":2}');
      writeFileSync(
        join(dir, 'fn/index.ts'),
        'export const handler = async () => {\n  return {;\n};\n',
      );
      await eventually(() => s.output().includes('reload failed'));
      assert.match(
        s.output(),
        /reload failed, still serving the last good version: function typed: cannot compile/,
      );
      assert.equal((await call(`${s.base}/dev/hello?name=c`)).body, '{"hello":"c","typed":2}');
    } finally {
      await s.stop();
    }
  });
});
