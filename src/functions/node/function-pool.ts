// One function's warm execution environments: worker threads, one invocation at a time per worker
// (as one Lambda execution environment serves one request at a time), kept warm for ten idle
// minutes. The Timeout is enforced from here; a worker that hangs, exits or crashes is terminated
// and replaced while the pool keeps serving, and the caller gets Lambda's answer.
// https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
//
// Our own pool rather than Piscina, because this is the gateway's hot path (docs/performance.md):
// one postMessage each way, no AbortSignal or timer per call (one timer serves every deadline of
// the pool), log lines and the result share the port so they arrive in order, and under load a
// busy worker is sent its next invocations ahead (PIPELINE_DEPTH): it runs them one at a time as
// before, but never sleeps between two waiting for a cross-thread wake-up, which measured as the
// largest cost of all (about 100 µs per invocation on a 2-vCPU VM).
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { lambdaFunctionArn } from '../../model/arn.js';
import type { FunctionConfig, Settings } from '../../model/types.js';
import type { Logger } from '../../observability/logger.js';
import type { InvokeResult } from '../invoker.js';
import type { ProxyEventValues } from '../lambda-proxy-event.js';
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
  InvokeMessage,
  InvokeOutcome,
  WorkerMessage,
  WorkerSettings,
} from './worker-protocol.js';

// Same extension as this module: worker-entry.js from dist/, worker-entry.ts under tsx.
const thisFile = fileURLToPath(import.meta.url);
const WORKER_FILE = join(dirname(thisFile), `worker-entry${extname(thisFile)}`);
// A worker's main script must be JavaScript. Under tsx (the tests) tsx's hooks do not reach worker
// threads, so a one-line CommonJS script registers tsx's require hook, then requires the .ts entry.
const WORKER_SCRIPT = WORKER_FILE.endsWith('.ts')
  ? {
      script: `require(${JSON.stringify(createRequire(thisFile).resolve('tsx/cjs'))});require(${JSON.stringify(WORKER_FILE)})`,
      eval: true,
    }
  : { script: WORKER_FILE, eval: false };

const IDLE_TIMEOUT_MS = 10 * 60 * 1000;
const IDLE_SWEEP_MS = 60 * 1000;
/** Invocations a worker may hold: the one it runs and those sent ahead, waiting in its queue. */
const PIPELINE_DEPTH = 16;
/**
 * A worker whose current invocation has run this long is not sent more ahead: a slow or hung
 * handler must not hold up the next request while another worker could start for it.
 */
const PIPELINE_STALL_MS = 10;

export interface FunctionPoolOptions {
  config: FunctionConfig;
  settings: Settings;
  logger: Logger;
  /** Most workers (concurrent invocations). */
  maxThreads: number;
  /** Workers started before busy ones are sent invocations ahead; default maxThreads. */
  preferredThreads?: number;
}

interface Invocation {
  requestId: string;
  event: unknown;
  proxyEvent: ProxyEventValues | undefined;
  log: InvocationLog;
  /** performance.now() when the worker started it; the Timeout counts from there. */
  started: number;
  deadline: number;
  resolve: (result: InvokeResult) => void;
  reject: (error: unknown) => void;
}

/** A result whose log tail (4 KB, Invoke's `LogType: Tail`) is built when read, if ever. */
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

/** One worker thread: one execution environment. */
interface Environment {
  worker: Worker;
  /** Sent to the worker, in order: the first one runs, the others wait in the worker's queue. */
  sent: Invocation[];
  /** Messages not yet posted: every invocation of one event-loop turn goes in one postMessage. */
  outbox: InvokeMessage[];
  idleSince: number;
  /** The pool ended it (timeout, idle, close): its exit is expected. */
  ending: boolean;
  timedOut: boolean;
  outOfMemory: boolean;
}

