// Makes the pool a function runs in at its isolation level: worker threads (`thread`), or
// processes behind the Lambda Runtime API (`process`; `sandbox`: that process in its own uid,
// namespaces and cgroup). The sandbox host and the cgroups are opened on first use and closed here.
// https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
import { availableParallelism } from 'node:os';
import type { FunctionConfig, Settings } from '../model/types.js';
import type { Logger } from '../observability/logger.js';
import { FunctionPool } from './node/function-pool.js';
import type { WorkerScript } from './node/worker-script.js';
import { DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_MAX_QUEUE, type Pool } from './pool.js';
import { ProcessPool, type ProcessPoolLimits } from './process/process-pool.js';
import { launchFor } from './process/runtime-launchers.js';
import { compiledIfTypeScript, defaultBuildRoot } from './node/typescript-build.js';
import { RuntimeResolver } from './runtimes/runtime-resolver.js';
import { CgroupLauncher } from './sandbox/cgroup-launcher.js';
import { SandboxHost } from './sandbox/sandbox-host.js';

export interface PoolFactoryOptions {
  settings: Settings;
  logger: Logger;
  /** Worker threads per Node.js function; default os.availableParallelism(). */
  maxThreads?: number;
  /** Invocations waiting for a worker thread; default DEFAULT_MAX_QUEUE. */
  maxQueue?: number;
  /** An environment (thread or process) unused this long is ended; default 10 minutes. */
  idleTimeoutMs?: number;
  /** Limits of each process-runtime function (its idleTimeoutMs before the one above). */
  processes?: Partial<ProcessPoolLimits>;
  /** The worker threads' main script; default the built worker-entry.js beside function-pool. */
  workerScript?: WorkerScript;
  /** Where TypeScript handlers are compiled to; default a folder under the system's tmpdir. */
  buildRoot?: string;
  /** Which interpreter runs each runtime (`serve --python/--node/--strict-runtimes`). */
  runtimes?: RuntimeResolver;
}

export class PoolFactory {
  private readonly options: PoolFactoryOptions;
  private readonly processLimits: ProcessPoolLimits;
  private sandboxHost: SandboxHost | undefined;
  /** undefined: not tried yet; null: this machine gives sallyport no cgroups. */
  private processCgroups: CgroupLauncher | null | undefined;
  private readonly runtimes: RuntimeResolver;
  /** Per function: what runs it instead of its exact runtime, when not exactly it. */
  readonly runtimeNotices = new Map<string, string>();

  constructor(options: PoolFactoryOptions) {
    this.options = options;
    const limits = options.processes ?? {};
    this.processLimits = {
      maxConcurrency: limits.maxConcurrency ?? Math.max(4, availableParallelism()),
      maxQueue: limits.maxQueue ?? DEFAULT_MAX_QUEUE,
      idleTimeoutMs: limits.idleTimeoutMs ?? options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    };
    if (limits.killGraceMs !== undefined) this.processLimits.killGraceMs = limits.killGraceMs;
    this.runtimes = options.runtimes ?? new RuntimeResolver();
  }

  /**
   * Checks that this machine can run the function at its level (a runtime on PATH, a sandbox it
   * can build, TypeScript that compiles) and returns how to make its pool: nothing starts until
   * the maker is called. The pool's `config` is the compiled one for TypeScript.
   */
  prepare(source: FunctionConfig): () => Pool {
    const runtime = this.runtimes.resolve(source);
    const config = compiledIfTypeScript(source, this.options.buildRoot ?? defaultBuildRoot());
    this.notice(config.FunctionName, runtime.notice);
    if (config.Isolation === 'thread') return () => this.threadPool(config);
    const launch = launchFor(config, runtime.command);
    const sandbox = config.Isolation === 'sandbox' ? this.sandbox() : undefined;
    sandbox?.check(config, launch);
    return () =>
      new ProcessPool({
        ...this.processLimits,
        config,
        settings: this.options.settings,
        logger: this.options.logger,
        launch,
        sandbox,
        cgroups: config.Isolation === 'process' ? this.cgroupsForProcesses() : undefined,
      });
  }

  private notice(functionName: string, notice: string | undefined): void {
    if (notice === undefined) {
      this.runtimeNotices.delete(functionName);
      return;
    }
    if (this.runtimeNotices.get(functionName) === notice) return;
    this.runtimeNotices.set(functionName, notice);
    this.options.logger.warn({ functionName }, notice);
  }

  /** Opens the sandbox host now: throws when this machine cannot sandbox. */
  sandbox(): SandboxHost {
    return (this.sandboxHost ??= SandboxHost.open());
  }

  async close(): Promise<void> {
    await Promise.all([this.sandboxHost?.close(), this.processCgroups?.close()]);
  }

  private threadPool(config: FunctionConfig): FunctionPool {
    const maxThreads = this.options.maxThreads ?? availableParallelism();
    return new FunctionPool({
      config,
      settings: this.options.settings,
      logger: this.options.logger,
      maxThreads,
      maxQueue: this.options.maxQueue ?? DEFAULT_MAX_QUEUE,
      idleTimeoutMs: this.options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
      // The gateway's own thread needs a core too: more busy threads than cores slows a short
      // handler down (docs/performance.md), so under load busy workers are sent invocations
      // ahead first; more workers start only for slow handlers.
      preferredThreads: availableParallelism() - 1,
      ...(this.options.workerScript ? { workerScript: this.options.workerScript } : {}),
    });
  }

  /** Isolation `process` uses cgroups where it can (root), its process group everywhere. */
  private cgroupsForProcesses(): CgroupLauncher | undefined {
    if (this.processCgroups === undefined)
      this.processCgroups = CgroupLauncher.tryOpen(`sallyport-${process.pid}-process`) ?? null;
    return this.processCgroups ?? undefined;
  }
}
