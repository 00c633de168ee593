// Issue 10, item 3: the data directory keeps secrets in clear (every function's environment in
// the store, the admin credentials), so only its owner may read it, and function environment
// values never reach a log line. See docs/security.md, "What is stored in clear".
import assert from 'node:assert/strict';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  CreateFunctionCommand,
  InvokeCommand,
  LambdaClient,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { makeZip } from '../control/lambda/make-zip.js';
import { run, serve, tempProject, type Served } from '../e2e/harness.js';

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
const SECRET = 'sekrit-value-7f3a9c';

function lambdaFor(node: Served, dataDir: string): LambdaClient {
  const credentials = JSON.parse(readFileSync(join(dataDir, 'credentials.json'), 'utf8')) as {
    accessKeyId: string;
    secretAccessKey: string;
  };
  return new LambdaClient({
    endpoint: node.admin!,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
  });
}

describe('the data directory is private', () => {
  it('a new data directory is 0700; the store, its WAL files and credentials.json are 0600', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'sallyport-sec-')), 'state');
    const node = await serve(['--data-dir', dataDir]);
    try {
      // A write, so the WAL holds data.
      await lambdaFor(node, dataDir).send(
        new CreateFunctionCommand({
          FunctionName: 'f',
          Runtime: 'nodejs20.x',
          Role: 'arn:aws:iam::123456789012:role/lambda',
          Handler: 'index.handler',
          Code: {
            ZipFile: makeZip([{ path: 'index.js', content: 'exports.handler = async () => 1;' }]),
          },
          Environment: { Variables: { TOKEN: SECRET } },
        }),
      );
      assert.equal(mode(dataDir), '700');
      for (const file of [
        'sallyport.db',
        'sallyport.db-wal',
        'sallyport.db-shm',
        'credentials.json',
      ]) {
        assert.equal(existsSync(join(dataDir, file)), true, file);
        assert.equal(mode(join(dataDir, file)), '600', file);
      }
    } finally {
      await node.stop();
    }
  });

  it('an existing data directory open to others is tightened, with a warning', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sallyport-sec-'));
    chmodSync(dataDir, 0o755);
    writeFileSync(
      join(dataDir, 'credentials.json'),
      JSON.stringify({ accessKeyId: 'AKIAEXAMPLE0000000001', secretAccessKey: 'y'.repeat(40) }),
      { mode: 0o644 },
    );
    chmodSync(join(dataDir, 'credentials.json'), 0o644);
    const node = await serve(['--data-dir', dataDir]);
    try {
      assert.equal(mode(dataDir), '700');
      assert.equal(mode(join(dataDir, 'credentials.json')), '600');
      assert.match(node.output(), /"level":40.*data directory was open to other users/);
      assert.match(node.output(), /"level":40.*credentials\.json.*made it 0600/);
    } finally {
      await node.stop();
    }
  });

  it('the CLI store commands never create a data directory (only serve does, privately)', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'sallyport-sec-')), 'state');
    const r = await run(['functions', '--data-dir', dataDir]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no Sallyport state in .*state/);
    assert.equal(existsSync(dataDir), false);
  });
});

describe('function environment values never reach the logs', () => {
  it('creating, configuring, invoking, failing and crashing functions logs no environment value', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sallyport-sec-'));
    const node = await serve(['--data-dir', dataDir, '--log-level', 'debug']);
    try {
      const lambda = lambdaFor(node, dataDir);
      const code = makeZip([
        {
          path: 'index.js',
          content: `exports.handler = async (event) => {
            if (event.mode === 'throw') throw new Error('failed');
            if (event.mode === 'exit') process.exit(2);
            return 'ok';
          };`,
        },
        {
          path: 'index.py',
          content: [
            'import os',
            'def handler(event, context):',
            "    if event.get('mode') == 'throw': raise Exception('failed')",
            "    if event.get('mode') == 'exit': os._exit(2)",
            "    return 'ok'",
          ].join('\n'),
        },
      ]);
      for (const isolation of ['thread', 'process']) {
        const name = `env-${isolation}`;
        await lambda.send(
          new CreateFunctionCommand({
            FunctionName: name,
            Runtime: isolation === 'thread' ? 'nodejs20.x' : 'python3.12',
            Role: 'arn:aws:iam::123456789012:role/lambda',
            Handler: 'index.handler',
            Code: { ZipFile: code },
            Environment: { Variables: { TOKEN: SECRET } },
          }),
        );
        for (const mode of ['ok', 'throw', 'exit'])
          await lambda.send(
            new InvokeCommand({ FunctionName: name, Payload: JSON.stringify({ mode }) }),
          );
        await lambda
          .send(
            new UpdateFunctionConfigurationCommand({
              FunctionName: name,
              Environment: { Variables: { TOKEN: SECRET, 'bad name': SECRET } },
            }),
          )
          .catch(() => undefined);
      }
      assert.doesNotMatch(node.output(), new RegExp(SECRET));
    } finally {
      await node.stop();
    }
  });

  it('a project file with a bad environment value is refused without printing it', async () => {
    const code = mkdtempSync(join(tmpdir(), 'sallyport-sec-code-'));
    mkdirSync(code, { recursive: true });
    writeFileSync(join(code, 'index.js'), 'exports.handler = async () => 1;');
    const dir = tempProject(`
functions:
  f:
    Runtime: nodejs20.x
    Handler: index.handler
    Code: ${code}
    Environment:
      Variables: { TOKEN: { nested: ${SECRET} }, LIST: [${SECRET}] }
`);
    await assert.rejects(serve(['--config', join(dir, 'sallyport.yaml')]), (error: Error) => {
      assert.match(error.message, /Environment/);
      assert.doesNotMatch(error.message, new RegExp(SECRET));
      return true;
    });
  });
});