export class FunctionPool {
  readonly config: FunctionConfig;
  private readonly logger: Logger;
  private readonly timeoutMs: number;
  private readonly maxThreads: number;
  private readonly preferredThreads: number;
  private readonly workerOptions: ConstructorParameters<typeof Worker>[1];
  private readonly environments = new Set<Environment>();
  /** Idle workers, most recently used last: the warmest is reused first. */
  private readonly idle: Environment[] = [];
  private readonly queue: Invocation[] = [];
  /** Workers with messages to post at the end of this event-loop turn. */
  private outboxes: Environment[] = [];
  private flushScheduled = false;
  /** One timer for every deadline: armed at the earliest, re-armed from there. */
  private deadlineTimer: NodeJS.Timeout | undefined;
  private deadlineAt = Infinity;
  private readonly idleTimer: NodeJS.Timeout;
  private closing: (() => void) | undefined;
  private destroyed = false;
  /** The last Max Memory Used a worker reported, for REPORT lines of workers that died. */
  private lastMaxMemoryUsedMB = 0;

  constructor({ config, settings, logger, maxThreads, preferredThreads }: FunctionPoolOptions) {
    this.config = config;
    this.logger = logger.child({ functionName: config.FunctionName });
    this.timeoutMs = config.Timeout * 1000;
    this.maxThreads = Math.max(1, maxThreads);
    this.preferredThreads = Math.min(this.maxThreads, Math.max(1, preferredThreads ?? maxThreads));
    const workerData: WorkerSettings = {
      functionName: config.FunctionName,
      functionVersion: LATEST_VERSION,
      handler: config.Handler,
      taskRoot: config.Code,
      memorySize: config.MemorySize,
      invokedFunctionArn: lambdaFunctionArn(settings, config.FunctionName),
      logGroupName: logGroupName(config.FunctionName),
    };
    this.workerOptions = {
      workerData,
      env: functionEnvironment(config, settings),
      // The function's MemorySize bounds its heap; exceeding it ends the environment.
      resourceLimits: { maxOldGenerationSizeMb: config.MemorySize },
    };
    this.idleTimer = setInterval(() => this.reapIdle(), IDLE_SWEEP_MS).unref();
  }

  invoke(
    requestId: string,
    event: unknown,
    proxyEvent?: ProxyEventValues,
  ): Promise<InvokeResult> {
    if (this.destroyed || this.closing)
      return Promise.reject(new Error('the function pool is closed'));
    return new Promise<InvokeResult>((resolve, reject) => {
      const invocation: Invocation = {
        requestId,
        event,
        proxyEvent,
        log: new InvocationLog(this.logger, requestId),
        started: 0,
        deadline: 0,
        resolve,
        reject,
      };
      const idle = this.idle.pop();
      // An idle worker does not keep the process alive; a busy one does.
      if (idle) idle.worker.ref();
      const environment =
        idle ??
        this.spawn(this.preferredThreads) ??
        this.leastLoaded() ??
        this.spawn(this.maxThreads);
      if (environment) this.send(environment, invocation);
      else this.queue.push(invocation);
    });
  }

  /** Lets in-flight and queued invocations finish, then ends the workers. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.closing = resolve;
      this.endIfDrained();
    });
  }

  /** Ends every worker now; invocations still running are rejected. */
  async destroy(): Promise<void> {
    this.destroyed = true;
    clearInterval(this.idleTimer);
    clearTimeout(this.deadlineTimer);
    for (const invocation of this.queue.splice(0))
      invocation.reject(new Error('the function pool was destroyed'));
    const ending = [...this.environments].map((environment) => {
      environment.ending = true;
      return environment.worker.terminate();
    });
    await Promise.all(ending);
  }

