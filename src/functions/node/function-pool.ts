// One function's warm execution environments: a Piscina pool of worker threads, one invocation at
// a time per worker (as one Lambda execution environment serves one request at a time), kept warm
// for ten idle minutes. The Timeout is enforced from here; a worker that hangs, exits or crashes is
// terminated and replaced while the pool keeps serving, and the caller gets Lambda's answer.
// https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
import { dirname, extname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { lambdaFunctionArn } from '../../model/arn.js';
import type { FunctionConfig, Settings } from '../../model/types.js';
import type { Logger } from '../../observability/logger.js';
import type { InvokeResult } from '../invoker.js';
import { InvocationLog } from '../invocation-log.js';
import {
  exitErrorDocument,
  outOfMemoryErrorDocument,
  timeoutErrorDocument,
  type LambdaErrorDocument,
} from '../platform-errors.js';
import { functionEnvironment, LATEST_VERSION, logGroupName } from '../lambda-environment.js';
import {
  endLine,
  reportLine,
  runtimeExitLine,
  startLine,
  timeoutLine,
  type ReportFields,
} from '../platform-log-lines.js';
import type {
  InvokeOutcome,
  InvokeTask,
  WorkerMessage,
  WorkerSettings,
} from './worker-protocol.js';
import { isWorkerMessage } from './worker-protocol.js';

// Same extension as this module: worker-entry.js from dist/, worker-entry.ts under tsx.
const thisFile = fileURLToPath(import.meta.url);
const WORKER_FILE = join(dirname(thisFile), `worker-entry${extname(thisFile)}`);

const IDLE_TIMEOUT_MS = 10 * 60 * 1000;

export interface FunctionPoolOptions {
  config: FunctionConfig;
  settings: Settings;
  logger: Logger;
  maxThreads: number;
}

export class FunctionPool {
  readonly config: FunctionConfig;
  private readonly pool: Piscina<InvokeTask, InvokeOutcome>;
  private readonly logger: Logger;
  private readonly timeoutMs: number;
  private readonly inFlight = new Map<string, InvocationLog>();
  /** The last Max Memory Used a worker reported, for REPORT lines of workers that died. */
  private lastMaxMemoryUsedMB = 0;

  constructor({ config, settings, logger, maxThreads }: FunctionPoolOptions) {
    this.config = config;
    this.logger = logger.child({ functionName: config.FunctionName });
    this.timeoutMs = config.Timeout * 1000;
    const workerData: WorkerSettings = {
      functionName: config.FunctionName,
      functionVersion: LATEST_VERSION,
      handler: config.Handler,
      taskRoot: config.Code,
      memorySize: config.MemorySize,
      invokedFunctionArn: lambdaFunctionArn(settings, config.FunctionName),
      logGroupName: logGroupName(config.FunctionName),
    };
    this.pool = new Piscina<InvokeTask, InvokeOutcome>({
      filename: WORKER_FILE,
      minThreads: 0,
      maxThreads,
      idleTimeout: IDLE_TIMEOUT_MS,
      concurrentTasksPerWorker: 1,
      // Workers keep a live event loop between invocations (timers, sockets), like a process.
      atomics: 'disabled',
      env: functionEnvironment(config, settings),
      workerData,
      // The function's MemorySize bounds its heap; exceeding it ends the environment.
      resourceLimits: { maxOldGenerationSizeMb: config.MemorySize },
    });
    this.pool.on('message', (message: unknown) => {
      if (isWorkerMessage(message)) this.onWorkerMessage(message);
    });
    // A worker that dies between invocations has nobody to answer; it is replaced on demand.
    this.pool.on('error', (error: unknown) => {
      this.logger.warn({ err: error }, 'function environment ended between invocations');
    });
  }

  async invoke(requestId: string, event: unknown): Promise<InvokeResult> {
    const log = new InvocationLog(this.logger, requestId);
    this.inFlight.set(requestId, log);
    log.write(startLine(requestId, LATEST_VERSION));
    const started = performance.now();
    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, this.timeoutMs);
    try {
      const task: InvokeTask = { requestId, event, deadline: Date.now() + this.timeoutMs };
      const outcome = await this.pool.run(task, { signal: abort.signal });
      clearTimeout(timer);
      const pending = log.workerLinesReceived(outcome.logLines);
      if (pending) await pending;
      return this.completed(log, outcome);
    } catch (error) {
      clearTimeout(timer);
      return await this.failed(log, error, timedOut, performance.now() - started);
    } finally {
      this.inFlight.delete(requestId);
    }
  }

  /** Lets in-flight invocations finish, then ends the workers. */
  async close(): Promise<void> {
    await this.pool.close();
  }

  async destroy(): Promise<void> {
    await this.pool.destroy();
  }

  private onWorkerMessage(message: WorkerMessage): void {
    const log = this.inFlight.get(message.requestId);
    if (message.kind === 'fatal') {
      if (log) log.fatal = message.error;
      return;
    }
    // A line written after its invocation ended (a stray timer) still reaches the logger.
    if (log) log.writeFromWorker(message.line);
    else this.logger.info({ requestId: message.requestId }, message.line);
  }

  private completed(log: InvocationLog, outcome: InvokeOutcome): InvokeResult {
    this.lastMaxMemoryUsedMB = outcome.maxMemoryUsedMB;
    const report: ReportFields = {
      durationMs: outcome.durationMs,
      memorySizeMB: this.config.MemorySize,
      maxMemoryUsedMB: outcome.maxMemoryUsedMB,
    };
    if (outcome.initDurationMs !== undefined) report.initDurationMs = outcome.initDurationMs;
    log.write(endLine(log.requestId));
    log.write(reportLine(log.requestId, report));
    const result: InvokeResult = {
      requestId: log.requestId,
      payload: outcome.payload,
      logTail: log.tail(),
    };
    if (outcome.error) {
      result.functionError = 'Unhandled';
      result.errorType = outcome.error.errorType;
      result.errorMessage = outcome.error.errorMessage;
    }
    return result;
  }

  private async failed(
    log: InvocationLog,
    error: unknown,
    timedOut: boolean,
    durationMs: number,
  ): Promise<InvokeResult> {
    // Lines a hung worker posted before it was terminated are already queued to this thread;
    // one turn of the event loop delivers them before END and REPORT are written.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const { requestId } = log;
    let document: LambdaErrorDocument;
    let status: string;
    if (timedOut) {
      log.write(timeoutLine(requestId, this.config.Timeout));
      document = timeoutErrorDocument(requestId, this.config.Timeout);
      status = 'timeout';
    } else if (log.fatal) {
      document = log.fatal;
      status = 'error';
    } else if ((error as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
      document = outOfMemoryErrorDocument(requestId);
      log.write(runtimeExitLine(document.errorMessage, document.errorType));
      status = 'error';
    } else {
      const exitCode = workerExitCode(error);
      // Anything else (the pool was closed or destroyed) is not the function's failure.
      if (exitCode === undefined) throw error;
      document = exitErrorDocument(requestId, exitCode);
      log.write(runtimeExitLine(document.errorMessage, document.errorType));
      status = 'error';
    }
    log.write(endLine(requestId));
    const report: ReportFields = {
      durationMs,
      memorySizeMB: this.config.MemorySize,
      maxMemoryUsedMB: this.lastMaxMemoryUsedMB,
      status,
    };
    if (status === 'error') report.errorType = document.errorType;
    log.write(reportLine(requestId, report));
    return {
      requestId,
      payload: JSON.stringify(document),
      functionError: 'Unhandled',
      errorType: document.errorType,
      errorMessage: document.errorMessage,
      logTail: log.tail(),
    };
  }
}

/** Piscina reports a worker that ended mid-task as `worker exited with code: N`. */
function workerExitCode(error: unknown): number | undefined {
  if (!(error instanceof Error)) return undefined;
  const match = /^worker exited with code: (\d+)$/.exec(error.message);
  return match ? Number(match[1]) : undefined;
}
