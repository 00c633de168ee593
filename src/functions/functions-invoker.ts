// The gateway's one Invoker: one registry of warm pools, one per function, each at the function's
// isolation level (isolation.ts; pool-factory.ts makes the pools).
// https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
import { randomUUID } from 'node:crypto';
import { canonicalJson } from '../model/canonical-json.js';
import type { FunctionConfig, FunctionIsolation } from '../model/types.js';
import type { Logger } from '../observability/logger.js';
import {
  ResourceNotFoundError,
  type InvokeRequest,
  type InvokeResult,
  type Invoker,
} from './invoker.js';
import { DEFAULT_ISOLATION, isolationOf } from './isolation.js';
import type { Pool } from './pool.js';
import { PoolFactory, type PoolFactoryOptions } from './pool-factory.js';

export interface FunctionsInvokerOptions extends PoolFactoryOptions {
  functions: FunctionConfig[];
  /** The level of functions that set no `Isolation` (`serve --isolation`); default `thread`. */
  defaultIsolation?: FunctionIsolation;
}

export class FunctionsInvoker implements Invoker {
  readonly defaultIsolation: FunctionIsolation;
  private readonly logger: Logger;
  private readonly factory: PoolFactory;
  private pools = new Map<string, Pool>();

  constructor(options: FunctionsInvokerOptions) {
    this.defaultIsolation = options.defaultIsolation ?? DEFAULT_ISOLATION;
    this.logger = options.logger;
    this.factory = new PoolFactory(options);
    // A gateway whose default is `sandbox` refuses to start on a machine that cannot give it.
    if (this.defaultIsolation === 'sandbox') this.factory.sandbox();
    this.setFunctions(options.functions);
  }

  /**
   * Replaces the set of functions. A function whose configuration is unchanged (the canonical JSON
   * deployments compare snapshots with) keeps its warm pool; a changed one gets a fresh pool (new
   * code, new environment), and retired pools finish their in-flight invocations first. Throws,
   * changing nothing, when a function's level cannot be given (a runtime threads cannot run, a
   * runtime missing from this machine, a sandbox it cannot build).
   */
  setFunctions(configs: FunctionConfig[]): void {
    const functions = this.withLevels(configs);
    const makers = functions.map((config) => {
      const current = this.pools.get(config.FunctionName);
      return current && canonicalJson(current.config) === canonicalJson(config)
        ? () => current
        : this.factory.prepare(config);
    });
    const next = new Map<string, Pool>();
    functions.forEach((config, index) => next.set(config.FunctionName, makers[index]!()));
    for (const [name, pool] of this.pools) if (next.get(name) !== pool) this.retire(pool);
    this.pools = next;
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
    if (this.defaultIsolation === 'thread') return true;
    for (const pool of this.pools.values()) if (pool.config.Isolation === 'thread') return true;
    return false;
  }

  has(functionName: string): boolean {
    return this.pools.has(functionName);
  }

  invoke(request: InvokeRequest): Promise<InvokeResult> {
    const pool = this.pools.get(request.functionName);
    if (!pool) return Promise.reject(new ResourceNotFoundError(request.functionName));
    return pool.invoke(
      request.requestId ?? randomUUID(),
      request.event,
      request.proxyEvent,
      request.traceId,
    );
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools = new Map();
    await Promise.all(pools.map((pool) => pool.destroy()));
    await this.factory.close();
  }

  private retire(pool: Pool): void {
    pool.close().catch((error: unknown) => {
      this.logger.warn(
        { err: error, functionName: pool.config.FunctionName },
        'closing a retired function pool failed',
      );
    });
  }
}