  private spawn(limit: number): Environment | undefined {
    if (this.environments.size >= limit) return undefined;
    const environment: Environment = {
      worker: new Worker(WORKER_SCRIPT.script, { ...this.workerOptions, eval: WORKER_SCRIPT.eval }),
      sent: [],
      outbox: [],
      idleSince: 0,
      ending: false,
      timedOut: false,
      outOfMemory: false,
    };
    const { worker } = environment;
    worker.on('message', (message: WorkerMessage) => this.onMessage(environment, message));
    worker.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') environment.outOfMemory = true;
      else if (environment.sent.length === 0)
        this.logger.warn({ err: error }, 'function environment failed between invocations');
    });
    worker.on('exit', (code: number) => this.onExit(environment, code));
    this.environments.add(environment);
    return environment;
  }

  /** The busy worker with the fewest invocations sent, if one can take another. */
  private leastLoaded(): Environment | undefined {
    const stalled = performance.now() - PIPELINE_STALL_MS;
    let best: Environment | undefined;
    for (const environment of this.environments) {
      const load = environment.sent.length;
      if (load >= PIPELINE_DEPTH || (best && load >= best.sent.length)) continue;
      if (environment.sent[0]!.started < stalled) continue;
      best = environment;
    }
    return best;
  }

  private send(environment: Environment, invocation: Invocation): void {
    environment.sent.push(invocation);
    const message: InvokeMessage = {
      requestId: invocation.requestId,
      event: invocation.event,
      proxyEvent: invocation.proxyEvent,
      timeoutMs: this.timeoutMs,
    };
    if (environment.outbox.push(message) === 1) this.outboxes.push(environment);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flush);
    }
    if (environment.sent.length === 1) this.started(invocation);
  }

  /**
   * Posting to a thread costs far more than cloning the event (a wake-up of the other thread),
   * so the invocations one turn of the event loop sends to a worker travel together.
   */
  private readonly flush = (): void => {
    this.flushScheduled = false;
    const outboxes = this.outboxes;
    this.outboxes = [];
    for (const environment of outboxes) {
      const { outbox } = environment;
      environment.outbox = [];
      if (environment.ending || outbox.length === 0) continue;
      environment.worker.postMessage(outbox.length === 1 ? outbox[0] : outbox);
    }
  };

  /** The worker begins the invocation now (as far as this thread can tell). */
  private started(invocation: Invocation): void {
    invocation.log.write(startLine(invocation.requestId, LATEST_VERSION));
    invocation.started = performance.now();
    invocation.deadline = invocation.started + this.timeoutMs;
    if (invocation.deadline < this.deadlineAt) this.armDeadline(invocation.deadline);
  }

  /** A worker finished one: its next starts; it is topped up from the queue, or goes idle. */
  private finished(environment: Environment): void {
    const next = environment.sent[0];
    if (next) this.started(next);
    while (environment.sent.length < PIPELINE_DEPTH) {
      const queued = this.queue.shift();
      if (!queued) break;
      this.send(environment, queued);
    }
    if (environment.sent.length > 0) return;
    environment.idleSince = performance.now();
    environment.worker.unref();
    this.idle.push(environment);
    this.endIfDrained();
  }

  private onMessage(environment: Environment, message: WorkerMessage): void {
    const invocation = environment.sent[0];
    const current = invocation !== undefined && invocation.requestId === message.requestId;
    if (message.kind === 'result') {
      if (!current) return;
      environment.sent.shift();
      const pending = invocation.log.workerLinesReceived(message.outcome.logLines);
      if (pending)
        void pending.then(() => invocation.resolve(this.completed(invocation, message.outcome)));
      else invocation.resolve(this.completed(invocation, message.outcome));
      this.finished(environment);
    } else if (message.kind === 'fatal') {
      if (current) invocation.log.fatal = message.error;
    } else if (current) {
      invocation.log.writeFromWorker(message.line);
    } else {
      // A line written after its invocation ended (a stray timer) still reaches the logger.
      this.logger.info({ requestId: message.requestId }, message.line);
    }
  }

  private onExit(environment: Environment, exitCode: number): void {
    this.environments.delete(environment);
    const idleAt = this.idle.indexOf(environment);
    if (idleAt !== -1) this.idle.splice(idleAt, 1);
    environment.outbox = [];
    const [invocation, ...notStarted] = environment.sent.splice(0);
    // Invocations sent ahead never started: they go back to the front of the queue.
    this.queue.unshift(...notStarted);
    if (invocation) {
      if (this.destroyed && !environment.timedOut) {
        invocation.reject(new Error('the function pool was destroyed'));
      } else {
        const durationMs = performance.now() - invocation.started;
        void this.failed(invocation, environment, exitCode, durationMs).then(
          invocation.resolve,
          invocation.reject,
        );
      }
    } else if (!environment.ending) {
      // A worker that dies between invocations has nobody to answer; it is replaced on demand.
      this.logger.warn({ exitCode }, 'function environment ended between invocations');
    }
    if (this.destroyed) {
      for (const queued of this.queue.splice(0))
        queued.reject(new Error('the function pool was destroyed'));
      return;
    }
    // Work waiting for a worker gets a fresh one in place of the one that ended.
    if (this.queue.length > 0) {
      const replacement = this.spawn(this.maxThreads);
      if (replacement) {
        replacement.worker.ref();
        this.finished(replacement);
      }
    }
    this.endIfDrained();
  }

  private armDeadline(at: number): void {
    clearTimeout(this.deadlineTimer);
    this.deadlineAt = at;
    this.deadlineTimer = setTimeout(
      () => this.sweepDeadlines(),
      Math.max(0, Math.ceil(at - performance.now())),
    ).unref();
  }

  /** Ends every worker past its invocation's deadline; re-arms for the next one. */
  private sweepDeadlines(): void {
    this.deadlineTimer = undefined;
    this.deadlineAt = Infinity;
    const now = performance.now();
    let next = Infinity;
    for (const environment of this.environments) {
      const invocation = environment.sent[0];
      if (!invocation || environment.timedOut) continue;
      if (invocation.deadline <= now) {
        environment.timedOut = true;
        environment.ending = true;
        void environment.worker.terminate();
      } else if (invocation.deadline < next) {
        next = invocation.deadline;
      }
    }
    if (next !== Infinity) this.armDeadline(next);
  }

  private reapIdle(): void {
    const now = performance.now();
    for (let i = this.idle.length - 1; i >= 0; i--) {
      const environment = this.idle[i]!;
      if (now - environment.idleSince < IDLE_TIMEOUT_MS) continue;
      this.idle.splice(i, 1);
      environment.ending = true;
      void environment.worker.terminate();
    }
  }

  /** Once closing and nothing runs or waits, the workers end. */
  private endIfDrained(): void {
    if (!this.closing || this.queue.length > 0) return;
    for (const environment of this.environments) if (environment.sent.length > 0) return;
    clearInterval(this.idleTimer);
    clearTimeout(this.deadlineTimer);
    const done = this.closing;
    const ending = [...this.environments].map((environment) => {
      environment.ending = true;
      return environment.worker.terminate();
    });
    void Promise.all(ending).then(() => done());
  }

  private completed(invocation: Invocation, outcome: InvokeOutcome): InvokeResult {
    const { log } = invocation;
    this.lastMaxMemoryUsedMB = outcome.maxMemoryUsedMB;
    const report: ReportFields = {
      durationMs: outcome.durationMs,
      memorySizeMB: this.config.MemorySize,
      maxMemoryUsedMB: outcome.maxMemoryUsedMB,
    };
    if (outcome.initDurationMs !== undefined) report.initDurationMs = outcome.initDurationMs;
    const writeEnd = () => {
      log.write(endLine(log.requestId));
      log.write(reportLine(log.requestId, report));
      return log;
    };
    // With info lines filtered out, END and REPORT are only built if the tail is asked for.
    const result = new CompletedInvocation(
      log.requestId,
      outcome.payload,
      this.logger.isLevelEnabled('info') ? writeEnd() : writeEnd,
    );
    if (outcome.error) {
      result.functionError = 'Unhandled';
      result.errorType = outcome.error.errorType;
      result.errorMessage = outcome.error.errorMessage;
    }
    return result;
  }

  private async failed(
    invocation: Invocation,
    environment: Environment,
    exitCode: number,
    durationMs: number,
  ): Promise<InvokeResult> {
    // Lines a hung worker posted before it was terminated may still be queued to this thread;
    // one turn of the event loop delivers them before END and REPORT are written.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const { log, requestId } = invocation;
    let document: LambdaErrorDocument;
    let status: string;
    if (environment.timedOut) {
      log.write(timeoutLine(requestId, this.config.Timeout));
      document = timeoutErrorDocument(requestId, this.config.Timeout);
      status = 'timeout';
    } else if (log.fatal) {
      document = log.fatal;
      status = 'error';
    } else if (environment.outOfMemory) {
      document = outOfMemoryErrorDocument(requestId);
      log.write(runtimeExitLine(document.errorMessage, document.errorType));
      status = 'error';
    } else {
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
