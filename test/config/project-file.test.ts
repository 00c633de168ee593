// sallyport.yaml: the functions Sallyport runs and the APIs it serves, checked against AWS's
// own limits when the file is loaded.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadProject, ProjectFileError, restApiIdFor } from '../../src/config/index.js';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/projects');
const SEED = join(FIXTURES, 'seed');

describe('loadProject: a valid project', () => {
  it('reads functions, APIs and stages, with paths made absolute', async () => {
    const project = await loadProject(SEED);
    assert.deepEqual(project, {
      file: join(SEED, 'sallyport.yaml'),
      dir: SEED,
      settings: { region: 'eu-west-1', accountId: '111122223333' },
      functions: [
        {
          FunctionName: 'api-authorizer',
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Code: join(SEED, 'functions/authorizer'),
          Timeout: 5,
          MemorySize: 256,
          Environment: { Variables: { LOG_LEVEL: 'debug', RETRIES: '3' } },
        },
        {
          FunctionName: 'hello',
          Runtime: 'nodejs22.x',
          Handler: 'src/app.handlers.hello',
          Code: join(SEED, 'functions/hello'),
          // Lambda's defaults: https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html
          Timeout: 3,
          MemorySize: 128,
          Environment: { Variables: {} },
        },
      ],
      apis: [
        {
          name: 'seed-api',
          id: 'a1b2c3d4e5',
          openapiFile: join(SEED, 'openapi.yaml'),
          stages: [
            {
              stageName: 'dev',
              variables: { color: 'blue', url: 'https://example.com/a?b=c&d=e' },
            },
            { stageName: 'prod', variables: {} },
          ],
        },
        {
          name: 'second-api',
          id: 'fx1qbv4cv2',
          openapiFile: join(SEED, 'openapi.yaml'),
          stages: [],
        },
      ],
      usagePlans: [],
    });
  });

  it('accepts the file itself as well as its folder', async () => {
    const project = await loadProject(join(SEED, 'sallyport.yaml'));
    assert.equal(project.file, join(SEED, 'sallyport.yaml'));
    assert.equal(project.apis.length, 2);
  });

  it('finds sallyport.yml, and defaults settings to us-east-1 / 123456789012', async () => {
    const project = await loadProject(join(FIXTURES, 'yml'));
    assert.equal(project.file, join(FIXTURES, 'yml', 'sallyport.yml'));
    assert.deepEqual(project.settings, { region: 'us-east-1', accountId: '123456789012' });
    assert.deepEqual(project.functions[0]?.Code, join(FIXTURES, 'yml', 'fn'));
    assert.deepEqual(project.apis, []);
  });

  it('derives an API id from the name: 10 lowercase alphanumerics, the same every time', () => {
    assert.equal(restApiIdFor('second-api'), 'fx1qbv4cv2');
    assert.equal(restApiIdFor('second-api'), restApiIdFor('second-api'));
    assert.notEqual(restApiIdFor('seed-api'), restApiIdFor('second-api'));
    assert.match(restApiIdFor('seed-api'), /^[a-z0-9]{10}$/);
  });
});

