// The gateway's one Invoker: one registry of warm pools, one per function, each at the function's
// isolation level (isolation.ts; pool-factory.ts makes the pools).
// https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
import { randomUUID } from 'node:crypto';
import { canonicalJson } from '../model/canonical-json.js';
import type { FunctionConfig, FunctionIsolation } from '../model/types.js';
import type { Logger } from '../observability/logger.js';
import { functionConcurrency } from '../observability/channels.js';
import {
  ResourceNotFoundError,
  TooManyRequestsError,
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
  /** Each pool's configuration as given (a TypeScript pool runs a compiled copy). */
  private readonly given = new WeakMap<Pool, FunctionConfig>();

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
      const given = current && this.given.get(current);
      return given && canonicalJson(given) === canonicalJson(config)
        ? () => current
        : this.factory.prepare(config);
    });
    const next = new Map<string, Pool>();
    functions.forEach((config, index) => {
      const pool = makers[index]!();
      this.given.set(pool, config);
      next.set(config.FunctionName, pool);
    });
    for (const [name, pool] of this.pools) if (next.get(name) !== pool) this.retire(pool);
    this.pools = next;
  }

  /**
   * Throws what setFunctions would throw for these functions (a runtime, isolation level or
   * sandbox this machine cannot give, TypeScript that does not compile), changing nothing.
   */
  check(configs: FunctionConfig[]): void {
    for (const config of this.withLevels(configs)) this.factory.prepare(config);
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
    const invoking = pool.invoke(request.requestId ?? randomUUID(), request, request.traceId);
    return functionConcurrency.hasSubscribers ? observed(request.functionName, invoking) : invoking;
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

/** Announces an invocation's start and end, or its refusal (channels.ts; metrics count them). */
function observed(functionName: string, invoking: Promise<InvokeResult>): Promise<InvokeResult> {
  functionConcurrency.publish({ functionName, change: 'start' });
  return invoking.then(
    (result) => {
      functionConcurrency.publish({ functionName, change: 'end', error: !!result.functionError });
      return result;
    },
    (error: unknown) => {
      const change = error instanceof TooManyRequestsError ? 'throttled' : 'end';
      functionConcurrency.publish({ functionName, change, error: true });
      throw error;
    },
  );
}
