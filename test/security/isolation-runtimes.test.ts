// Isolation levels across runtimes and ways in (issue 10, item 2): Python and custom runtimes in a
// sandbox, functions created through the Lambda API at `serve --isolation`, and start-up refusals
// that name what is missing — a level is never silently lowered. docs/security.md.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { makeZip } from '../control/lambda/make-zip.js';
import { call, serve, tempProject, type Served } from '../e2e/harness.js';
import { sandboxUnavailable } from './isolation-project.js';

const unavailable = sandboxUnavailable();
if (unavailable) console.log(`# skipping isolation 'sandbox' runtime tests: ${unavailable}`);

describe("isolation 'sandbox' for every runtime", { skip: unavailable }, () => {
  it('Python: the walkthrough’s authorizer and function answer as in a process', async () => {
    const s = await serve(['--config', 'examples/sayhello-python', '--isolation', 'sandbox']);
    try {
      const r = await call(`${s.base}/dev/sayhello`, { headers: { jwt_token: 'allow' } });
      assert.equal(r.status, 200, r.body);
      assert.equal(r.body, '{"message":"Hello from Lambda!","principalId":"user|allow"}');
    } finally {
      await s.stop();
    }
  });

  it('provided: a shell-script bootstrap with curl reaches its Runtime API at 127.0.0.1:9001', async () => {
    const s = await serve(['--config', 'examples/provided', '--isolation', 'sandbox']);
    try {
      const r = await call(`${s.base}/dev/hello`);
      assert.equal(r.status, 200, r.body);
      assert.equal(r.body, '{"message":"Hello from a custom runtime!"}');
    } finally {
      await s.stop();
    }
  });
});

describe(
  "functions created through the Lambda API run at serve's --isolation",
  { skip: unavailable },
  () => {
    const credentials = { accessKeyId: 'AKIASALLYPORTTEST001', secretAccessKey: 'x'.repeat(40) };
    let s: Served;
    before(async () => {
      s = await serve(['--isolation', 'sandbox'], {
        SALLYPORT_ACCESS_KEY_ID: credentials.accessKeyId,
        SALLYPORT_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      });
    });
    after(() => s.stop());

    it('CreateFunction then Invoke: the handler runs as its own uid with its code at /var/task', async () => {
      const lambda = new LambdaClient({ endpoint: s.admin!, region: 'us-east-1', credentials });
      await lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'whoami',
          Runtime: 'nodejs20.x',
          Role: 'arn:aws:iam::123456789012:role/lambda',
          Handler: 'index.handler',
          Code: {
            ZipFile: makeZip([
              {
                path: 'index.js',
                content:
                  'exports.handler = async () => ({ uid: process.getuid(), root: process.env.LAMBDA_TASK_ROOT });',
              },
            ]),
          },
        }),
      );
      const out = await lambda.send(new InvokeCommand({ FunctionName: 'whoami' }));
      const payload = JSON.parse(Buffer.from(out.Payload!).toString()) as {
        uid: number;
        root: string;
      };
      assert.notEqual(payload.uid, 0);
      assert.equal(payload.root, '/var/task');
    });
  },
);

describe('a level that cannot be given is refused at start-up', () => {
  it('sandbox without bubblewrap: serve exits 1 naming what is missing', async () => {
    await assert.rejects(
      serve(['--isolation', 'sandbox', '--store', 'memory'], { PATH: '/nonexistent' }),
      /isolation 'sandbox' is not available on this machine: (bwrap is not installed \(apt-get install -y bubblewrap\)|it needs)/,
    );
  });

  it(
    'sandbox with a code folder only its owner can read: refused, as Lambda requires world-readable code',
    { skip: unavailable },
    async () => {
      const code = mkdtempSync(join(tmpdir(), 'sallyport-private-code-'));
      writeFileSync(join(code, 'index.js'), 'exports.handler = async () => 1;');
      const project = tempProject(
        `functions:\n  private:\n    Runtime: nodejs20.x\n    Handler: index.handler\n    Code: ${code}\n    Isolation: sandbox\n`,
      );
      await assert.rejects(
        serve(['--config', project]),
        /function private: its code folder .* must be readable by everyone/,
      );
    },
  );

  it('Isolation: thread for a Python function: refused (threads run Node.js only)', async () => {
    const code = join(mkdtempSync(join(tmpdir(), 'sallyport-py-')), 'fn');
    mkdirSync(code);
    writeFileSync(join(code, 'app.py'), 'def handler(event, context):\n  return 1\n');
    const project = tempProject(
      `functions:\n  py:\n    Runtime: python3.12\n    Handler: app.handler\n    Code: ${code}\n    Isolation: thread\n`,
    );
    await assert.rejects(
      serve(['--config', project]),
      /only Node\.js functions can run in threads/,
    );
  });

  it('--isolation with an unknown level: refused by the option parser', async () => {
    await assert.rejects(
      serve(['--isolation', 'vm', '--store', 'memory']),
      /option '--isolation <level>' argument 'vm' is invalid. Allowed choices are thread, process, sandbox/,
    );
  });
});
