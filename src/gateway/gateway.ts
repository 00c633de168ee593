// Assembles the data plane: deployed stages, the pipeline and the listener, from injected parts.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, type Dispatcher } from 'undici';
import type { Invoker } from '../functions/invoker.js';
import type { ApiSnapshot, Settings } from '../model/types.js';
import type { Logger } from '../observability/logger.js';
import {
  AuthorizerCache,
  authorizerCachePrefix,
  type AuthorizerResultCache,
} from './authorizers/cache.js';
import type { CompiledStage } from './compiled-api.js';
import { compileStage, type StageInput } from './compile.js';
import { DeployedStages } from './deployments.js';
import { createPipeline } from './pipeline.js';
import { createGatewayServer } from './server.js';
import { debugKeysOf } from '../auth/debug-token.js';
import { secretsOf, type AccessKey } from '../auth/sigv4/verify.js';
import type { InvokePermissions } from './invoke-permissions.js';
import type { UsageCounters } from './limits/counters.js';
import { MemoryCounters } from './limits/memory-counters.js';
import { UsageCatalog } from './limits/usage-catalog.js';
import type { Throttle } from './limits/token-bucket.js';

export interface GatewayOptions {
  invoker: Invoker;
  settings: Settings;
  logger: Logger;
  functionTimeout?: (functionName: string) => number | undefined;
  now?: () => number;
  dispatcher?: Dispatcher;
  /** The keys AWS_IAM methods accept (the admin credentials); none: every signed call refused. */
  accessKeys?: readonly AccessKey[];
  /** Lambda resource policies; absent: every function may be invoked. */
  permissions?: InvokePermissions;
  /** Usage-plan counters; default: this process's memory. */
  counters?: UsageCounters;
  /** The account throttle (`serve --account-throttle`); default AWS's; null: none. */
  accountThrottle?: Throttle | null;
  /** How many processes share the machine's account throttle (`--workers`; steps/throttle.ts). */
  accountShare?: number;
  /** The authorizer cache; default this process's own (in memory). */
  authorizerCache?: AuthorizerResultCache;
}

export class Gateway {
  readonly stages = new DeployedStages();
  readonly authorizerCache: AuthorizerResultCache;
  readonly counters: UsageCounters;
  /** API keys and usage plans, replaced whole when they change (node/usage-loader.ts). */
  usageCatalog: UsageCatalog = UsageCatalog.EMPTY;
  readonly #server: Server;
  readonly #options: GatewayOptions;
  readonly #dispatcher: Dispatcher;

  constructor(options: GatewayOptions) {
    this.#options = options;
    const now = options.now ?? Date.now;
    this.#dispatcher = options.dispatcher ?? new Agent({ keepAliveTimeout: 10_000 });
    this.authorizerCache = options.authorizerCache ?? new AuthorizerCache({ now });
    this.counters = options.counters ?? new MemoryCounters();
    const pipeline = createPipeline({
      invoker: options.invoker,
      cache: this.authorizerCache,
      logger: options.logger,
      now,
      secrets: secretsOf(options.accessKeys ?? []),
      catalog: () => this.usageCatalog,
      ...(options.accountShare !== undefined ? { accountShare: options.accountShare } : {}),
      ...(options.accountThrottle !== undefined
        ? { accountThrottle: options.accountThrottle }
        : {}),
      counters: this.counters,
      ...(options.permissions ? { permissions: options.permissions } : {}),
    });
    this.#server = createGatewayServer({
      stages: this.stages,
      pipeline,
      logger: options.logger,
      now,
      debugKeys: debugKeysOf(options.accessKeys ?? []),
    });
  }

  /**
   * Compiles and swaps in a stage; throws DeploymentError (nothing changes) if it cannot.
   * `recompile`: the same deployment compiled again because something it reads changed (a
   * function's Timeout or code): its authorizer cache is kept, as AWS keeps it.
   */
  deploy(snapshot: ApiSnapshot, stage: StageInput, recompile = false): CompiledStage {
    const compiled = compileStage(snapshot, stage, {
      invoker: this.#options.invoker,
      dispatcher: this.#dispatcher,
      settings: this.#options.settings,
      functionTimeout: this.#options.functionTimeout ?? (() => undefined),
      ...(this.#options.permissions ? { permissions: this.#options.permissions } : {}),
    });
    this.stages.deploy(compiled);
    // A new deployment starts with an empty authorizer cache, as on AWS.
    if (!recompile)
      this.authorizerCache.flushLocal(authorizerCachePrefix(compiled.apiId, compiled.stageName));
    return compiled;
  }

  /**
   * FlushStageAuthorizersCache. `shared`: on the node that served it, which also clears a shared
   * cache; the others (told through the store) clear only their own.
   */
  async flushAuthorizerCache(apiId: string, stageName: string, shared: boolean): Promise<void> {
    const prefix = authorizerCachePrefix(apiId, stageName);
    if (shared) await this.authorizerCache.flush(prefix);
    else this.authorizerCache.flushLocal(prefix);
  }

  listen(port: number, host: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        resolve(this.#server.address() as AddressInfo);
      });
    });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeIdleConnections();
    });
    await this.#dispatcher.close();
  }
}
