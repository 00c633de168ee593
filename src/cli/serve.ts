import { Command, Option } from 'commander';
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { DEFAULT_ISOLATION, ISOLATION_LEVELS } from '../functions/isolation.js';
import { DEFAULT_IDLE_TIMEOUT_MS } from '../functions/pool.js';
import type { FunctionIsolation } from '../model/types.js';
import { defaultLogFormat, LOG_FORMATS, type LogFormat } from '../observability/log-format.js';
import { exitWithParent } from './exit-with-parent.js';
import { fail } from './fail.js';
import { addDevOptions, runtimeResolverFor, watchIfAsked, type DevOptions } from './dev-options.js';
import { dataDirFor, parsePort, parsePositiveInteger, parseThrottle } from './options.js';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_ENTRIES } from '../gateway/authorizers/cache.js';
import {
  REDIS_UNAVAILABLE_POLICIES,
  type RedisUnavailablePolicy,
} from '../gateway/limits/fallback-counters.js';
import { preparePrivateDataDir } from './private-data-dir.js';
import {
  addProjectSourceOptions,
  notEmulatedLines,
  projectSourceFor,
  withEnvironment,
  type ProjectSourceOptions,
} from './project-source.js';
import {
  checkPortFree,
  reportToPrimary,
  startWorkers,
  workerCount,
  type Workers,
} from './serve-workers.js';
import type { AuthorizerCacheKind } from './start-node.js';
import { forwardLinesToPrimary, WorkerLines } from './worker-follow.js';

interface ServeOptions extends ProjectSourceOptions, DevOptions {
  port: string;
  host: string;
  dataDir?: string;
  store?: string;
  adminPort: string;
  adminHost: string;
  admin: boolean;
  metrics: boolean;
  accessLog: string;
  executionLog?: string;
  logLevel: string;
  logFormat: LogFormat | undefined;
  isolation: FunctionIsolation;
  redis?: string;
  authorizerCache: AuthorizerCacheKind;
  authorizerCacheEntries: string;
  authorizerCacheMib: string;
  workers: string;
  redisPrefix: string;
  redisUnavailable: RedisUnavailablePolicy;
  accountThrottle: string;
  functionIdleTimeout: string;
}

export function serveCommand(): Command {
  const command = addProjectSourceOptions(new Command('serve'))
    .description(
      "serve every deployed stage and the admin API; with --config, deploy the project's APIs first",
    )
    .option(
      '-c, --config <path>',
      'sallyport.yaml, or the folder holding it (default: ./sallyport.yaml if present)',
    )
    .option('-p, --port <port>', 'port for API calls', '8080')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option(
      '--data-dir <dir>',
      'where Sallyport keeps its state (default: .sallyport beside the project file, or in the current folder)',
    )
    .option(
      '--store <url>',
      'postgres://… to share state between nodes, or "memory" (default: SQLite in the data dir)',
    )
    .option('--admin-port <port>', 'port for the AWS-compatible admin API', '9001')
    .option('--admin-host <host>', 'address for the admin API', '127.0.0.1')
    .option('--no-admin', 'do not start the admin API')
    .option('--no-metrics', 'do not serve Prometheus metrics at GET /metrics on the admin API')
    .option(
      '--access-log <file>',
      'where stages with access logging write their lines: - for standard output, or a file (reopened on SIGHUP)',
      '-',
    )
    .option(
      '--execution-log <file>',
      "where stages with execution logging (methodSettings loggingLevel) write their lines, in CloudWatch's form: - for standard output, or a file (reopened on SIGHUP); default: records of the server's log",
    )
    .addOption(
      new Option(
        '--isolation <level>',
        'isolation of functions that set none (thread: Node.js worker threads, other runtimes a process; see docs/security.md)',
      )
        .choices(ISOLATION_LEVELS)
        .default(DEFAULT_ISOLATION),
    )
    .option(
      '--workers <n>',
      'processes serving API calls on the one port: a number, or auto (one per core; 1 with --store memory)',
      'auto',
    )
    .option(
      '--redis <url>',
      'redis://… shared by every node and worker: usage-plan, stage and method throttles and quotas, and (see --authorizer-cache) authorizer results; docs/many-nodes.md',
    )
    .addOption(
      new Option(
        '--authorizer-cache <where>',
        'where Lambda authorizer results are cached: this process (memory) or Redis, shared by every node (needs --redis)',
      )
        .choices(['memory', 'redis'])
        .default('memory'),
    )
    .option(
      '--authorizer-cache-entries <n>',
      'most Lambda authorizer results one process keeps in memory (each worker its own); the oldest go first',
      String(DEFAULT_MAX_ENTRIES),
    )
    .option(
      '--authorizer-cache-mib <n>',
      'most MiB (estimated) those results take in one process; the oldest go first',
      String(DEFAULT_MAX_BYTES / 2 ** 20),
    )
    .option(
      '--account-throttle <rate:burst|off>',
      "the account-level throttle, as AWS's per account and region: per node, each worker counting its share",
      '10000:5000',
    )
    .option(
      '--function-idle-timeout <seconds>',
      'a function execution environment (worker thread or process) unused this long is ended; the next call starts a new one (INIT, Init Duration)',
      String(DEFAULT_IDLE_TIMEOUT_MS / 1000),
    )
    .option('--redis-prefix <prefix>', 'prefix of the keys Sallyport writes in Redis', 'sallyport:')
    .addOption(
      new Option(
        '--redis-unavailable <policy>',
        "while Redis is unreachable: local (enforce on this process's own counts, add them to Redis when it returns) or refuse (503)",
      )
        .choices(REDIS_UNAVAILABLE_POLICIES)
        .default('local'),
    )
    .addOption(
      new Option('--log-level <level>', 'log level')
        .choices(['debug', 'info', 'warn', 'error'])
        .default('info'),
    )
    .addOption(
      new Option(
        '--log-format <format>',
        'pretty: a coloured line per request; json: JSON lines (default: pretty on a terminal, else json)',
      ).choices(LOG_FORMATS),
    );
  return addDevOptions(command).action((options: ServeOptions) => serve(options).catch(fail));
}

