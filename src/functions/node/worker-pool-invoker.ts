// The Invoker for Node.js functions: one warm pool of worker threads per function.
// https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { FunctionConfig, Settings } from '../../model/types.js';
import type { Logger } from '../../observability/logger.js';
import {
  ResourceNotFoundError,
  type InvokeRequest,
  type InvokeResult,
  type Invoker,
} from '../invoker.js';
import { FunctionPool } from './function-pool.js';

export interface NodeWorkerInvokerOptions {
  functions: FunctionConfig[];
  settings: Settings;
  logger: Logger;
  /** Most workers (concurrent invocations) per function; default os.availableParallelism(). */
  maxThreads?: number;
}

export class NodeWorkerInvoker implements Invoker {
  private readonly settings: Settings;
  private readonly logger: Logger;
  private readonly maxThreads: number;
  private pools = new Map<string, FunctionPool>();

  constructor(options: NodeWorkerInvokerOptions) {
    this.settings = options.settings;
    this.logger = options.logger;
    this.maxThreads = options.maxThreads ?? availableParallelism();
    this.setFunctions(options.functions);
  }

  /**
   * Replaces the set of functions. A function whose configuration is unchanged keeps its warm
   * workers; a changed one gets a fresh pool (new code, new environment), and retired pools
   * finish their in-flight invocations before their workers end.
   */
  setFunctions(functions: FunctionConfig[]): void {
    const next = new Map<string, FunctionPool>();
    for (const config of functions) {
      const current = this.pools.get(config.FunctionName);
      if (current && sameConfig(current.config, config)) {
        next.set(config.FunctionName, current);
      } else {
        next.set(config.FunctionName, this.createPool(config));
      }
    }
    for (const [name, pool] of this.pools) {
      if (next.get(name) !== pool) this.retire(pool);
    }
    this.pools = next;
  }

  /** Functions served by worker threads. */
  get size(): number {
    return this.pools.size;
  }

  has(functionName: string): boolean {
    return this.pools.has(functionName);
  }

  async invoke(request: InvokeRequest): Promise<InvokeResult> {
    const pool = this.pools.get(request.functionName);
    if (!pool) throw new ResourceNotFoundError(request.functionName);
    return pool.invoke(request.requestId ?? randomUUID(), request.event, request.proxyEvent);
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools = new Map();
    await Promise.all(pools.map((pool) => pool.destroy()));
  }

  private createPool(config: FunctionConfig): FunctionPool {
    return new FunctionPool({
      config,
      settings: this.settings,
      logger: this.logger,
      maxThreads: this.maxThreads,
      // The gateway's own thread needs a core too: more busy threads than cores slows a short
      // handler down (docs/performance.md), so under load busy workers are sent invocations
      // ahead first; more workers start only for slow handlers.
      preferredThreads: availableParallelism() - 1,
    });
  }

  private retire(pool: FunctionPool): void {
    pool.close().catch((error: unknown) => {
      this.logger.warn(
        { err: error, functionName: pool.config.FunctionName },
        'closing a retired function pool failed',
      );
    });
  }
}

/** Function configurations are plain data; equal JSON means the same function. */
function sameConfig(a: FunctionConfig, b: FunctionConfig): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
