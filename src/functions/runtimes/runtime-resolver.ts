// Which interpreter runs a function: the one its Runtime names when this machine has it
// (`python3.9` → a Python 3.9; `nodejs22.x` → a Node.js 22 at isolation process or sandbox),
// else the nearest this machine has, said once per function — or refused (`--strict-runtimes`).
// Lambda itself runs exactly the named version: https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
import { SallyportError } from '../../errors.js';
import type { FunctionConfig, FunctionRuntime } from '../../model/types.js';
import { managedInstalls, onPath, probeVersion, type Env } from './interpreter-search.js';
import {
  DEPRECATED_RUNTIMES,
  describeVersion,
  isDeprecatedRuntime,
  satisfies,
  wantedBy,
  type Wanted,
} from './runtime-versions.js';

/** A runtime this machine cannot run, or not exactly under `--strict-runtimes`. */
export class RuntimeUnavailableError extends SallyportError {
  readonly code = 'ERR_RUNTIME_UNAVAILABLE';
  constructor(message: string) {
    super(message);
  }
}

export interface RuntimeResolverOptions {
  /** `serve --python python3.12=/path` and `--node nodejs22.x=/path`: runtime → executable. */
  configured?: Readonly<Record<string, string>>;
  /** `serve --strict-runtimes`: refuse a function whose exact runtime is not here. */
  strict?: boolean;
  /** PATH, HOME, PYENV_ROOT, NVM_DIR, SALLYPORT_PYTHON; default process.env. */
  env?: Env;
}

export interface ResolvedRuntime {
  /** The interpreter to start; absent for `provided` and for worker threads. */
  command?: string;
  /** Set when the function does not run on exactly what its Runtime names. */
  notice?: string;
}

interface Found {
  command: string;
  version: string;
}

export class RuntimeResolver {
  private readonly configured: Readonly<Record<string, string>>;
  private readonly strict: boolean;
  private readonly env: Env;
  private readonly versions = new Map<string, string | undefined>();

  constructor(options: RuntimeResolverOptions = {}) {
    this.configured = options.configured ?? {};
    this.strict = options.strict ?? false;
    this.env = options.env ?? process.env;
  }

  /** Throws RuntimeUnavailableError when nothing can run it (or not exactly, when strict). */
  resolve(config: FunctionConfig): ResolvedRuntime {
    const named = config.Runtime;
    const runtime: FunctionRuntime = isDeprecatedRuntime(named)
      ? DEPRECATED_RUNTIMES[named]
      : named;
    const wanted = wantedBy(runtime);
    if (!wanted) return {};
    const prefix = `function ${config.FunctionName}: Runtime ${named}`;
    const deprecated =
      runtime === named ? '' : ` is deprecated by AWS Lambda; running it as ${runtime}`;
    if (wanted.language === 'node' && config.Isolation === 'thread')
      return this.thread(wanted, prefix, deprecated);
    const exact = this.exact(runtime, wanted);
    if (exact && !deprecated) return { command: exact.command };
    if (exact) return this.inexact(exact, `${prefix}${deprecated} on ${this.where(wanted, exact)}`);
    const fallback = this.fallback(wanted);
    const missing = deprecated ? `${deprecated}, which is not found either` : ' not found';
    if (!fallback)
      throw new RuntimeUnavailableError(
        `${prefix}${missing}, and no ${wanted.language === 'python' ? 'python3' : 'node'} to run it instead (${this.hint(runtime)})`,
      );
    return this.inexact(
      fallback,
      `${prefix}${missing}; running on ${this.where(wanted, fallback)}`,
    );
  }

  /** Threads always run the gateway's own Node.js. */
  private thread(wanted: Wanted, prefix: string, deprecated: string): ResolvedRuntime {
    const version = process.versions.node;
    if (!deprecated && satisfies(wanted, version)) return {};
    const notice = `${prefix}${deprecated}; running in a worker thread on the gateway's own Node.js ${version} (Isolation: process runs a Node.js ${wanted.major} found on this machine)`;
    if (this.strict) throw new RuntimeUnavailableError(`${notice}; refused (--strict-runtimes)`);
    return { notice };
  }

  private inexact(found: Found, notice: string): ResolvedRuntime {
    if (this.strict) throw new RuntimeUnavailableError(`${notice}; refused (--strict-runtimes)`);
    return { command: found.command, notice };
  }

  /** The configured path, else the first executable on PATH or in pyenv/nvm of that version. */
  private exact(runtime: FunctionRuntime, wanted: Wanted): Found | undefined {
    const configured = this.configured[runtime];
    if (configured !== undefined) {
      const version = this.version(configured);
      if (version === undefined)
        throw new RuntimeUnavailableError(
          `${runtime}=${configured}: does not run (${configured} --version failed)`,
        );
      return { command: configured, version };
    }
    const candidates =
      wanted.language === 'python'
        ? [
            ...(this.env.SALLYPORT_PYTHON ? [this.env.SALLYPORT_PYTHON] : []),
            ...onPath(`python${wanted.major}.${wanted.minor}`, this.env),
          ]
        : [
            process.execPath,
            ...onPath('node', this.env),
            ...onPath(`node${wanted.major}`, this.env),
          ];
    for (const command of [...candidates, ...managedInstalls(wanted, this.env)]) {
      const version = this.version(command);
      if (version !== undefined && satisfies(wanted, version)) return { command, version };
    }
    return undefined;
  }

  /** What runs instead: SALLYPORT_PYTHON or python3 on PATH; the gateway's own Node.js. */
  private fallback(wanted: Wanted): Found | undefined {
    const candidates =
      wanted.language === 'python'
        ? [
            ...(this.env.SALLYPORT_PYTHON ? [this.env.SALLYPORT_PYTHON] : []),
            ...onPath('python3', this.env),
          ]
        : [process.execPath];
    for (const command of candidates) {
      const version = this.version(command);
      if (version !== undefined) return { command, version };
    }
    return undefined;
  }

  private version(command: string): string | undefined {
    if (command === process.execPath) return process.versions.node;
    if (!this.versions.has(command)) this.versions.set(command, probeVersion(command));
    return this.versions.get(command);
  }

  private where(wanted: Wanted, found: Found): string {
    return `${describeVersion(wanted, found.version)} (${found.command})`;
  }

  private hint(runtime: FunctionRuntime): string {
    const flag = runtime.startsWith('python') ? '--python' : '--node';
    return `install it, or name it with ${flag} ${runtime}=/path/to/interpreter`;
  }
}
