// Issue 16, "first run and everyday friction", over the real CLI: a taken port is refused before
// any state is written; stopping npm stops the server; commands that read state find serve's data
// directory and never create an empty one; config errors list every problem at file:line:column.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { call, eventually, ROOT, run, serve } from './harness.js';

const temp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

function occupy(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      ok({ server, port: typeof address === 'object' && address ? address.port : 0 });
    }),
  );
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => (socket.destroy(), ok(true)));
    socket.once('error', () => ok(false));
  });
}

describe('a port clash is found before any state is written', () => {
  for (const [option, what] of [
    ['--port', 'API calls'],
    ['--admin-port', 'the admin API'],
  ] as const) {
    it(`${option} in use: one line naming the port and ${option}, no data directory`, async () => {
      const { server, port } = await occupy();
      try {
        const dataDir = join(temp('sallyport-clash-'), 'state');
        const ports =
          option === '--port'
            ? ['--port', String(port), '--admin-port', '0']
            : ['--port', '0', '--admin-port', String(port)];
        const r = await run([
          'serve',
          '--config',
          'examples/sayhello',
          '--workers',
          '1',
          '--data-dir',
          dataDir,
          ...ports,
        ]);
        assert.equal(r.code, 1);
        assert.equal(
          r.stderr.trim(),
          `sallyport: port ${port} on 127.0.0.1 (${what}) is already in use: stop what holds it, or choose another with ${option} (0 picks a free one)`,
        );
        assert.equal(existsSync(dataDir), false, 'no data directory was created');
      } finally {
        server.close();
      }
    });
  }
});

describe('stopping the parent npm process stops the server', () => {
  // `npm start` runs npm → sh -c → node, as `npx sallyport` does: the shell dies on npm's SIGTERM
  // without passing it on, and a SIGKILLed npm passes on nothing.
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(`npm start, then ${signal} to npm: the API port is freed`, async () => {
      const npm = spawn(
        'npm',
        [
          'start',
          '--silent',
          '--',
          '--config',
          'examples/sayhello',
          '--port',
          '0',
          '--admin-port',
          '0',
          '--workers',
          '1',
          '--data-dir',
          temp('sallyport-npm-'),
        ],
        { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      npm.stdout.on('data', (d: Buffer) => (out += d.toString()));
      npm.stderr.on('data', (d: Buffer) => (out += d.toString()));
      await eventually(() => /listening on http:\/\/[^:]+:\d+/.test(out), 120_000);
      const port = Number(/listening on http:\/\/[^:]+:(\d+)/.exec(out)![1]);
      assert.equal((await call(`http://127.0.0.1:${port}/dev/sayhello`)).status, 401);

      npm.kill(signal);
      const deadline = Date.now() + 60_000;
      while (await portAnswers(port)) {
        assert.ok(
          Date.now() < deadline,
          `port ${port} still held after npm got ${signal}:\n${out}`,
        );
        await new Promise((r) => setTimeout(r, 100));
      }
    });
  }
});

describe('commands that read state find the data directory serve used', () => {
  it('nothing there: says where it looked, exits 1, creates no ./.sallyport', async () => {
    const cwd = temp('sallyport-empty-');
    const r = await run(['apis'], { cwd });
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /^sallyport: no Sallyport state in \S+\/\.sallyport \(looked in the current folder/,
    );
    assert.match(
      r.stderr,
      /start `sallyport serve` first, or pass --data-dir DIR or --config PROJECT/,
    );
    assert.deepEqual(readdirSync(cwd), []);
  });

  it("from the folder above: names the project's data directory it found", async () => {
    const root = temp('sallyport-above-');
    cpSync(join(ROOT, 'examples/sayhello'), join(root, 'proj'), { recursive: true });
    const s = await serve([
      '--config',
      join(root, 'proj'),
      '--data-dir',
      join(root, 'proj/.sallyport'),
    ]);
    try {
      const lost = await run(['functions'], { cwd: root });
      assert.equal(lost.code, 1);
      assert.match(
        lost.stderr,
        /found state in proj\/\.sallyport: pass --data-dir proj\/\.sallyport/,
      );
      assert.deepEqual(readdirSync(root), ['proj']);

      // --config names the project: its .sallyport, as serve chose it.
      const apis = await run(['apis', '--config', 'proj'], { cwd: root });
      assert.equal(apis.code, 0, apis.stderr);
      assert.match(apis.stdout, /^a1b2c3d4e5 {2}seed-api {2}stages: dev/m);
      const explained = await run(
        ['explain', '--token', 'allow', '--data-dir', 'proj/.sallyport'],
        {
          cwd: root,
        },
      );
      assert.equal(explained.code, 0, explained.stderr);
    } finally {
      await s.stop();
    }
  });
});

describe('config errors', () => {
  it("every problem at once, at sallyport.yaml:line:column, with 'did you mean'", async () => {
    const dir = temp('sallyport-typo-');
    cpSync(join(ROOT, 'examples/sayhello/functions'), join(dir, 'functions'), { recursive: true });
    cpSync(join(ROOT, 'examples/sayhello/openapi.yaml'), join(dir, 'openapi.yaml'));
    writeFileSync(
      join(dir, 'sallyport.yaml'),
      [
        'functions:',
        '  api-authorizer:',
        '    Handler: index.handler',
        '    Code: ./functions/authorizer',
        '    Timeout: 3',
        '    # the typo of issue 16',
        '    Runtme: nodejs20.x',
        'apis:',
        '  - name: seed-api',
        '    openapi: ./openapi.yaml',
        '    stage: { dev: {} }',
        '',
      ].join('\n'),
    );
    const dataDir = join(dir, 'state');
    const r = await run([
      'serve',
      '--config',
      dir,
      '--port',
      '0',
      '--admin-port',
      '0',
      '--data-dir',
      dataDir,
    ]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr.trim(),
      [
        'sallyport: sallyport.yaml: 2 problems',
        "  sallyport.yaml:7:5: functions.api-authorizer: unknown key 'Runtme' — did you mean 'Runtime'?",
        "  sallyport.yaml:11:5: apis[0]: unknown key 'stage' — did you mean 'stages'?",
      ].join('\n'),
    );
    assert.equal(existsSync(dataDir), false);
  });
});
