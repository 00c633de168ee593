// One function's warm execution environments: worker threads, one invocation at a time per worker
// (as one Lambda execution environment serves one request at a time), kept warm for ten idle
// minutes, with a bounded queue beyond them (then Lambda's 429 TooManyRequestsException, as the
// process pool answers). The Timeout is enforced from here; a worker that hangs, exits or crashes
// is terminated and replaced while the pool keeps serving, and the caller gets Lambda's answer.
// https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
//
// Our own pool rather than Piscina, because this is the gateway's hot path (docs/performance.md):
// one postMessage each way, one timer for every deadline (deadline-timer.ts), log lines and the
// result share the port so they arrive in order, and under load a busy worker is sent its next
// invocations ahead (PIPELINE_DEPTH): it runs them one at a time as before, but never sleeps
// between two waiting for a cross-thread wake-up, which measured as the largest cost of all (about
// 100 µs per invocation on a 2-vCPU VM).
import { functionReport } from '../../observability/channels.js';
import { performance } from 'node:perf_hooks';
import type { WorkerOptions } from 'node:worker_threads';
import { lambdaFunctionArn } from '../../model/arn.js';
import type { FunctionConfig, Settings } from '../../model/types.js';
import type { Logger } from '../../observability/logger.js';
import { InvocationLog } from '../invocation-log.js';
import { TooManyRequestsError, type InvokeResult } from '../invoker.js';
import { functionEnvironment, LATEST_VERSION, logGroupName } from '../lambda-environment.js';
import type { ProxyEventValues } from '../lambda-proxy-event.js';
import type { ReportFields } from '../platform-log-lines.js';
import { DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_MAX_QUEUE, type Pool } from '../pool.js';
import { completedInvocation, endedInvocation } from './invocation-results.js';
import { DeadlineTimer } from './deadline-timer.js';
import {
  endWorker,
  reapIdle,
  startWorker,
  type Invocation,
  type WorkerEnvironment,
} from './worker-environment.js';
import type {
  InvokeMessage,
  InvokeOutcome,
  WorkerMessage,
  WorkerSettings,
} from './worker-protocol.js';
import { BUILT_WORKER_SCRIPT, type WorkerScript } from './worker-script.js';

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
  /** Invocations not yet started (queued, or sent ahead to a busy worker); default 1000. */
  maxQueue?: number;
  workerScript?: WorkerScript;
}

export class FunctionPool implements Pool {
  readonly config: FunctionConfig;
  private readonly logger: Logger;
  private readonly timeoutMs: number;
  private readonly maxThreads: number;
  private readonly preferredThreads: number;
  private readonly maxQueue: number;
  private readonly workerScript: WorkerScript;
  private readonly workerOptions: WorkerOptions;
  private readonly environments = new Set<WorkerEnvironment>();
  /** Idle workers, most recently used last: the warmest is reused first. */
  private readonly idle: WorkerEnvironment[] = [];
  private readonly queue: Invocation[] = [];
  /** Invocations accepted and not yet started, wherever they wait. */
  private waiting = 0;
  /** Workers with messages to post at the end of this event-loop turn. */
  private outboxes: WorkerEnvironment[] = [];
  private flushScheduled = false;
  private readonly deadlines = new DeadlineTimer(() => this.sweepDeadlines());
  private readonly idleTimer: NodeJS.Timeout;
  private closing: (() => void) | undefined;
  private destroyed = false;
  /** The last Max Memory Used a worker reported, for REPORT lines of workers that died. */
  private lastMaxMemoryUsedMB = 0;

  constructor(options: FunctionPoolOptions) {
    const { config, settings, logger, maxThreads, preferredThreads } = options;
    this.config = config;
    this.logger = logger.child({ functionName: config.FunctionName });
    this.timeoutMs = config.Timeout * 1000;
    this.maxThreads = Math.max(1, maxThreads);
    this.preferredThreads = Math.min(this.maxThreads, Math.max(1, preferredThreads ?? maxThreads));
    this.maxQueue = options.maxQueue ?? DEFAULT_MAX_QUEUE;
    this.workerScript = options.workerScript ?? BUILT_WORKER_SCRIPT;
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
    this.idleTimer = setInterval(
      () => reapIdle(this.idle, DEFAULT_IDLE_TIMEOUT_MS),
      IDLE_SWEEP_MS,
    ).unref();
  }

