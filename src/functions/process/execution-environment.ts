// One execution environment of a process runtime: a child process (Python's bootstrap, a custom
// runtime's own `bootstrap`, or Node.js) and the Runtime API server it talks to. It serves one
// invocation at a time; a timeout, an exit or an init error ends it, and the pool replaces it.
// https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
// https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { FunctionConfig } from '../../model/types.js';
import type { Logger } from '../../observability/logger.js';
import type { InvocationLog } from '../invocation-log.js';
import type { InvokeResult } from '../invoker.js';
import { INIT_TIMEOUT_MS, LATEST_VERSION } from '../lambda-environment.js';
import { functionTraceHeader } from '../trace-header.js';
import {
  exitErrorDocument,
  invalidEntrypointErrorDocument,
  platformErrorResult,
  responseTooLargeErrorDocument,
  signalExitErrorDocument,
  timeoutErrorDocument,
  type LambdaErrorDocument,
} from '../platform-errors.js';
import type { ReportFields } from '../platform-log-lines.js';
import { RuntimeApiServer, type RuntimeOutcome } from '../runtime-api/runtime-api-server.js';
import type { Confinement } from '../sandbox/confinement.js';
import type { Launch } from './runtime-launchers.js';

/** "The Init phase is limited to 10 seconds"; a cold invocation gets it on top of its Timeout. */
/** How long a runtime that is being stopped gets between SIGTERM and SIGKILL. */
export const KILL_GRACE_MS = 500;
/** How long to wait, after a runtime exited, for the last lines still in its pipes. */
const DRAIN_MS = 200;
/** /proc/PID/status is read into this (it is about 1.5 kB); one read at a time, synchronously. */
const STATUS_BUFFER = Buffer.alloc(8192);

export interface EnvironmentOptions {
  config: FunctionConfig;
  launch: Launch;
  /** The function's variables (lambda-environment.ts); the Runtime API address is added here. */
  env: Record<string, string>;
  invokedFunctionArn: string;
  logger: Logger;
  killGraceMs?: number;
  /**
   * The runtime's sandbox (isolation `sandbox`: its Runtime API on a socket only it reaches), or
   * its cgroup (isolation `process`, where sallyport can create one).
   */
  confinement?: Confinement;
}

type Ended =
  | RuntimeOutcome
  | { kind: 'exit'; code: number | null; signal: NodeJS.Signals | null }
  | { kind: 'spawnError'; code: string | undefined }
  | { kind: 'timeout' };

export class ExecutionEnvironment {
  /** False once the process ended or was told to; the pool then drops it. */
  alive = true;
  lastUsed = performance.now();
  private readonly options: EnvironmentOptions;
  private readonly ready: Promise<RuntimeApiServer>;
  private api: RuntimeApiServer | undefined;
  private child: ChildProcess | undefined;
  private spawnedAt = 0;
  private ended!: Promise<Ended>;
  private stdioClosed!: Promise<void>;
  private log: InvocationLog | undefined;
  private lastRequestId: string | undefined;
  private initReported = false;
  private maxMemoryUsedMB = 0;
  /** /proc/PID/status, kept open: re-read from offset 0 it is current, at a third of an open's cost. */
  private statusFd: number | undefined;

