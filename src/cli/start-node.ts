// The composition root of one Sallyport node: the store, the functions, the data plane following
// the store, and the admin API. `serve` prints and handles signals; this wires.
import type { Server } from 'node:http';
import { availableParallelism } from 'node:os';
import type { AddressInfo } from 'node:net';
import type { Project } from '../config/project-file.js';
import { loadAdminCredentials } from '../control/admin/credentials.js';
import { createAdminServer } from '../control/admin/server.js';
import { createSigV4Authenticator } from '../control/admin/sigv4.js';
import { FOLLOW_LOGS_PATH, followLogsHandler } from '../control/admin/follow-logs.js';
import { localLines, type LineSource } from '../observability/follow-lines.js';
import { Followers } from '../observability/followers.js';
import { registerApiGatewayRoutes } from '../control/apigateway/index.js';
import { loadFunctions } from '../control/lambda/load-functions.js';
import { FunctionPolicies } from '../control/lambda/resource-policy.js';
import { registerLambdaRoutes } from '../control/lambda/routes.js';
import { FunctionsInvoker } from '../functions/functions-invoker.js';
import { AuthorizerCache, type AuthorizerResultCache } from '../gateway/authorizers/cache.js';
import { Gateway } from '../gateway/gateway.js';
import { RedisAuthorizerCache } from '../node/redis-authorizer-cache.js';
import type { RedisConnection } from '../node/redis-connection.js';
import { StageLoader } from '../node/stage-loader.js';
import { openCounters, type CountersRole } from '../node/usage-counters.js';
import { UsageLoader } from '../node/usage-loader.js';
import type { RedisUnavailablePolicy } from '../gateway/limits/fallback-counters.js';
import {
  DEFAULT_SETTINGS,
  type FunctionConfig,
  type FunctionIsolation,
  type Settings,
} from '../model/types.js';
import type { Logger } from '../observability/logger.js';
import { createMetrics, type MetricsRole } from '../observability/metrics.js';
import { startRequestLog } from '../observability/request-log.js';
import { AccessLogs, accessLogSink } from '../observability/access-log.js';
import { startExecutionLog } from '../observability/execution-log-sink.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import type { UsageCounters } from '../gateway/limits/counters.js';
import type { Throttle } from '../gateway/limits/token-bucket.js';
import type { RuntimeResolver } from '../functions/runtimes/runtime-resolver.js';
import { join } from 'node:path';
import { applyProject, type AppliedProject } from './apply-project.js';

export interface NodeOptions {
  project: Project | undefined;
  /** Store the project's functions and APIs (default); a `--workers` worker finds them stored. */
  applyProject?: boolean;
  dataDir: string;
  store: string | undefined;
  logger: Logger;
  /** Level of functions that set no `Isolation` (`serve --isolation`). */
  isolation?: FunctionIsolation;
  /** `serve --redis`: the Redis every node shares. */
  redis?: string;
  /** `serve --authorizer-cache`: this process's own (default), or shared in Redis. */
  authorizerCache?: AuthorizerCacheKind;
  /** `serve --authorizer-cache-entries/-mib`: this process's cache (or Redis's local fallback). */
  authorizerCacheBounds?: { maxEntries?: number; maxBytes?: number };
  /**
   * `serve --workers`: how many data-plane processes share this machine. Each gets its share of
   * the function pools' default limits, so N workers run as many environments as one process.
   */
  shareOf?: number;
  /**
   * Without Redis, where the usage counters live: this process (default), the primary of
   * `--workers` (which holds them for its workers), or a worker (which asks the primary).
   */
  countersRole?: CountersRole;
  /** Where stages with access logging write their lines (`serve --access-log`); `-` is stdout. */
  accessLog?: string;
  /**
   * Where execution logs go (`serve --execution-log`): a file (`-`: standard output) in
   * CloudWatch's form; absent: records of the server's log.
   */
  executionLog?: string;
  /** Prometheus metrics, and this process's part in them; none with `serve --no-metrics`. */
  metrics?: MetricsRole;
  redisPrefix?: string | undefined;
  /** `serve --redis-unavailable`: what metered requests get while Redis is away. */
  redisUnavailable?: RedisUnavailablePolicy | undefined;
  /** `serve --account-throttle`: per process; null: none; absent: AWS's 10,000 / 5,000. */
  accountThrottle?: Throttle | null | undefined;
  /**
   * Where `sallyport logs --follow` gets its lines: this process's requests (default), or the
   * workers' (`serve --workers`, serve-workers.ts).
   */
  followSource?: LineSource;
  /** `serve --python/--node/--strict-runtimes`: the interpreter of each runtime. */
  runtimes?: RuntimeResolver | undefined;
  /** `serve --function-idle-timeout`: a function environment unused this long is ended. */
  functionIdleTimeoutMs?: number | undefined;
}

