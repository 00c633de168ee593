// Resolves a function's `Handler` string the way Lambda's Node.js runtime does, once per worker
// (the only place that touches the file system; invocations never do).
// https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html
// Algorithm and messages follow aws-lambda-nodejs-runtime-interface-client (src/UserFunction.js).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RuntimeError } from './lambda-errors.js';

export type LambdaHandler = (event: unknown, context: unknown, callback: unknown) => unknown;

const requireFromHere = createRequire(import.meta.url);

/**
 * `dir/file.export` → the function exported as `export` (or the nested path `a.b`) by
 * `<taskRoot>/dir/file` with no extension, `.js` (CommonJS, or ES module under a package.json
 * `"type": "module"`), `.mjs` or `.cjs`, in Lambda's order; a bare `file` that is none of those is
 * resolved like `require(file)` from the task root (a folder with index.js, a node_modules package).
 * @throws Runtime.MalformedHandlerName, Runtime.ImportModuleError, Runtime.UserCodeSyntaxError,
 *   Runtime.HandlerNotFound, or whatever the module itself throws while loading.
 */
export async function loadHandler(taskRoot: string, fullHandler: string): Promise<LambdaHandler> {
  if (fullHandler.includes('..')) {
    throw new RuntimeError(
      'MalformedHandlerName',
      `'${fullHandler}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`,
    );
  }
  // Node.js applies NODE_OPTIONS to processes, not threads: the switch AWS documents for
  // source-mapped stacks (https://docs.aws.amazon.com/lambda/latest/dg/typescript-exceptions.html)
  // is honoured here for both, before the module (and its map) is loaded.
  if (process.env.NODE_OPTIONS?.includes('--enable-source-maps'))
    process.setSourceMapsEnabled(true);
  const handlerPart = basename(fullHandler);
  const moduleRoot = fullHandler.slice(0, fullHandler.indexOf(handlerPart));
  const match = /^([^.]*)\.(.*)$/.exec(handlerPart);
  if (!match) throw new RuntimeError('MalformedHandlerName', 'Bad handler');
  const [, moduleName, exportPath] = match as unknown as [string, string, string];

  const userModule = await loadUserModule(taskRoot, moduleRoot, moduleName);
  const handler = exportPath
    .split('.')
    .reduce<unknown>(
      (object, key) => (object as Record<string, unknown> | undefined)?.[key],
      userModule,
    );
  if (!handler) {
    throw new RuntimeError('HandlerNotFound', `${fullHandler} is undefined or not exported`);
  }
  if (typeof handler !== 'function') {
    throw new RuntimeError('HandlerNotFound', `${fullHandler} is not a function`);
  }
  return handler as LambdaHandler;
}

async function loadUserModule(
  taskRoot: string,
  moduleRoot: string,
  moduleName: string,
): Promise<unknown> {
  try {
    return await findAndLoad(taskRoot, moduleRoot, moduleName);
  } catch (error) {
    if (error instanceof SyntaxError) {
      throw new RuntimeError('UserCodeSyntaxError', String(error));
    }
    if ((error as { code?: unknown }).code === 'MODULE_NOT_FOUND') {
      throw new RuntimeError('ImportModuleError', String(error));
    }
    throw error;
  }
}

async function findAndLoad(taskRoot: string, moduleRoot: string, moduleName: string) {
  const base = resolve(taskRoot, moduleRoot, moduleName);
  if (existsSync(base)) return requireFromHere(base) as unknown;

  const typeModule = nearestPackageIsTypeModule(dirname(base));
  if (!typeModule && existsSync(`${base}.js`)) return requireFromHere(`${base}.js`) as unknown;
  if (typeModule && existsSync(`${base}.js`))
    return import(pathToFileURL(`${base}.js`).href) as Promise<unknown>;
  if (existsSync(`${base}.mjs`))
    return import(pathToFileURL(`${base}.mjs`).href) as Promise<unknown>;
  if (existsSync(`${base}.cjs`)) return requireFromHere(`${base}.cjs`) as unknown;

  let resolved: string;
  try {
    resolved = requireFromHere.resolve(moduleName, {
      paths: [taskRoot, resolve(taskRoot, moduleRoot)],
    });
  } catch {
    // Lambda's message names its own bootstrap as the require stack; callers match on it.
    throw new RuntimeError(
      'ImportModuleError',
      `Error: Cannot find module '${moduleName}'\nRequire stack:\n- /var/runtime/index.mjs`,
    );
  }
  return requireFromHere(resolved) as unknown;
}

/** The nearest package.json up the tree decides; a node_modules folder or `/` ends the search. */
function nearestPackageIsTypeModule(folder: string): boolean {
  if (folder.endsWith('/node_modules')) return false;
  const manifest = join(folder, 'package.json');
  if (existsSync(manifest)) {
    try {
      return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type === 'module';
    } catch {
      return false;
    }
  }
  const parent = dirname(folder);
  return parent === folder ? false : nearestPackageIsTypeModule(parent);
}