  constructor(options: EnvironmentOptions) {
    this.options = options;
    this.ready = this.start();
    // A failure to listen surfaces in invoke(); never as an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  private async start(): Promise<RuntimeApiServer> {
    const { config, launch, confinement } = this.options;
    const api = await RuntimeApiServer.listen(confinement?.socketPath).catch((error: unknown) => {
      confinement?.dispose();
      throw error;
    });
    this.api = api;
    // One log stream per execution environment: `YYYY/MM/DD/[$LATEST]<32 hex>`.
    const logStreamName = `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[${LATEST_VERSION}]${randomBytes(16).toString('hex')}`;
    const env = {
      ...this.options.env,
      ...launch.env,
      AWS_LAMBDA_RUNTIME_API: confinement?.runtimeApi ?? api.address,
      AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
    };
    const child = spawn(confinement?.command ?? launch.command, confinement?.args ?? launch.args, {
      cwd: config.Code,
      env: confinement ? confinement.environment(env) : env,
      // Its own process group, so a timeout can end the runtime and everything it started.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.spawnedAt = performance.now();
    this.ended = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.alive = false;
        this.closeStatus();
        confinement?.dispose();
        resolve({ kind: 'exit', code, signal: signal ?? confinement?.signalOf(code) ?? null });
      });
      child.once('error', (error: NodeJS.ErrnoException) => {
        this.alive = false;
        this.closeStatus();
        confinement?.dispose();
        resolve({ kind: 'spawnError', code: error.code });
      });
    });
    this.stdioClosed = new Promise((resolve) => child.once('close', () => resolve()));
    this.readLines(child.stdout);
    this.readLines(child.stderr);
    return api;
  }

  /** Runs one invocation: START, the runtime's lines, END, REPORT, and Lambda's answer. */
  async invoke(
    requestId: string,
    eventJson: string,
    log: InvocationLog,
    traceHeader: string = functionTraceHeader(),
  ): Promise<InvokeResult> {
    this.log = log;
    this.lastRequestId = requestId;
    log.start(LATEST_VERSION);
    const started = performance.now();
    const api = await this.ready;
    const cold = api.initDoneAt === undefined;
    const timeoutMs = this.options.config.Timeout * 1000;
    let expire: () => void = () => undefined;
    const timedOut = new Promise<Ended>((resolve) => {
      expire = () => resolve({ kind: 'timeout' });
    });
    let timer: NodeJS.Timeout | undefined;
    let runStarted = started;
    const outcome = api.invoke(
      {
        requestId,
        event: eventJson,
        timeoutMs,
        invokedFunctionArn: this.options.invokedFunctionArn,
        traceId: traceHeader,
      },
      () => {
        runStarted = performance.now();
        clearTimeout(timer);
        timer = setTimeout(expire, timeoutMs);
      },
    );
    // Not handed over at once (a runtime still starting or not yet back in `next`): the wait
    // counts too, and a cold start has Lambda's init budget on top.
    timer ??= setTimeout(expire, timeoutMs + (cold ? INIT_TIMEOUT_MS : 0));
    const ended = await Promise.race([outcome, this.ended, timedOut]);
    clearTimeout(timer);
    const durationMs = performance.now() - runStarted;
    this.lastUsed = performance.now();
    try {
      return await this.finish(log, ended, durationMs, cold);
    } finally {
      this.log = undefined;
    }
  }

  /** Stops the runtime: SIGTERM to its process group, SIGKILL after the grace period. */
  kill(): void {
    this.alive = false;
    void this.api?.close();
    const pid = this.child?.pid;
    if (pid === undefined || this.child?.exitCode !== null) return;
    // Its whole cgroup ends now, processes that left the process group included.
    this.options.confinement?.killAll();
    signalGroup(pid, 'SIGTERM');
    setTimeout(
      () => signalGroup(pid, 'SIGKILL'),
      this.options.killGraceMs ?? KILL_GRACE_MS,
    ).unref();
  }

  private async finish(
    log: InvocationLog,
    ended: Ended,
    durationMs: number,
    cold: boolean,
  ): Promise<InvokeResult> {
    const { requestId } = log;
    const { config } = this.options;
    const report: ReportFields = {
      durationMs,
      memorySizeMB: config.MemorySize,
      maxMemoryUsedMB: 0,
    };
    if (cold && !this.initReported && this.api?.initDoneAt !== undefined) {
      report.initDurationMs = this.api.initDoneAt - this.spawnedAt;
      this.initReported = true;
    }
    let result: InvokeResult;
    switch (ended.kind) {
      case 'response':
        // Lines the runtime flushed just before posting are one event-loop turn behind.
        await new Promise<void>((resolve) => setImmediate(resolve));
        result = { requestId, payload: ended.payload.toString('utf8') };
        break;
      case 'error':
      case 'initError':
        await new Promise<void>((resolve) => setImmediate(resolve));
        result = runtimeError(requestId, ended.payload.toString('utf8'), ended.errorType);
        if (ended.kind === 'initError') {
          // The runtime exits after reporting; make sure of it.
          this.kill();
          report.status = 'error';
          report.errorType = result.errorType!;
        }
        break;
      case 'tooLarge':
        result = platformErrorResult(requestId, responseTooLargeErrorDocument());
        break;
      case 'timeout':
        this.kill();
        log.timedOut(config.Timeout, report);
        result = platformErrorResult(requestId, timeoutErrorDocument(requestId, config.Timeout));
        break;
      case 'exit':
      case 'spawnError': {
        this.kill();
        await Promise.race([this.stdioClosed, delay(DRAIN_MS)]);
        const document = this.exitDocument(requestId, ended);
        log.runtimeExited(document, report);
        result = platformErrorResult(requestId, document);
        break;
      }
    }
    report.maxMemoryUsedMB = this.memoryUsedMB();
    log.end(report);
    result.logTail = log.tail();
    return result;
  }

  private closeStatus(): void {
    if (this.statusFd === undefined) return;
    closeSync(this.statusFd);
    this.statusFd = undefined;
  }

  private exitDocument(
    requestId: string,
    ended: Extract<Ended, { kind: 'exit' | 'spawnError' }>,
  ): LambdaErrorDocument {
    if (ended.kind === 'spawnError')
      return invalidEntrypointErrorDocument(requestId, this.options.launch.command, ended.code);
    if (ended.signal) return signalExitErrorDocument(requestId, ended.signal);
    return exitErrorDocument(requestId, ended.code ?? 0);
  }

  private readLines(stream: NodeJS.ReadableStream): void {
    stream.setEncoding('utf8');
    let partial = '';
    stream.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop()!;
      for (const line of lines) this.writeLine(line);
    });
    stream.on('end', () => {
      if (partial !== '') this.writeLine(partial);
      partial = '';
    });
  }

  private writeLine(line: string): void {
    if (this.log) this.log.write(line);
    // Between invocations (a background thread, a late line): still logged, with the last id.
    else this.options.logger.info({ requestId: this.lastRequestId }, line);
  }

  /** Peak memory (a sandbox's cgroup peak, else Linux VmHWM), as REPORT's Max Memory Used. */
  private memoryUsedMB(): number {
    const peak = this.options.confinement?.peakMemoryMB();
    if (peak !== undefined) return (this.maxMemoryUsedMB = Math.max(this.maxMemoryUsedMB, peak));
    const pid = this.child?.pid;
    if (pid === undefined || process.platform !== 'linux') return this.maxMemoryUsedMB;
    try {
      this.statusFd ??= openSync(`/proc/${pid}/status`, 'r');
      const length = readSync(this.statusFd, STATUS_BUFFER, 0, STATUS_BUFFER.length, 0);
      const at = STATUS_BUFFER.indexOf('VmHWM:');
      if (at !== -1 && at < length) {
        const kB = parseInt(STATUS_BUFFER.toString('latin1', at + 6, at + 30).trim(), 10);
        if (kB > 0) this.maxMemoryUsedMB = Math.max(this.maxMemoryUsedMB, Math.ceil(kB / 1024));
      }
    } catch {
      // the process is gone: keep the last value
    }
    return this.maxMemoryUsedMB;
  }
}

/** What the runtime posted to `…/error` or `init/error`: the body is the payload, as Invoke returns it. */
function runtimeError(
  requestId: string,
  payload: string,
  headerType: string | undefined,
): InvokeResult {
  let errorType = headerType;
  let errorMessage: string | undefined;
  try {
    const document = JSON.parse(payload) as { errorType?: unknown; errorMessage?: unknown };
    if (typeof document.errorType === 'string') errorType = document.errorType;
    if (typeof document.errorMessage === 'string') errorMessage = document.errorMessage;
  } catch {
    // not JSON: Lambda passes the body through unchanged
  }
  const result: InvokeResult = { requestId, payload, functionError: 'Unhandled' };
  result.errorType = errorType ?? 'Unhandled';
  if (errorMessage !== undefined) result.errorMessage = errorMessage;
  return result;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
