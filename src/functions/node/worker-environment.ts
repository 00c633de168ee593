// One worker thread: one warm execution environment of a FunctionPool, and what the pool knows of
// it (the invocations sent to it, its messages not yet posted, how it is ending).
import { performance } from 'node:perf_hooks';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { InvocationLog } from '../invocation-log.js';
import type { InvokeResult } from '../invoker.js';
import type { ProxyEventValues } from '../lambda-proxy-event.js';
import type { InvokeMessage } from './worker-protocol.js';
import type { WorkerScript } from './worker-script.js';

export interface Invocation {
  requestId: string;
  event: unknown;
  proxyEvent: ProxyEventValues | undefined;
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

/** Ends the idle environments unused for `idleTimeoutMs`; the others stay in place. */
export function reapIdle(idle: WorkerEnvironment[], idleTimeoutMs: number): void {
  const now = performance.now();
  for (let i = idle.length - 1; i >= 0; i--) {
    const environment = idle[i]!;
    if (now - environment.idleSince < idleTimeoutMs) continue;
    idle.splice(i, 1);
    void endWorker(environment);
  }
}
