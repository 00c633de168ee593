// How each runtime's process is started: the command, and the few variables only a process
// runtime has (AWS_LAMBDA_RUNTIME_API is added per environment, with its own server's address).
// https://docs.aws.amazon.com/lambda/latest/dg/runtimes-custom.html
// https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
import { SallyportError } from '../../errors.js';
import { accessSync, constants } from 'node:fs';
import { delimiter, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FunctionConfig } from '../../model/types.js';

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

/** A runtime this machine cannot run (python3 missing); thrown when the functions are loaded. */
export class RuntimeUnavailableError extends SallyportError {
  readonly code = 'ERR_RUNTIME_UNAVAILABLE';
  constructor(message: string) {
    super(message);
  }
}

export function launchFor(config: FunctionConfig, pythonCommand = findPython()): Launch {
  const runtime = config.Runtime;
  if (runtime.startsWith('python')) {
    if (pythonCommand === undefined) {
      throw new RuntimeUnavailableError(
        `function ${config.FunctionName}: ${runtime} runs on this machine's python3, which is not on PATH (install Python 3, or set SALLYPORT_PYTHON to its path)`,
      );
    }
    return {
      command: pythonCommand,
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
  return { command: process.execPath, args, env: { LAMBDA_RUNTIME_DIR: dirname(NODE_BOOTSTRAP) } };
}

let pythonOnPath: string | undefined | null = null;

/** SALLYPORT_PYTHON, else `python3` on PATH (looked up once). */
export function findPython(): string | undefined {
  if (process.env.SALLYPORT_PYTHON) return process.env.SALLYPORT_PYTHON;
  if (pythonOnPath === null) pythonOnPath = findOnPath('python3');
  return pythonOnPath;
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
