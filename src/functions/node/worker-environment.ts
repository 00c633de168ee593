// One worker thread: one warm execution environment of a FunctionPool, and what the pool knows of
// it (the invocations sent to it, its messages not yet posted, how it is ending): how one starts,
// and how it ends (its deadline passed, or the pool ends it).
import { performance } from 'node:perf_hooks';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { lambdaFunctionArn } from '../../model/arn.js';
import type { FunctionConfig, Settings } from '../../model/types.js';
import type { InvocationLog } from '../invocation-log.js';
import type { EventPayload, InvokeResult } from '../invoker.js';
import { functionEnvironment, LATEST_VERSION, logGroupName } from '../lambda-environment.js';
import type { InvokeMessage, WorkerSettings } from './worker-protocol.js';
import type { WorkerScript } from './worker-script.js';

export interface Invocation {
  requestId: string;
  payload: EventPayload;
  traceId: string | undefined;
  log: InvocationLog;
  /** performance.now() when the worker started it; the Timeout counts from there. */
  started: number;
  deadline: number;
  resolve: (result: InvokeResult) => void;
  reject: (error: unknown) => void;
}

export interface WorkerEnvironment {
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
  /** The handler has loaded (init is over): invocations get the Timeout alone. */
  initialized: boolean;
}

export function startWorker(script: WorkerScript, options: WorkerOptions): WorkerEnvironment {
  return {
    worker: new Worker(script.script, { ...options, eval: script.eval }),
    sent: [],
    outbox: [],
    idleSince: 0,
    ending: false,
    timedOut: false,
    outOfMemory: false,
    initialized: false,
  };
}

export function endWorker(environment: WorkerEnvironment): Promise<number> {
  environment.ending = true;
  return environment.worker.terminate();
}

/** The options every worker of a function starts with: its settings, environment and heap. */
export function workerOptions(config: FunctionConfig, settings: Settings): WorkerOptions {
  const workerData: WorkerSettings = {
    functionName: config.FunctionName,
    functionVersion: LATEST_VERSION,
    handler: config.Handler,
    taskRoot: config.Code,
    memorySize: config.MemorySize,
    invokedFunctionArn: lambdaFunctionArn(settings, config.FunctionName),
    logGroupName: logGroupName(config.FunctionName),
  };
  return {
    workerData,
    env: functionEnvironment(config, settings),
    resourceLimits: {
      // The function's MemorySize bounds its heap; exceeding it ends the environment.
      maxOldGenerationSizeMb: config.MemorySize,
      maxYoungGenerationSizeMb: youngGenerationMB(config.MemorySize),
    },
  };
}

/**
 * A worker's young generation, MiB. V8's default lets it grow to 48 MiB per worker under a steady
 * stream of short-lived objects (events, contexts, results), which is most of the function rows'
 * RSS; a small one also stays in the CPU's caches, and every scavenge finds almost nothing alive.
 * Measured (docs/performance.md, third pass) at 128 MB: 4 MiB took less CPU per invocation than
 * 8, 16 or the default. It grows with MemorySize, as Lambda's own bootstrap sizes its semi-space
 * from the memory setting, at a fifth of Lambda's share (5 % of memory per semi-space).
 */
export function youngGenerationMB(memorySizeMB: number): number {
  return Math.max(4, Math.round(memorySizeMB / 32));
}

/** Ends every worker past its invocation's deadline; returns the next deadline. */
export function endOverdue(environments: Iterable<WorkerEnvironment>): number {
  const now = performance.now();
  let next = Infinity;
  for (const environment of environments) {
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