  invoke(requestId: string, event: unknown, proxyEvent?: ProxyEventValues): Promise<InvokeResult> {
    if (this.destroyed || this.closing)
      return Promise.reject(new Error('the function pool is closed'));
    if (this.waiting >= this.maxQueue)
      return Promise.reject(new TooManyRequestsError(this.config.FunctionName));
    return new Promise<InvokeResult>((resolve, reject) => {
      const invocation: Invocation = {
        requestId,
        event,
        proxyEvent,
        log: new InvocationLog(this.logger, requestId, this.config.FunctionName),
        started: 0,
        deadline: 0,
        resolve,
        reject,
      };
      this.waiting++;
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
    this.stopTimers();
    this.rejectQueued();
    await Promise.all([...this.environments].map(endWorker));
  }

  private spawn(limit: number): WorkerEnvironment | undefined {
    if (this.environments.size >= limit) return undefined;
    const environment = startWorker(this.workerScript, this.workerOptions);
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
  private leastLoaded(): WorkerEnvironment | undefined {
    const stalled = performance.now() - PIPELINE_STALL_MS;
    let best: WorkerEnvironment | undefined;
    for (const environment of this.environments) {
      const load = environment.sent.length;
      if (load >= PIPELINE_DEPTH || (best && load >= best.sent.length)) continue;
      if (environment.sent[0]!.started < stalled) continue;
      best = environment;
    }
    return best;
  }

  private send(environment: WorkerEnvironment, invocation: Invocation): void {
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
    this.waiting--;
    invocation.log.start(LATEST_VERSION);
    invocation.started = performance.now();
    invocation.deadline = invocation.started + this.timeoutMs;
    this.deadlines.add(invocation.deadline);
  }

  /** A worker finished one: its next starts; it is topped up from the queue, or goes idle. */
  private finished(environment: WorkerEnvironment): void {
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

  private onMessage(environment: WorkerEnvironment, message: WorkerMessage): void {
    const invocation = environment.sent[0];
    const current = invocation !== undefined && invocation.requestId === message.requestId;
    if (message.kind === 'result') {
      if (!current) return;
      environment.sent.shift();
      const { outcome } = message;
      this.lastMaxMemoryUsedMB = outcome.maxMemoryUsedMB;
      const pending = invocation.log.workerLinesReceived(outcome.logLines);
      if (pending) void pending.then(() => this.complete(invocation, outcome));
      else this.complete(invocation, outcome);
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

  private onExit(environment: WorkerEnvironment, exitCode: number): void {
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
        const report: ReportFields = {
          durationMs,
          memorySizeMB: this.config.MemorySize,
          maxMemoryUsedMB: this.lastMaxMemoryUsedMB,
        };
        void endedInvocation(
          invocation.log,
          environment,
          exitCode,
          this.config.Timeout,
          report,
        ).then(invocation.resolve, invocation.reject);
      }
    } else if (!environment.ending) {
      // A worker that dies between invocations has nobody to answer; it is replaced on demand.
      this.logger.warn({ exitCode }, 'function environment ended between invocations');
    }
    if (this.destroyed) {
      this.rejectQueued();
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

  /** Ends every worker past its invocation's deadline; returns the next deadline. */
  private sweepDeadlines(): number {
    const now = performance.now();
    let next = Infinity;
    for (const environment of this.environments) {
      const invocation = environment.sent[0];
      if (!invocation || environment.timedOut) continue;
      if (invocation.deadline <= now) {
        environment.timedOut = true;
        void endWorker(environment);
      } else if (invocation.deadline < next) {
        next = invocation.deadline;
      }
    }
    return next;
  }

  /** Once closing and nothing runs or waits, the workers end. */
  private endIfDrained(): void {
    if (!this.closing || this.queue.length > 0) return;
    for (const environment of this.environments) if (environment.sent.length > 0) return;
    this.stopTimers();
    const done = this.closing;
    void Promise.all([...this.environments].map(endWorker)).then(() => done());
  }

  private stopTimers(): void {
    clearInterval(this.idleTimer);
    this.deadlines.clear();
  }

  private rejectQueued(): void {
    for (const invocation of this.queue.splice(0))
      invocation.reject(new Error('the function pool was destroyed'));
    this.waiting = 0;
  }

  private complete(invocation: Invocation, outcome: InvokeOutcome): void {
    // END and REPORT are debug lines, and REPORT is what the Duration metric reads.
    const eager = this.logger.isLevelEnabled('debug') || functionReport.hasSubscribers;
    invocation.resolve(completedInvocation(invocation.log, outcome, this.config.MemorySize, eager));
  }
}
