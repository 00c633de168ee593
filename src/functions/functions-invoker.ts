// The gateway's one Invoker: each function goes to the plane its isolation level runs it in —
// Node.js worker threads (`thread`), or a process behind the Lambda Runtime API (`process`, and
// `sandbox`: that process in its own uid, namespaces and cgroup).
// https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
import type { FunctionConfig, FunctionIsolation, Settings } from '../model/types.js';
import type { Logger } from '../observability/logger.js';
import {
  ResourceNotFoundError,
  type InvokeRequest,
  type InvokeResult,
  type Invoker,
} from './invoker.js';
import { DEFAULT_ISOLATION, isolationOf } from './isolation.js';
import { NodeWorkerInvoker } from './node/worker-pool-invoker.js';
import { ProcessInvoker } from './process/process-invoker.js';
import type { ProcessPoolLimits } from './process/process-pool.js';
import { CgroupLauncher } from './sandbox/cgroup-launcher.js';
import { SandboxHost } from './sandbox/sandbox-host.js';

export interface FunctionsInvokerOptions {
  functions: FunctionConfig[];
  settings: Settings;
  logger: Logger;
  /** Worker threads per Node.js function; default os.availableParallelism(). */
  maxThreads?: number;
  /** Limits of each process-runtime function. */
  processes?: Partial<ProcessPoolLimits>;
  /** The level of functions that set no `Isolation` (`serve --isolation`); default `thread`. */
  defaultIsolation?: FunctionIsolation;
}

const runsInThreads = (config: FunctionConfig) => config.Isolation === 'thread';
const runsInProcesses = (config: FunctionConfig) => config.Isolation !== 'thread';

export class FunctionsInvoker implements Invoker {
  readonly defaultIsolation: FunctionIsolation;
  private readonly threads: NodeWorkerInvoker;
  private readonly processes: ProcessInvoker;
  private sandboxHost: SandboxHost | undefined;
  /** undefined: not tried yet; null: this machine gives sallyport no cgroups. */
  private processCgroups: CgroupLauncher | null | undefined;

  constructor(options: FunctionsInvokerOptions) {
    this.defaultIsolation = options.defaultIsolation ?? DEFAULT_ISOLATION;
    // A gateway whose default is `sandbox` refuses to start on a machine that cannot give it.
    if (this.defaultIsolation === 'sandbox') this.sandbox();
    const functions = this.withLevels(options.functions);
    // Processes first: a missing python3 fails here, before any worker starts.
    this.processes = new ProcessInvoker({
      ...options.processes,
      functions: functions.filter(runsInProcesses),
      settings: options.settings,
      logger: options.logger,
      sandbox: () => this.sandbox(),
      cgroups: () => this.cgroupsForProcesses(),
    });
    const threadOptions = {
      functions: functions.filter(runsInThreads),
      settings: options.settings,
      logger: options.logger,
    };
    this.threads = new NodeWorkerInvoker(
      options.maxThreads === undefined
        ? threadOptions
        : { ...threadOptions, maxThreads: options.maxThreads },
    );
  }

  /**
   * Replaces the set of functions. Throws, changing nothing, when a function's level cannot be
   * given (a runtime threads cannot run, a sandbox this machine cannot build).
   */
  setFunctions(configs: FunctionConfig[]): void {
    const functions = this.withLevels(configs);
    this.processes.setFunctions(functions.filter(runsInProcesses));
    this.threads.setFunctions(functions.filter(runsInThreads));
  }

  /** Each function with the level it runs at, resolved once here. */
  withLevels(functions: FunctionConfig[]): FunctionConfig[] {
    return functions.map((f) => ({ ...f, Isolation: isolationOf(f, this.defaultIsolation) }));
  }

  /**
   * Whether any function runs, or a new Node.js function would run, in the gateway's own process
   * (isolation `thread`): `serve` says plainly that this protects nothing against hostile code.
   */
  runsThreads(): boolean {
    return this.defaultIsolation === 'thread' || this.threads.size > 0;
  }

  has(functionName: string): boolean {
    return this.threads.has(functionName) || this.processes.has(functionName);
  }

  invoke(request: InvokeRequest): Promise<InvokeResult> {
    if (this.threads.has(request.functionName)) return this.threads.invoke(request);
    if (this.processes.has(request.functionName)) return this.processes.invoke(request);
    return Promise.reject(new ResourceNotFoundError(request.functionName));
  }

  async close(): Promise<void> {
    await Promise.all([this.threads.close(), this.processes.close()]);
    await Promise.all([this.sandboxHost?.close(), this.processCgroups?.close()]);
  }

  private sandbox(): SandboxHost {
    return (this.sandboxHost ??= SandboxHost.open());
  }

  /** Isolation `process` uses cgroups where it can (root), its process group everywhere. */
  private cgroupsForProcesses(): CgroupLauncher | undefined {
    if (this.processCgroups === undefined)
      this.processCgroups = CgroupLauncher.tryOpen(`sallyport-${process.pid}-process`) ?? null;
    return this.processCgroups ?? undefined;
  }
}