describe('loadProject: errors name the file and the key', () => {
  const dirs: string[] = [];
  after(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  /** A project folder with a function `fn` (Code ./fn, index.js) and ./openapi.yaml. */
  async function project(yaml: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'sallyport-config-'));
    dirs.push(dir);
    await mkdir(join(dir, 'fn'));
    await writeFile(join(dir, 'fn', 'index.js'), 'export const handler = async () => 1;\n');
    await writeFile(join(dir, 'openapi.yaml'), 'openapi: 3.0.1\n');
    await writeFile(join(dir, 'sallyport.yaml'), yaml);
    return dir;
  }

  const fn = (extra: string) =>
    `functions:\n  fn:\n    Runtime: nodejs20.x\n    Handler: index.handler\n    Code: ./fn\n${extra}`;
  const api = (extra: string) => `apis:\n  - name: a\n    openapi: ./openapi.yaml\n${extra}`;

  async function rejects(
    yaml: string,
    message: string,
    code = 'ERR_PROJECT_INVALID',
  ): Promise<void> {
    const dir = await project(yaml);
    await assert.rejects(loadProject(dir), (error: unknown) => {
      assert.ok(error instanceof ProjectFileError);
      // Every problem names its line and column; the cases below compare the rest.
      assert.match(error.message, /^sallyport\.yaml:(\d+:\d+: | \d+ problems\n)/);
      const positioned = /^sallyport\.yaml:\d+:\d+:/;
      const got = positioned.test(message)
        ? error.message
        : error.message.replace(positioned, 'sallyport.yaml:');
      assert.equal(got, message);
      assert.equal(error.code, code);
      assert.equal(error.file, join(dir, 'sallyport.yaml'));
      return true;
    });
  }

  const cases: [string, string, string][] = [
    [
      'a runtime Sallyport does not run',
      fn('').replace('nodejs20.x', 'java21'),
      'sallyport.yaml: functions.fn.Runtime: expected one of nodejs18.x, nodejs20.x, nodejs22.x, python3.9, python3.10, python3.11, python3.12, python3.13, provided, provided.al2, provided.al2023 (got "java21")',
    ],
    [
      'Lambda function names: [a-zA-Z0-9-_]{1,64}',
      fn('').replace('  fn:', '  my.fn:'),
      'sallyport.yaml: functions.my.fn: function names can only contain letters, digits, - and _ (at most 64)',
    ],
    [
      'Timeout above Lambda’s 900 seconds',
      fn('    Timeout: 1000\n'),
      'sallyport.yaml: functions.fn.Timeout: must be between 1 and 900 seconds (got 1000)',
    ],
    [
      'MemorySize below Lambda’s 128 MB',
      fn('    MemorySize: 64\n'),
      'sallyport.yaml: functions.fn.MemorySize: must be between 128 and 10240 MB (got 64)',
    ],
    [
      'a Timeout that is not a number',
      fn('    Timeout: soon\n'),
      'sallyport.yaml: functions.fn.Timeout: expected a number (got "soon")',
    ],
    [
      'a missing Handler',
      fn('').replace('    Handler: index.handler\n', ''),
      'sallyport.yaml: functions.fn.Handler: required',
    ],
    [
      'a Handler without an export',
      fn('').replace('index.handler', 'index'),
      'sallyport.yaml: functions.fn.Handler: expected file.export or dir/file.export, e.g. index.handler (got "index")',
    ],
    [
      'a Code folder that does not exist',
      fn('').replace('./fn', './nope'),
      'sallyport.yaml: functions.fn.Code: folder not found: ./nope',
    ],
    [
      'a handler module that is not in the Code folder',
      fn('').replace('index.handler', 'lib/main.handler'),
      'sallyport.yaml: functions.fn.Handler: handler module "lib/main" not found in ./fn (looked for lib/main.js, lib/main.mjs, lib/main.cjs, lib/main.ts)',
    ],
    [
      'a reserved Lambda environment variable',
      fn('    Environment:\n      Variables:\n        AWS_REGION: x\n'),
      'sallyport.yaml: functions.fn.Environment.Variables.AWS_REGION: is reserved by Lambda and cannot be set',
    ],
    [
      'a misspelt key',
      fn('    Timout: 3\n'),
      "sallyport.yaml: functions.fn: unknown key 'Timout' — did you mean 'Timeout'?",
    ],
    [
      'a Python handler without a function (https://docs.aws.amazon.com/lambda/latest/dg/python-handler.html)',
      fn('').replace('nodejs20.x', 'python3.12').replace('index.handler', 'lambda_function'),
      'sallyport.yaml: functions.fn.Handler: expected module.function or package/module.function, e.g. lambda_function.lambda_handler (got "lambda_function")',
    ],
    [
      'a Python handler module that is not in the Code folder',
      fn('').replace('nodejs20.x', 'python3.12').replace('index.handler', 'pkg.app.handler'),
      'sallyport.yaml: functions.fn.Handler: handler module "pkg.app" not found in ./fn (looked for pkg/app.py, pkg/app/__init__.py)',
    ],
    [
      'a provided runtime without a bootstrap (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-custom.html)',
      fn('').replace('nodejs20.x', 'provided.al2023'),
      'sallyport.yaml: functions.fn.Code: no bootstrap file in ./fn (provided.al2023 runs Code/bootstrap)',
    ],
    [
      'Isolation: thread for a Python function',
      fn('    Isolation: thread\n').replace('nodejs20.x', 'python3.12'),
      'sallyport.yaml: functions.fn.Isolation: only Node.js functions can run in threads; python3.12 runs in a process',
    ],
    [
      'a stage name outside [A-Za-z0-9_-]',
      api('    stages:\n      dev.1: {}\n'),
      'sallyport.yaml: apis[0].stages.dev.1: stage names can only contain letters, digits, - and _ (at most 128)',
    ],
    [
      'a stage variable name outside [A-Za-z0-9_]',
      api('    stages:\n      dev:\n        variables: { my-var: x }\n'),
      'sallyport.yaml: apis[0].stages.dev.variables.my-var: stage variable names can only contain letters, digits and _ (at most 64)',
    ],
    [
      'a stage variable value outside [A-Za-z0-9-._~:/?#&=,]',
      api('    stages:\n      dev:\n        variables: { color: "light blue" }\n'),
      'sallyport.yaml: apis[0].stages.dev.variables.color: stage variable values can only contain letters, digits and -._~:/?#&=, (got "light blue")',
    ],
    [
      'a stage variable value over 512 characters',
      api(`    stages:\n      dev:\n        variables: { long: ${'x'.repeat(513)} }\n`),
      `sallyport.yaml: apis[0].stages.dev.variables.long: must be at most 512 characters (got "${'x'.repeat(513)}")`,
    ],
    [
      'an API id that is not 10 lowercase alphanumerics',
      api('    id: ABC\n'),
      'sallyport.yaml: apis[0].id: expected 10 lowercase letters or digits, e.g. a1b2c3d4e5 (got "ABC")',
    ],
    [
      'two APIs with one name',
      `${api('')}  - name: a\n    openapi: ./openapi.yaml\n`,
      'sallyport.yaml: apis[1].name: duplicate API name "a" (also apis[0].name)',
    ],
    [
      'two APIs with one id',
      `${api('    id: a1b2c3d4e5\n')}  - name: b\n    id: a1b2c3d4e5\n    openapi: ./openapi.yaml\n`,
      'sallyport.yaml: apis[1].id: duplicate API id "a1b2c3d4e5" (also apis[0])',
    ],
    [
      'an OpenAPI file that does not exist',
      api('').replace('./openapi.yaml', './missing.yaml'),
      'sallyport.yaml: apis[0].openapi: file not found: ./missing.yaml',
    ],
    [
      'an account id that is not 12 digits',
      'settings:\n  accountId: 12345\n',
      'sallyport.yaml: settings.accountId: expected 12 digits (quote it in YAML) (got "12345")',
    ],
    [
      'apis that is not a list',
      'apis: {}\n',
      'sallyport.yaml: apis: expected a list (got an object)',
    ],
    [
      'a usage plan naming an API the file does not have',
      `${api('    stages: { dev: {} }\n')}usagePlans:\n  p:\n    apiStages: [{ api: nope, stage: dev }]\n`,
      'sallyport.yaml: usagePlans.p.apiStages[0].api: no API named "nope" in apis',
    ],
    [
      'a usage plan naming a stage the API does not have',
      `${api('    stages: { dev: {} }\n')}usagePlans:\n  p:\n    apiStages: [{ api: a, stage: prod }]\n`,
      'sallyport.yaml: usagePlans.p.apiStages[0].stage: API "a" has no stage "prod"',
    ],
    [
      'one key name in two plans',
      'usagePlans:\n  p:\n    apiKeys: { k: {} }\n  q:\n    apiKeys: { k: {} }\n',
      'sallyport.yaml: usagePlans.q.apiKeys.k: also a key of plan "p": name a key once',
    ],
  ];
  for (const [what, yaml, message] of cases) {
    it(`rejects ${what}`, () => rejects(yaml, message));
  }

  it('lists every problem at once, each at file:line:column, an unknown key with the nearest known one', () =>
    rejects(
      [
        'functions:',
        '  fn:',
        '    Runtme: nodejs20.x',
        '    Handler: index.handler',
        '    Code: ./fn',
        '    MemorySize: 64',
        'apis:',
        '  - name: a',
        '    openapi: ./openapi.yaml',
        '    stagse: {}',
        'settings: { regoin: us-east-1 }',
        '',
      ].join('\n'),
      [
        'sallyport.yaml: 4 problems',
        "  sallyport.yaml:3:5: functions.fn: unknown key 'Runtme' — did you mean 'Runtime'?",
        '  sallyport.yaml:6:17: functions.fn.MemorySize: must be between 128 and 10240 MB (got 64)',
        "  sallyport.yaml:10:5: apis[0]: unknown key 'stagse' — did you mean 'stages'?",
        "  sallyport.yaml:11:13: settings: unknown key 'regoin' — did you mean 'region'?",
      ].join('\n'),
    ));

  it('an unknown key far from every known one lists the known keys', () =>
    rejects(
      fn('    Colour: blue\n'),
      "sallyport.yaml:6:5: functions.fn: unknown key 'Colour' (known: Runtime, Handler, Code, Timeout, MemorySize, Environment, Isolation)",
    ));

  it('reports a YAML syntax error with line and column', () =>
    rejects(
      'functions:\n  fn:\n    Runtime: [nodejs20.x\n    Handler: x\n',
      'sallyport.yaml:4:5: Flow sequence in block collection must be sufficiently indented and end with a ]',
      'ERR_PROJECT_YAML_SYNTAX',
    ));

  it('reports a folder without sallyport.yaml', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sallyport-config-'));
    dirs.push(dir);
    await assert.rejects(loadProject(dir), {
      name: 'ProjectFileError',
      code: 'ERR_PROJECT_NOT_FOUND',
      message: `${dir}: no sallyport.yaml or sallyport.yml in this folder`,
    });
  });

  it('reports a path that does not exist', async () => {
    await assert.rejects(loadProject('/nonexistent/sallyport.yaml'), {
      code: 'ERR_PROJECT_NOT_FOUND',
      message: '/nonexistent/sallyport.yaml: no such file or folder',
    });
  });
});

