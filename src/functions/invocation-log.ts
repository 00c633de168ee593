// One invocation's log on the main thread: every line goes to the gateway's logger as it arrives
// (function name and request id attached), and the last 4 KB are kept for `LogType: Tail`. The
// platform's own lines (START, END, REPORT, a timeout, a runtime's exit) are written here for
// every runtime, worker thread or process.
// Worker lines travel on a different port than the result, so the result says how many lines to
// expect and END/REPORT wait for them: the order is always START, function lines, END, REPORT.
// https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html#API_Invoke_ResponseSyntax
import { functionReport } from '../observability/channels.js';
import type { Logger } from '../observability/logger.js';
import type { LambdaErrorDocument } from './platform-errors.js';
import {
  endLine,
  reportLine,
  runtimeExitLine,
  startLine,
  timeoutLine,
  type ReportFields,
} from './platform-log-lines.js';

export const LOG_TAIL_BYTES = 4096;

export class InvocationLog {
  private readonly recent: string[] = [];
  private recentChars = 0;
  private workerLines = 0;
  private expectedWorkerLines = Infinity;
  private onAllWorkerLines: (() => void) | undefined;
  /** START, held until the environment takes the event (see `startOnceTaken`). */
  private pendingStart: string | undefined;
  /** The error a dying worker posted for this invocation, if any. */
  fatal: LambdaErrorDocument | undefined;

  constructor(
    private readonly logger: Logger,
    readonly requestId: string,
    private readonly functionName: string,
  ) {}

  /**
   * `platform`: START, END and REPORT, which every invocation writes, go to the debug level —
   * at info the log shows the request line and what functions themselves print.
   */
  write(line: string, platform = false): void {
    if (this.pendingStart !== undefined) {
      const start = this.pendingStart;
      this.pendingStart = undefined;
      this.write(start, true);
    }
    if (platform) this.logger.debug({ requestId: this.requestId }, line);
    else this.logger.info({ requestId: this.requestId }, line);
    this.recent.push(line);
    this.recentChars += line.length + 1;
    // Chars ≥ bytes/4 for UTF-8, so keeping 4× the budget in chars always covers the byte tail.
    while (this.recentChars - this.recent[0]!.length - 1 > LOG_TAIL_BYTES * 4) {
      this.recentChars -= this.recent.shift()!.length + 1;
    }
  }

  start(version: string): void {
    this.write(startLine(this.requestId, version), true);
  }

  /**
   * START for an event the environment may still refuse (JSON text it parses itself): written
   * before the next line of this invocation, dropped by `refused()` — Lambda writes no log for an
   * event it refuses.
   */
  startOnceTaken(version: string): void {
    this.pendingStart = startLine(this.requestId, version);
  }

  /** The environment refused the event: the invocation never started. */
  refused(): void {
    this.pendingStart = undefined;
  }

  /** The invocation ran past its Timeout: the platform's line, and REPORT's status. */
  timedOut(timeoutSeconds: number, report: ReportFields): void {
    this.write(timeoutLine(this.requestId, timeoutSeconds));
    report.status = 'timeout';
  }

  /** The environment ended without a result: how the runtime exited, and REPORT's status. */
  runtimeExited(document: LambdaErrorDocument, report: ReportFields): void {
    this.write(runtimeExitLine(document.errorMessage, document.errorType));
    this.failed(document, report);
  }

  /** REPORT's status for an invocation that ended the environment with an error. */
  failed(document: LambdaErrorDocument, report: ReportFields): void {
    report.status = 'error';
    report.errorType = document.errorType;
  }

  /** END and REPORT, the last lines of every invocation. */
  end(report: ReportFields): void {
    this.write(endLine(this.requestId), true);
    this.write(reportLine(this.requestId, report), true);
    if (functionReport.hasSubscribers)
      functionReport.publish({
        functionName: this.functionName,
        durationMs: report.durationMs,
        initDurationMs: report.initDurationMs,
        status: report.status,
      });
  }

  writeFromWorker(line: string): void {
    this.write(line);
    this.workerLines++;
    if (this.workerLines >= this.expectedWorkerLines) this.onAllWorkerLines?.();
  }

  /** Resolves once `count` worker lines have arrived; undefined when they already have. */
  workerLinesReceived(count: number): Promise<void> | undefined {
    if (this.workerLines >= count) return undefined;
    this.expectedWorkerLines = count;
    return new Promise((resolve) => {
      this.onAllWorkerLines = resolve;
    });
  }

  /** The last 4 KB (UTF-8 bytes) of the log, lines separated by `\n`, ending with a newline. */
  tail(): string {
    const text = this.recent.join('\n') + '\n';
    if (Buffer.byteLength(text) <= LOG_TAIL_BYTES) return text;
    const bytes = Buffer.from(text, 'utf8');
    return bytes.subarray(bytes.length - LOG_TAIL_BYTES).toString('utf8');
  }
}