export type AuthorizerCacheKind = 'memory' | 'redis';

export interface SallyportNode {
  settings: Settings;
  store: Store;
  gateway: Gateway;
  invoker: FunctionsInvoker;
  /** Stages the project file deployed: `apiId/stage`. */
  projectStages: { apiId: string; stageName: string }[];
  /** Applies a project again (`serve --watch`): checked first, nothing written when it fails. */
  applyProject(project: Project): Promise<AppliedProject>;
  /** Reopens the access log file (SIGHUP, after logrotate moved it). */
  reopenLogs(): void;
  startAdmin(port: number, host: string): Promise<{ address: AddressInfo; generatedAt?: string }>;
  close(): Promise<void>;
}

export async function startNode(options: NodeOptions): Promise<SallyportNode> {
  const { project, logger, dataDir } = options;
  const settings = project?.settings ?? DEFAULT_SETTINGS;
  const store = await openStore({ store: options.store, dataDir });
  const share = options.shareOf ?? 1;
  const cores = availableParallelism();
  const invoker = new FunctionsInvoker({
    functions: [],
    settings,
    logger,
    ...(share > 1
      ? {
          maxThreads: Math.ceil(cores / share),
          processes: { maxConcurrency: Math.ceil(Math.max(4, cores) / share) },
        }
      : {}),
    ...(options.isolation ? { defaultIsolation: options.isolation } : {}),
    ...(options.runtimes ? { runtimes: options.runtimes } : {}),
    ...(options.functionIdleTimeoutMs !== undefined
      ? { idleTimeoutMs: options.functionIdleTimeoutMs }
      : {}),
    buildRoot: join(dataDir, 'build'),
  });
  let functions: FunctionConfig[] = [];
  // One reload at a time, in the order asked: two overlapping reloads could otherwise finish out
  // of order, and the older list (without a function just created) would win.
  let reloading: Promise<void> = Promise.resolve();
  const reloadFunctions = (): Promise<void> => {
    const next = reloading.then(async () => {
      functions = await loadFunctions(store, dataDir);
      invoker.setFunctions(functions);
    });
    reloading = next.catch(() => undefined);
    return next;
  };
  const now = Date.now;
  let admin: Server | undefined;
  let counters: UsageCounters | undefined;
  let redis: RedisConnection | undefined;
  const metrics = options.metrics ? createMetrics(options.metrics) : undefined;
  const stopRequestLog = startRequestLog(logger);
  const followers = new Followers(options.followSource ?? localLines);
  const accessLogs = new AccessLogs(accessLogSink(options.accessLog ?? '-'));
  const executionFile =
    options.executionLog === undefined ? undefined : accessLogSink(options.executionLog);
  const stopExecutionLog = startExecutionLog(logger, executionFile);
  try {
    const localCache = new AuthorizerCache({ now, ...options.authorizerCacheBounds });
    let authorizerCache: AuthorizerResultCache = localCache;
    if (options.authorizerCache === 'redis' && !options.redis)
      throw new Error('a shared authorizer cache needs a Redis URL');
    if (options.redis) {
      // One client for the counters and the authorizer cache (neither subscribes, so they can
      // share it); each uses it with its own command timeout and fallback.
      const sharedCache = options.authorizerCache === 'redis';
      const meanwhile = [
        options.redisUnavailable === 'refuse'
          ? 'metered requests refused (503), throttles counted by this process'
          : 'usage plans and throttles counted by this process',
      ];
      if (sharedCache)
        meanwhile.push('authorizer results cached by this process only (flushes still reach it)');
      // Loaded only here: the Redis client is hundreds of modules a node without Redis never needs.
      const { RedisConnection } = await import('../node/redis-connection.js');
      redis = new RedisConnection({ url: options.redis, logger, fallback: meanwhile.join('; ') });
      await redis.start();
      if (sharedCache) authorizerCache = new RedisAuthorizerCache(redis, localCache);
    }
    const projectStages =
      project && options.applyProject !== false
        ? (await applyProject(project, store, invoker, reloadFunctions)).stages
        : [];
    await reloadFunctions();
    const policies = new FunctionPolicies(settings);
    await policies.reload(store);
    // AWS_IAM methods accept the admin credentials, so they exist even without the admin API.
    const loaded = await loadAdminCredentials({ dataDir });
    counters = await openCounters({
      redis,
      role: options.countersRole,
      redisPrefix: options.redisPrefix,
      redisUnavailable: options.redisUnavailable,
      store,
      logger,
      now,
    });
    const gateway = new Gateway({
      counters,
      ...(options.accountThrottle !== undefined
        ? { accountThrottle: options.accountThrottle }
        : {}),
      accountShare: share,
      invoker,
      settings,
      logger,
      functionTimeout: (name) => functions.find((f) => f.FunctionName === name)?.Timeout,
      accessKeys: [loaded.credentials],
      permissions: policies,
      authorizerCache,
    });
    const onlyApi = project?.apis.length === 1 ? project.apis[0]!.id : undefined;
    if (onlyApi) gateway.stages.defaultApiId = onlyApi;
    const loader = new StageLoader(store, gateway, logger, (stage) => accessLogs.configure(stage));
    await loader.syncAll();
    const usageLoader = new UsageLoader(store, gateway, logger);
    await usageLoader.load();
    const unsubscribe = store.subscribe((event) => {
      if (event.kind === 'function' || event.kind === 'permission') {
        policies
          .reload(store)
          .catch((error: unknown) => logger.error({ err: error }, 'could not reload policies'));
      }
      if (event.kind === 'function') {
        reloadFunctions()
          .then(() => loader.onChange(event))
          .catch((error: unknown) => logger.error({ err: error }, 'could not reload functions'));
        return;
      }
      void loader.onChange(event);
      void usageLoader.onChange(event);
    });

    return {
      settings,
      store,
      gateway,
      invoker,
      projectStages,
      applyProject: (next) => applyProject(next, store, invoker, reloadFunctions, true),
      reopenLogs: () => {
        accessLogs.reopen();
        executionFile?.reopen();
      },
      async startAdmin(port, host) {
        const { credentials, generatedAt } = loaded;
        const functionExists = (name: string) => invoker.has(name);
        admin = createAdminServer({
          logger,
          ...(metrics && { metrics }),
          streams: { [FOLLOW_LOGS_PATH]: followLogsHandler(followers) },
          authenticate: createSigV4Authenticator({ credentials: [credentials] }),
          register: [
            registerApiGatewayRoutes({
              store,
              settings,
              functionExists,
              invoker,
              logger,
              now,
              flushAuthorizerCache: (apiId, stage) =>
                gateway.flushAuthorizerCache(apiId, stage, true),
              counters: gateway.counters,
            }),
            registerLambdaRoutes({ store, invoker, settings, dataDir, logger, now }),
          ],
        });
        const server = admin;
        const address = await new Promise<AddressInfo>((ok, fail) => {
          server.once('error', fail);
          server.listen(port, host, () => ok(server.address() as AddressInfo));
        });
        return generatedAt ? { address, generatedAt } : { address };
      },
      async close() {
        unsubscribe();
        metrics?.close();
        stopRequestLog();
        followers.closeAll();
        accessLogs.close();
        stopExecutionLog();
        const closing: Promise<unknown>[] = [gateway.close(), invoker.close()];
        if (admin) {
          const server = admin;
          closing.push(new Promise((r) => server.close(r)));
          server.closeIdleConnections();
        }
        await Promise.allSettled(closing);
        await gateway.counters.close();
        await redis?.close();
        await store.close();
      },
    };
  } catch (error) {
    metrics?.close();
    stopRequestLog();
    accessLogs.close();
    stopExecutionLog();
    await invoker.close();
    await counters?.close();
    await redis?.close();
    await store.close();
    throw error;
  }
}
