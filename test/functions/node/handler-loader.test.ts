// Handler resolution as Lambda's Node.js runtime does it.
// https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadHandler } from '../../../src/functions/node/handler-loader.js';

const fixtures = fileURLToPath(new URL('../../fixtures/functions/', import.meta.url));

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  assert.fail('expected the handler to fail to load');
}

describe('loadHandler (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html)', () => {
  test('file.export loads a CommonJS module', async () => {
    const handler = await loadHandler(join(fixtures, 'cjs'), 'index.handler');
    assert.deepEqual(await handler({ a: 1 }, {}, undefined), { echo: { a: 1 }, invocations: 1 });
  });

  test('file.a.b.export resolves a nested export path', async () => {
    const handler = await loadHandler(join(fixtures, 'cjs'), 'index.deep.nested.handler');
    assert.equal(await handler({}, {}, undefined), 'nested export');
  });

  test('an .mjs file loads as an ES module', async () => {
    const handler = await loadHandler(join(fixtures, 'esm-mjs'), 'app.handler');
    assert.deepEqual(await handler(1, {}, undefined), { module: 'mjs', echo: 1 });
  });

  test('a .js file under package.json "type": "module" loads as an ES module', async () => {
    const handler = await loadHandler(join(fixtures, 'esm-type-module'), 'index.handler');
    assert.deepEqual(await handler(2, {}, undefined), { module: 'type-module', echo: 2 });
  });

  test('dir/file.export loads from a subfolder of the task root', async () => {
    const handler = await loadHandler(join(fixtures, 'nested-dir'), 'src/app.handler');
    assert.deepEqual(await handler({}, {}, undefined), { from: 'src/app.js' });
  });

  test('a missing file is Runtime.ImportModuleError with Lambda’s message', async () => {
    const error = await rejection(loadHandler(join(fixtures, 'cjs'), 'nothere.handler'));
    assert.equal(error.name, 'Runtime.ImportModuleError');
    assert.equal(
      error.message,
      "Error: Cannot find module 'nothere'\nRequire stack:\n- /var/runtime/index.mjs",
    );
  });

  test('a missing export is Runtime.HandlerNotFound: "<handler> is undefined or not exported"', async () => {
    const error = await rejection(loadHandler(join(fixtures, 'cjs'), 'index.missing'));
    assert.equal(error.name, 'Runtime.HandlerNotFound');
    assert.equal(error.message, 'index.missing is undefined or not exported');
  });

  test('an export that is not a function is Runtime.HandlerNotFound: "<handler> is not a function"', async () => {
    const error = await rejection(loadHandler(join(fixtures, 'cjs'), 'index.notAFunction'));
    assert.equal(error.name, 'Runtime.HandlerNotFound');
    assert.equal(error.message, 'index.notAFunction is not a function');
  });

  test('a handler without a dot is Runtime.MalformedHandlerName "Bad handler"', async () => {
    const error = await rejection(loadHandler(join(fixtures, 'cjs'), 'index'));
    assert.equal(error.name, 'Runtime.MalformedHandlerName');
    assert.equal(error.message, 'Bad handler');
  });

  test('a handler with ".." is Runtime.MalformedHandlerName', async () => {
    const error = await rejection(loadHandler(join(fixtures, 'cjs'), '../cjs/index.handler'));
    assert.equal(error.name, 'Runtime.MalformedHandlerName');
    assert.equal(
      error.message,
      "'../cjs/index.handler' is not a valid handler name. Use absolute paths when specifying root directories in handler names.",
    );
  });

  test('a module that throws while loading fails with its own error', async () => {
    const error = await rejection(loadHandler(join(fixtures, 'init-throws'), 'index.handler'));
    assert.equal(error.name, 'TypeError');
    assert.equal(error.message, 'cannot initialise');
  });

  describe('syntax errors', () => {
    let root: string;
    before(async () => {
      // Written at test time: a checked-in invalid file would break the repository's formatter.
      // The error is one only V8 sees (a duplicate regex group name): tests run under tsx, whose
      // own parser would otherwise report ordinary syntax errors first, as a TransformError.
      root = await mkdtemp(join(tmpdir(), 'sallyport-syntax-'));
      await writeFile(join(root, 'package.json'), '{ "type": "commonjs" }');
      await writeFile(join(root, 'index.js'), 'exports.handler = async () => /(?<a>x)(?<a>y)/;\n');
    });
    after(() => rm(root, { recursive: true, force: true }));

    test('are Runtime.UserCodeSyntaxError "SyntaxError: …"', async () => {
      const error = await rejection(loadHandler(root, 'index.handler'));
      assert.equal(error.name, 'Runtime.UserCodeSyntaxError');
      assert.match(error.message, /^SyntaxError: /);
    });
  });
});
