// One function's warm execution environments: worker threads, one invocation at a time per worker
// (as one Lambda execution environment serves one request at a time), kept warm for ten idle
// minutes by default (`serve --function-idle-timeout`), with a bounded queue beyond them (then
// Lambda's 429 TooManyRequestsException, as the process pool answers). The Timeout is enforced from here; a worker that hangs, exits or crashes
// is terminated and replaced while the pool keeps serving, and the caller gets Lambda's answer.
// https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
//
// Our own pool rather than Piscina, as this is the hot path (docs/performance.md): sending is
// pipelined-dispatch.ts, one timer for every deadline (deadline-timer.ts), idle workers
// idle-environments.ts; log lines and the result share the port so they arrive in order.
import { functionReport } from '../../observability/channels.js';
import { performance } from 'node:perf_hooks';
import type { WorkerOptions } from 'node:worker_threads';
import type { FunctionConfig, Settings } from '../../model/types.js';
import type { Logger } from '../../observability/logger.js';
import { InvocationLog } from '../invocation-log.js';
import {
  EventNotJsonError,
  TooManyRequestsError,
  type EventPayload,
  type InvokeResult,
} from '../invoker.js';
import { INIT_TIMEOUT_MS, LATEST_VERSION } from '../lambda-environment.js';
import { DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_MAX_QUEUE, type Pool } from '../pool.js';
import { completedInvocation, endedInvocation } from './invocation-results.js';
import { DeadlineTimer } from './deadline-timer.js';
import { IdleEnvironments } from './idle-environments.js';
import { BatchedPosts, leastLoaded, PIPELINE_DEPTH } from './pipelined-dispatch.js';
import {
  endOverdue,
  endWorker,
  startWorker,
  workerOptions,
  type Invocation,
  type WorkerEnvironment,
} from './worker-environment.js';
import { flattenProxyEventMaps } from './flat-maps.js';
import {
  outcomeOf,
  type InvokeMessage,
  type InvokeOutcome,
  type WorkerMessage,
} from './worker-protocol.js';
import { BUILT_WORKER_SCRIPT, type WorkerScript } from './worker-script.js';

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
  /** An idle worker unused this long is ended; default DEFAULT_IDLE_TIMEOUT_MS. */
  idleTimeoutMs?: number;
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
  private readonly idle: IdleEnvironments;
  private readonly queue: Invocation[] = [];
  /** Invocations accepted and not yet started, wherever they wait. */
  private waiting = 0;
  private readonly posts = new BatchedPosts();
  private readonly deadlines = new DeadlineTimer(() => endOverdue(this.environments));
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
    this.idle = new IdleEnvironments(options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS);
    this.workerScript = options.workerScript ?? BUILT_WORKER_SCRIPT;
    this.workerOptions = workerOptions(config, settings);
  }

  invoke(requestId: string, payload: EventPayload, traceId?: string): Promise<InvokeResult> {
    if (this.destroyed || this.closing)
      return Promise.reject(new Error('the function pool is closed'));
    if (this.waiting >= this.maxQueue)
      return Promise.reject(new TooManyRequestsError(this.config.FunctionName));
    return new Promise<InvokeResult>((resolve, reject) => {
      const invocation: Invocation = {
        requestId,
        payload,
        traceId,
        log: new InvocationLog(this.logger, requestId, this.config.FunctionName),
        started: 0,
        deadline: 0,
        resolve,
        reject,
      };
      this.waiting++;
      const environment =
        this.idle.takeWarmest() ??
        this.spawn(this.preferredThreads) ??
        leastLoaded(this.environments) ??
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

  private send(environment: WorkerEnvironment, invocation: Invocation): void {
    environment.sent.push(invocation);
    const { requestId, payload, traceId } = invocation;
    const message: InvokeMessage = {
      requestId,
      event: payload.event,
      proxyEvent: payload.proxyEvent,
      eventJson: payload.eventJson,
      traceId,
      timeoutMs: this.timeoutMs,
    };
    if (payload.proxyEvent) flattenProxyEventMaps(message, payload.proxyEvent);
    this.posts.post(environment, message);
    if (environment.sent.length === 1) this.started(invocation, environment);
  }

  /** The worker begins the invocation now (as far as this thread can tell). */
  private started(invocation: Invocation, environment: WorkerEnvironment): void {
    this.waiting--;
    // JSON text is parsed by the worker, which may refuse it: then there is no START line.
    if (invocation.payload.eventJson === undefined) invocation.log.start(LATEST_VERSION);
    else invocation.log.startOnceTaken(LATEST_VERSION);
    invocation.started = performance.now();
    // A fresh worker loads the handler first, within Lambda's own init budget; its message that
    // init is over starts the Timeout (onMessage).
    invocation.deadline =
      invocation.started + (environment.initialized ? this.timeoutMs : INIT_TIMEOUT_MS);
    this.deadlines.add(invocation.deadline);
  }

  /** A worker finished one: its next starts; it is topped up from the queue, or goes idle. */
  private finished(environment: WorkerEnvironment): void {
    const next = environment.sent[0];
    if (next) this.started(next, environment);
    while (environment.sent.length < PIPELINE_DEPTH) {
      const queued = this.queue.shift();
      if (!queued) break;
      this.send(environment, queued);
    }
    if (environment.sent.length > 0) return;
    this.idle.add(environment);
    this.endIfDrained();
  }

  private onMessage(environment: WorkerEnvironment, message: WorkerMessage): void {
    const invocation = environment.sent[0];
    if (Array.isArray(message)) {
      // A result (worker-protocol.ts): its request id first.
      if (invocation === undefined || invocation.requestId !== message[0]) return;
      environment.sent.shift();
      const outcome = outcomeOf(message);
      this.lastMaxMemoryUsedMB = outcome.maxMemoryUsedMB;
      const pending = invocation.log.workerLinesReceived(outcome.logLines);
      if (pending) void pending.then(() => this.complete(invocation, outcome));
      else this.complete(invocation, outcome);
      this.finished(environment);
      return;
    }
    const current = invocation !== undefined && invocation.requestId === message.requestId;
    if (message.kind === 'refused') {
      if (!current) return;
      environment.sent.shift();
      invocation.log.refused();
      invocation.reject(new EventNotJsonError(message.reason));
      this.finished(environment);
    } else if (message.kind === 'fatal') {
      if (current) invocation.log.fatal = message.error;
    } else if (message.kind === 'initialized') {
      environment.initialized = true;
      if (!current) return;
      invocation.deadline = performance.now() + this.timeoutMs;
      this.deadlines.add(invocation.deadline);
    } else if (current) {
      invocation.log.writeFromWorker(message.line);
    } else {
      // A line written after its invocation ended (a stray timer) still reaches the logger.
      this.logger.info({ requestId: message.requestId }, message.line);
    }
  }

  private onExit(environment: WorkerEnvironment, exitCode: number): void {
    this.environments.delete(environment);
    this.idle.remove(environment);
    environment.outbox = [];
    const [invocation, ...notStarted] = environment.sent.splice(0);
    // Invocations sent ahead never started: they go back to the front of the queue.
    this.queue.unshift(...notStarted);
    if (invocation) {
      if (this.destroyed && !environment.timedOut) {
        invocation.reject(new Error('the function pool was destroyed'));
      } else {
        const answer = endedInvocation(
          invocation,
          environment,
          exitCode,
          this.config,
          this.lastMaxMemoryUsedMB,
        );
        void answer.then(invocation.resolve, invocation.reject);
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

  /** Once closing and nothing runs or waits, the workers end. */
  private endIfDrained(): void {
    if (!this.closing || this.queue.length > 0) return;
    for (const environment of this.environments) if (environment.sent.length > 0) return;
    this.stopTimers();
    const done = this.closing;
    void Promise.all([...this.environments].map(endWorker)).then(() => done());
  }

  private stopTimers(): void {
    this.idle.stop();
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
