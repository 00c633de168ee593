// Invoke's answer for an invocation a worker finished: its result, and the log tail (4 KB, what
// `LogType: Tail` returns) built only when read, since the gateway never reads it.
// https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
import type { InvocationLog } from '../invocation-log.js';
import type { InvokeResult } from '../invoker.js';
import type { ReportFields } from '../platform-log-lines.js';
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