describe('loadProject: Python and custom runtimes', () => {
  const ROOT = resolve(import.meta.dirname, '../..');

  it('examples/sayhello-python: python3.12 functions, Handler module.function (https://docs.aws.amazon.com/lambda/latest/dg/python-handler.html)', async () => {
    const project = await loadProject(join(ROOT, 'examples/sayhello-python'));
    assert.deepEqual(
      project.functions.map((f) => [f.FunctionName, f.Runtime, f.Handler]),
      [
        ['api-authorizer', 'python3.12', 'lambda_function.lambda_handler'],
        ['sayhello', 'python3.12', 'lambda_function.lambda_handler'],
      ],
    );
  });

  it('examples/provided: provided.al2023 with an executable Code/bootstrap (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-custom.html)', async () => {
    const project = await loadProject(join(ROOT, 'examples/provided'));
    assert.equal(project.functions[0]?.Runtime, 'provided.al2023');
    assert.equal(project.functions[0]?.Isolation, undefined);
  });

  it('Python packages in subfolders: pkg/sub/mod.handler and pkg.sub.mod.handler', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sallyport-py-'));
    try {
      const code = join(ROOT, 'test/fixtures/functions-python/packaged');
      const yaml = (handler: string) =>
        `functions:\n  fn:\n    Runtime: python3.13\n    Handler: ${handler}\n    Code: ${code}\n    Isolation: process\n`;
      for (const handler of ['pkg/sub/mod.handler', 'pkg.sub.mod.handler']) {
        await writeFile(join(dir, 'sallyport.yaml'), yaml(handler));
        const project = await loadProject(dir);
        assert.equal(project.functions[0]?.Handler, handler);
        assert.equal(project.functions[0]?.Isolation, 'process');
      }
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});
