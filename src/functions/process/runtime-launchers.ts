// How each runtime's process is started: the command, and the few variables only a process
// runtime has (AWS_LAMBDA_RUNTIME_API is added per environment, with its own server's address).
// https://docs.aws.amazon.com/lambda/latest/dg/runtimes-custom.html
// https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FunctionConfig } from '../../model/types.js';
import { RuntimeResolver } from '../runtimes/runtime-resolver.js';

export interface Launch {
  command: string;
  args: string[];
  /** LAMBDA_RUNTIME_DIR and runtime-specific variables. */
  env: Record<string, string>;
}

const thisFile = fileURLToPath(import.meta.url);
// runtimes/ sits at the package root: three levels up from src/functions/process/ and from
// dist/functions/process/ alike.
export const PYTHON_RUNTIME_DIR = resolve(dirname(thisFile), '../../../runtimes/python');
const PYTHON_BOOTSTRAP = join(PYTHON_RUNTIME_DIR, 'bootstrap.py');
// Same extension as this module: process-bootstrap.js from dist/, .ts under tsx.
const NODE_BOOTSTRAP = resolve(dirname(thisFile), `../node/process-bootstrap${extname(thisFile)}`);

/**
 * `interpreter`: the python or node that runs the function (runtimes/runtime-resolver.ts); by
 * default the first of this machine's, for tests.
 */
export function launchFor(config: FunctionConfig, interpreter?: string): Launch {
  const runtime = config.Runtime;
  if (runtime.startsWith('python')) {
    return {
      command: interpreter ?? new RuntimeResolver().resolve(config).command!,
      // -s: no user site-packages (Lambda's image has none);
      // -u: unbuffered, so print() reaches the log before the invocation's END line.
      args: ['-s', '-u', PYTHON_BOOTSTRAP],
      env: { LAMBDA_RUNTIME_DIR: PYTHON_RUNTIME_DIR, PYTHONUNBUFFERED: '1' },
    };
  }
  if (runtime.startsWith('provided')) {
    return {
      command: join(config.Code, 'bootstrap'),
      args: [],
      env: { LAMBDA_RUNTIME_DIR: config.Code },
    };
  }
  // Node.js in a process: the same handler semantics as the worker threads, behind the Runtime API.
  const args = [`--max-old-space-size=${config.MemorySize}`];
  if (extname(thisFile) === '.ts') args.push('--import', import.meta.resolve('tsx'));
  args.push(NODE_BOOTSTRAP);
  return {
    command: interpreter ?? process.execPath,
    args,
    env: { LAMBDA_RUNTIME_DIR: dirname(NODE_BOOTSTRAP) },
  };
}
