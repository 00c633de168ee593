// TypeScript handlers (`Handler: index.handler` with index.ts and no index.js), compiled with
// esbuild as `sam build` does for `BuildMethod: esbuild`: bundled to one CommonJS file with a
// source map, and NODE_OPTIONS=--enable-source-maps set as SAM sets it, so a thrown error's
// stack names the .ts file and line.
// https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-sam-cli-using-build-typescript.html
// https://docs.aws.amazon.com/lambda/latest/dg/typescript-exceptions.html
import { buildSync } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SallyportError } from '../../errors.js';
import type { FunctionConfig } from '../../model/types.js';
import {
  DEPRECATED_RUNTIMES,
  isDeprecatedRuntime,
  wantedBy,
} from '../runtimes/runtime-versions.js';

/** The handler module does not compile (TypeScript) or parse (JavaScript, on reload). */
export class HandlerBuildError extends SallyportError {
  readonly code = 'ERR_HANDLER_BUILD';
  constructor(message: string) {
    super(message);
  }
}

// Lambda's own lookup order comes first: a built index.js next to index.ts is what runs.
const JS_EXTENSIONS = ['.js', '.mjs', '.cjs', ''];

export function defaultBuildRoot(): string {
  return join(tmpdir(), `sallyport-build-${process.getuid?.() ?? 'user'}`);
}

/**
 * The function as it runs: unchanged unless its handler module is a .ts file, else `Code` is the
 * compiled folder (kept per code version under `buildRoot`, so an unchanged function is not
 * compiled again). Throws TypeScriptBuildError with esbuild's messages (file:line:column).
 */
export function compiledIfTypeScript(config: FunctionConfig, buildRoot: string): FunctionConfig {
  if (!config.Runtime.startsWith('nodejs')) return config;
  const moduleName = handlerModule(config.Handler);
  const base = join(config.Code, moduleName);
  if (JS_EXTENSIONS.some((ext) => isFile(base + ext)) || !isFile(`${base}.ts`)) return config;
  const entry = `${base}.ts`;
  const out = join(buildRoot, config.FunctionName, versionOf(config, entry));
  if (!existsSync(join(out, `${moduleName}.js`))) build(config, entry, moduleName, out);
  const Variables = { ...config.Environment.Variables };
  Variables.NODE_OPTIONS ??= '--enable-source-maps';
  return { ...config, Code: out, Environment: { Variables } };
}

function build(config: FunctionConfig, entry: string, moduleName: string, out: string): void {
  const runtime = isDeprecatedRuntime(config.Runtime)
    ? DEPRECATED_RUNTIMES[config.Runtime]
    : config.Runtime;
  const wanted = wantedBy(runtime);
  // Built beside, then renamed into place: another process may be building the same version.
  const staging = `${out}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  try {
    buildSync({
      entryPoints: [entry],
      outfile: join(staging, `${moduleName}.js`),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: `node${wanted?.major ?? 20}`,
      sourcemap: true,
      logLevel: 'silent',
    });
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw new HandlerBuildError(
      `function ${config.FunctionName}: cannot compile ${entry}: ${buildMessages(error)}`,
    );
  }
  // The output is CommonJS whatever package.json the folders above it declare.
  writeFileSync(join(staging, 'package.json'), '{ "type": "commonjs" }\n');
  mkdirSync(join(out, '..'), { recursive: true });
  try {
    renameSync(staging, out);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another process won the race
  }
}

/** The stored code version, else the entry file's own size and time. */
function versionOf(config: FunctionConfig, entry: string): string {
  const stats = statSync(entry);
  const seed = config.CodeVersion ?? `${entry}\0${stats.size}\0${stats.mtimeMs}`;
  return createHash('sha256')
    .update(config.Code)
    .update('\0')
    .update(seed)
    .digest('hex')
    .slice(0, 16);
}

function buildMessages(error: unknown): string {
  const errors = (
    error as {
      errors?: { text: string; location?: { file: string; line: number; column: number } | null }[];
    }
  ).errors;
  if (!errors?.length) return (error as Error).message;
  return errors
    .map((e) =>
      e.location
        ? `${e.location.file}:${e.location.line}:${e.location.column + 1}: ${e.text}`
        : e.text,
    )
    .join('; ');
}

/** `dir/file.export` → `dir/file`. */
export function handlerModule(handler: string): string {
  const slash = handler.lastIndexOf('/');
  return handler.slice(0, handler.indexOf('.', slash + 1));
}

export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
