// The gateway's one Invoker: each function goes to the plane that runs it — Node.js worker
// threads (the fast default for Node.js), or a process behind the Lambda Runtime API (Python,
// custom runtimes, and Node.js with `Isolation: process`).
// https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
import type { FunctionConfig, Settings } from '../model/types.js';
import type { Logger } from '../observability/logger.js';
import {
  ResourceNotFoundError,
  type InvokeRequest,
  type InvokeResult,
  type Invoker,
} from './invoker.js';
import { NodeWorkerInvoker } from './node/worker-pool-invoker.js';
import { ProcessInvoker } from './process/process-invoker.js';
import type { ProcessPoolLimits } from './process/process-pool.js';

export interface FunctionsInvokerOptions {
  functions: FunctionConfig[];
  settings: Settings;
  logger: Logger;
  /** Worker threads per Node.js function; default os.availableParallelism(). */
  maxThreads?: number;
  /** Limits of each process-runtime function. */
  processes?: Partial<ProcessPoolLimits>;
}

/** Worker threads for Node.js unless the function asks for a process; a process for the rest. */
export function runsInThreads(config: FunctionConfig): boolean {
  return config.Runtime.startsWith('nodejs') && config.Isolation !== 'process';
}

export class FunctionsInvoker implements Invoker {
  private readonly threads: NodeWorkerInvoker;
  private readonly processes: ProcessInvoker;

  constructor(options: FunctionsInvokerOptions) {
    // Processes first: a missing python3 fails here, before any worker starts.
    this.processes = new ProcessInvoker({
      ...options.processes,
      functions: options.functions.filter((f) => !runsInThreads(f)),
      settings: options.settings,
      logger: options.logger,
    });
    const threadOptions = {
      functions: options.functions.filter(runsInThreads),
      settings: options.settings,
      logger: options.logger,
    };
    this.threads = new NodeWorkerInvoker(
      options.maxThreads === undefined
        ? threadOptions
        : { ...threadOptions, maxThreads: options.maxThreads },
    );
  }

  setFunctions(functions: FunctionConfig[]): void {
    this.processes.setFunctions(functions.filter((f) => !runsInThreads(f)));
    this.threads.setFunctions(functions.filter(runsInThreads));
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
  }
}
