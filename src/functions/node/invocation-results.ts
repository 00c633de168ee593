// Invoke's answers for a worker-thread pool: an invocation its worker finished (the log tail, 4 KB
// for `LogType: Tail`, built only when read, since the gateway never reads it), and one whose
// worker ended without a result (timeout, crash, out of memory), as the platform answers it.
// https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
// https://docs.aws.amazon.com/lambda/latest/dg/troubleshooting-invocation.html
import { performance } from 'node:perf_hooks';
import type { FunctionConfig } from '../../model/types.js';
import type { InvocationLog } from '../invocation-log.js';
import type { InvokeResult } from '../invoker.js';
import {
  exitErrorDocument,
  outOfMemoryErrorDocument,
  platformErrorResult,
  timeoutErrorDocument,
  type LambdaErrorDocument,
} from '../platform-errors.js';
import type { ReportFields } from '../platform-log-lines.js';
import type { Invocation, WorkerEnvironment } from './worker-environment.js';
import type { InvokeOutcome } from './worker-protocol.js';

class CompletedInvocation implements InvokeResult {
  functionError?: 'Unhandled';
  errorType?: string;
  errorMessage?: string;
  private tail: string | undefined;

  constructor(
    readonly requestId: string,
    readonly payload: string,
    private log: InvocationLog | (() => InvocationLog),
  ) {}

  get logTail(): string {
    if (this.tail === undefined) {
      if (typeof this.log === 'function') this.log = this.log();
      this.tail = this.log.tail();
    }
    return this.tail;
  }
}

/**
 * The result of a worker's outcome. END and REPORT go to the log now when info lines are logged;
 * with them filtered out, they are only built if the tail is asked for.
 */
export function completedInvocation(
  log: InvocationLog,
  outcome: InvokeOutcome,
  memorySizeMB: number,
  logsInfo: boolean,
): InvokeResult {
  const report: ReportFields = {
    durationMs: outcome.durationMs,
    memorySizeMB,
    maxMemoryUsedMB: outcome.maxMemoryUsedMB,
  };
  if (outcome.initDurationMs !== undefined) report.initDurationMs = outcome.initDurationMs;
  const ended = () => {
    log.end(report);
    return log;
  };
  const result = new CompletedInvocation(
    log.requestId,
    outcome.payload,
    logsInfo ? ended() : ended,
  );
  if (outcome.error) {
    result.functionError = 'Unhandled';
    result.errorType = outcome.error.errorType;
    result.errorMessage = outcome.error.errorMessage;
  }
  return result;
}

/**
 * The answer for an invocation whose worker ended without a result; it ran until now, and the
 * worker last reported `maxMemoryUsedMB`.
 */
export async function endedInvocation(
  invocation: Invocation,
  environment: WorkerEnvironment,
  exitCode: number,
  config: Pick<FunctionConfig, 'Timeout' | 'MemorySize'>,
  maxMemoryUsedMB: number,
): Promise<InvokeResult> {
  const { log } = invocation;
  const timeoutSeconds = config.Timeout;
  const report: ReportFields = {
    durationMs: performance.now() - invocation.started,
    memorySizeMB: config.MemorySize,
    maxMemoryUsedMB,
  };
  // Lines a hung worker posted before it was terminated may still be queued to this thread;
  // one turn of the event loop delivers them before END and REPORT are written.
  await new Promise<void>((resolve) => setImmediate(resolve));
  const { requestId } = log;
  let document: LambdaErrorDocument;
  if (environment.timedOut) {
    document = timeoutErrorDocument(requestId, timeoutSeconds);
    log.timedOut(timeoutSeconds, report);
  } else if (log.fatal) {
    document = log.fatal;
    log.failed(document, report);
  } else {
    document = environment.outOfMemory
      ? outOfMemoryErrorDocument(requestId)
      : exitErrorDocument(requestId, exitCode);
    log.runtimeExited(document, report);
  }
  log.end(report);
  const result = platformErrorResult(requestId, document);
  result.logTail = log.tail();
  return result;
}