async function serve(options: ServeOptions): Promise<void> {
  // The gateway is loaded when serve runs, so `--help` and the other commands start at once.
  const [{ startNode }, { createLogger }] = await Promise.all([
    import('./start-node.js'),
    import('../observability/logger.js'),
  ]);
  const port = parsePort('--port', options.port);
  const adminPort = parsePort('--admin-port', options.adminPort);
  const functionIdleTimeoutMs =
    parsePositiveInteger('--function-idle-timeout', options.functionIdleTimeout) * 1000;
  if (options.authorizerCache === 'redis' && options.redis === undefined)
    throw new Error('--authorizer-cache redis needs --redis redis://…');
  if (options.redis !== undefined && !/^rediss?:\/\//.test(options.redis))
    throw new Error(`--redis: not a redis:// or rediss:// URL: ${options.redis}`);
  // A worker runs this same command line; the primary has checked it and applied the project.
  const worker = cluster.isWorker ? cluster.worker : undefined;
  const workers = worker ? 1 : workerCount(options.workers, options.store, availableParallelism());
  // `logs --follow` reaches the primary; the workers answer the requests and forward their lines.
  if (worker) forwardLinesToPrimary();
  const workerLines = workers > 1 ? new WorkerLines() : undefined;
  const source = withEnvironment(projectSourceFor(options), options);
  const sourced = await source.read();
  const project = sourced?.project;
  const dataDir = dataDirFor(options.dataDir, project);
  const root = createLogger({
    level: options.logLevel,
    format: options.logFormat ?? defaultLogFormat(),
  });
  const logger = worker ? root.child({ worker: worker.id }) : root;
  if (!worker) {
    // A taken port is found before anything is written: no data directory, no store.
    await portFree('--port', 'API calls', options.host, port);
    if (options.admin)
      await portFree('--admin-port', 'the admin API', options.adminHost, adminPort);
    preparePrivateDataDir(dataDir, logger);
  }
  const node = await startNode({
    project,
    applyProject: !worker,
    ...(worker ? { shareOf: Number(process.env.SALLYPORT_WORKERS ?? '1') } : {}),
    // Without Redis the primary holds the counters and its workers ask it.
    countersRole: worker ? 'worker' : workers > 1 ? 'primary' : 'process',
    dataDir,
    store: options.store,
    logger,
    isolation: options.isolation,
    authorizerCache: options.authorizerCache,
    authorizerCacheBounds: {
      maxEntries: parsePositiveInteger(
        '--authorizer-cache-entries',
        options.authorizerCacheEntries,
      ),
      maxBytes:
        parsePositiveInteger('--authorizer-cache-mib', options.authorizerCacheMib) * 2 ** 20,
    },
    ...(options.redis === undefined ? {} : { redis: options.redis }),
    accessLog: options.accessLog,
    ...(options.executionLog === undefined ? {} : { executionLog: options.executionLog }),
    ...(options.metrics && options.admin
      ? { metrics: worker ? 'worker' : workers > 1 ? 'primary' : 'process' }
      : {}),
    redisPrefix: options.redisPrefix,
    redisUnavailable: options.redisUnavailable,
    accountThrottle: parseThrottle('--account-throttle', options.accountThrottle),
    functionIdleTimeoutMs,
    ...(workerLines && { followSource: workerLines.source }),
    runtimes: runtimeResolverFor(options),
  });

  // Handlers first: a signal that arrives as soon as we print must still stop us cleanly.
  let stopping = false;
  let dataPlane: Workers | undefined;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    const forced = setTimeout(() => process.exit(1), 10_000);
    forced.unref();
    // The workers first: until the last one is gone the primary answers their counters and saves
    // what they spent.
    void (async () => {
      await dataPlane?.stop().catch(() => undefined);
      await node.close().catch(() => undefined);
      logger.flush();
      process.exit(0);
    })();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  if (!worker)
    exitWithParent((why) => {
      logger.warn(`${why}: stopping`);
      stop('parent exited');
    });
  // logrotate's postrotate: `kill -HUP <pid>` makes the access log start a new file. Only then:
  // otherwise SIGHUP keeps its meaning (the terminal closed: stop).
  const logFile = (f: string | undefined) => f !== undefined && f !== '-';
  if (logFile(options.accessLog) || logFile(options.executionLog))
    process.on('SIGHUP', () => node.reopenLogs());
  if (worker) {
    // The primary is gone (or let us go): nothing would stop us otherwise.
    process.on('disconnect', () => stop('disconnect'));
    try {
      const address = await node.gateway.listen(port, options.host);
      reportToPrimary({ sallyport: 'listening', port: address.port });
    } catch (error) {
      reportToPrimary({ sallyport: 'listen-failed', message: (error as Error).message });
      await node.close();
      process.exit(1);
    }
    return;
  }

  const listening = async <T>(
    what: string,
    host: string,
    p: number,
    start: () => Promise<T>,
  ): Promise<T> => {
    try {
      return await start();
    } catch (error) {
      await node.close();
      throw new Error(`cannot listen on ${host}:${p} (${what}): ${(error as Error).message}`, {
        cause: error,
      });
    }
  };
  const address =
    workers > 1
      ? await listening('API calls', options.host, port, async () => {
          await checkPortFree(port, options.host);
          dataPlane = await startWorkers(workers, logger, (w) => workerLines?.attach(w));
          return { port: dataPlane.port };
        })
      : await listening('API calls', options.host, port, () =>
          node.gateway.listen(port, options.host),
        );
  const admin = options.admin
    ? await listening('admin API', options.adminHost, adminPort, () =>
        node.startAdmin(adminPort, options.adminHost),
      )
    : undefined;

  const host = options.host === '0.0.0.0' ? 'localhost' : options.host;
  const base = `http://${host}:${address.port}`;
  const lines = [`Sallyport listening on ${base}`];
  const sole = node.gateway.stages.soleApiId();
  for (const stage of node.gateway.stages.all()) {
    const url =
      stage.apiId === sole
        ? `${base}/${stage.stageName}`
        : `${base}/restapis/${stage.apiId}/${stage.stageName}/_user_request_`;
    lines.push(`  stage ${stage.stageName} of API ${stage.apiId}: ${url}`);
    lines.push(
      `    also http://${stage.apiId}.execute-api.localhost:${address.port}/${stage.stageName}`,
    );
  }
  lines.push(...notEmulatedLines(project));
  if (admin) {
    lines.push(
      `Admin API (AWS SDK/CLI --endpoint-url): http://${options.adminHost}:${admin.address.port}`,
    );
    if (admin.generatedAt)
      lines.push(`  generated admin credentials, stored in ${admin.generatedAt}`);
  }
  if (workers > 1) {
    lines.push(
      `Workers: ${workers} processes serve API calls on port ${address.port}; this one serves the admin API`,
    );
  }
  if (node.invoker.runsThreads()) {
    lines.push(
      "Warning: functions at isolation 'thread' share the gateway's process and protect nothing against hostile code: use --isolation sandbox for code you do not trust",
    );
  }
  lines.push(
    options.authorizerCache === 'redis'
      ? "Authorizer cache: shared in Redis (each process's own while Redis is unreachable)"
      : `Authorizer cache: ${workers > 1 ? "each worker's own" : "this process's own"} (--authorizer-cache redis shares it between processes and nodes)`,
  );
  lines.push(
    `State: ${options.store?.startsWith('postgres') ? 'PostgreSQL' : options.store === 'memory' ? 'memory' : dataDir}`,
  );
  lines.push(
    options.redis
      ? `Usage plans and throttles counted in Redis ${withoutPassword(options.redis)} (unreachable: ${options.redisUnavailable})`
      : workers > 1
        ? 'Usage plans and throttles counted by this process for all its workers (quota counts saved in the store)'
        : 'Usage plans and throttles counted in this process (quota counts saved in the store)',
  );
  process.stdout.write(lines.join('\n') + '\n');
  watchIfAsked(options, source, sourced, node);
}

/** One clear line naming the port, what it was for and the option that changes it. */
async function portFree(option: string, what: string, host: string, port: number): Promise<void> {
  try {
    await checkPortFree(port, host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'EADDRINUSE'
        ? 'is already in use'
        : code === 'EACCES'
          ? 'needs privileges this user does not have'
          : `cannot be listened on (${(error as Error).message})`;
    throw new Error(
      `port ${port} on ${host} (${what}) ${why}: stop what holds it, or choose another with ${option} (0 picks a free one)`,
      { cause: error },
    );
  }
}

/** A Redis URL fit to print: its password replaced. */
function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(invalid URL)';
  }
}
