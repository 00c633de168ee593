// The Invoker for functions that run as processes behind the Lambda Runtime API (isolation
// `process` or `sandbox`): Python, custom runtimes (`provided*`) and Node.js. One ProcessPool per
// function.
// https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
import { availableParallelism } from 'node:os';
import type { FunctionConfig, Settings } from '../../model/types.js';
import type { Logger } from '../../observability/logger.js';
import {
  eventOf,
  ResourceNotFoundError,
  type InvokeRequest,
  type InvokeResult,
  type Invoker,
} from '../invoker.js';
import type { CgroupLauncher } from '../sandbox/cgroup-launcher.js';
import type { SandboxHost } from '../sandbox/sandbox-host.js';
import { DEFAULT_IDLE_TIMEOUT_MS, ProcessPool, type ProcessPoolLimits } from './process-pool.js';
import { launchFor } from './runtime-launchers.js';

export interface ProcessInvokerOptions extends Partial<ProcessPoolLimits> {
  functions: FunctionConfig[];
  settings: Settings;
  logger: Logger;
  /** The sandbox host, opened on first use (throws when the machine cannot sandbox). */
  sandbox?: () => SandboxHost;
  /** Cgroups for isolation `process`, where this machine lets sallyport create them. */
  cgroups?: () => CgroupLauncher | undefined;
}

export class ProcessInvoker implements Invoker {
  private readonly options: ProcessInvokerOptions;
  private readonly limits: ProcessPoolLimits;
  private pools = new Map<string, ProcessPool>();

  constructor(options: ProcessInvokerOptions) {
    this.options = options;
    this.limits = {
      maxConcurrency: options.maxConcurrency ?? Math.max(4, availableParallelism()),
      maxQueue: options.maxQueue ?? 1000,
      idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    };
    if (options.killGraceMs !== undefined) this.limits.killGraceMs = options.killGraceMs;
    this.setFunctions(options.functions);
  }

  /**
   * Replaces the set of functions. Unchanged functions keep their warm processes; changed ones
   * get a fresh pool and the old one finishes its in-flight invocations. Throws (before changing
   * anything) when a runtime cannot run on this machine.
   */
  setFunctions(functions: FunctionConfig[]): void {
    const launches = functions.map((config) => launchFor(config));
    const sandboxes = functions.map((config, index) => {
      if (config.Isolation !== 'sandbox') return undefined;
      if (!this.options.sandbox) throw new Error('no sandbox host configured');
      const host = this.options.sandbox();
      host.check(config, launches[index]!);
      return host;
    });
    const next = new Map<string, ProcessPool>();
    functions.forEach((config, index) => {
      const current = this.pools.get(config.FunctionName);
      if (current && JSON.stringify(current.config) === JSON.stringify(config)) {
        next.set(config.FunctionName, current);
        return;
      }
      next.set(
        config.FunctionName,
        new ProcessPool({
          ...this.limits,
          config,
          settings: this.options.settings,
          logger: this.options.logger,
          launch: launches[index]!,
          sandbox: sandboxes[index],
          cgroups: config.Isolation === 'process' ? this.options.cgroups?.() : undefined,
        }),
      );
    });
    for (const [name, pool] of this.pools) {
      if (next.get(name) !== pool) void pool.close();
    }
    this.pools = next;
  }

  has(functionName: string): boolean {
    return this.pools.has(functionName);
  }

  async invoke(request: InvokeRequest): Promise<InvokeResult> {
    const pool = this.pools.get(request.functionName);
    if (!pool) throw new ResourceNotFoundError(request.functionName);
    return pool.invoke(request.requestId, eventOf(request));
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools = new Map();
    await Promise.all(pools.map((pool) => pool.destroy()));
  }
}
