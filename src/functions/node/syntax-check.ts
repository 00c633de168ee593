// A JavaScript handler module that does not parse, found before it replaces working code
// (`serve --watch`): at start-up the runtime's own Runtime.UserCodeSyntaxError stays the answer,
// as on Lambda, but an edit with a typo must not take a serving function down.
import { transformSync } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FunctionConfig } from '../../model/types.js';
import { handlerModule, HandlerBuildError, isFile } from './typescript-build.js';

// Lambda's lookup order: https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html
const EXTENSIONS = ['.js', '.mjs', '.cjs'];

/** Throws, naming file, line and column, when the handler's module is not valid JavaScript. */
export function checkHandlerSyntax(config: FunctionConfig): void {
  if (!config.Runtime.startsWith('nodejs')) return;
  const base = join(config.Code, handlerModule(config.Handler));
  const file = EXTENSIONS.map((ext) => base + ext).find(isFile);
  if (!file) return;
  try {
    transformSync(readFileSync(file, 'utf8'), {
      loader: 'js',
      sourcefile: file,
      logLevel: 'silent',
    });
  } catch (error) {
    const first = (
      error as { errors?: { text: string; location?: { line: number; column: number } | null }[] }
    ).errors?.[0];
    const where = first?.location ? `:${first.location.line}:${first.location.column + 1}` : '';
    throw new HandlerBuildError(
      `function ${config.FunctionName}: ${file}${where}: ${first?.text ?? (error as Error).message}`,
    );
  }
}
