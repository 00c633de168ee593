// What crosses the thread boundary between a function pool and its workers.
import type { ProxyEventValues } from '../lambda-proxy-event.js';
import type { FlatMaps } from './flat-maps.js';
import type { LambdaErrorDocument } from '../platform-errors.js';

/** Fixed for the life of a pool; every worker receives it once as `workerData`. */
export interface WorkerSettings {
  functionName: string;
  functionVersion: string;
  handler: string;
  /** Absolute path of the function's code folder (LAMBDA_TASK_ROOT). */
  taskRoot: string;
  memorySize: number;
  invokedFunctionArn: string;
  logGroupName: string;
}

/** What the pool posts to a worker. The event travels by structured clone, never as JSON text. */
export interface InvokeMessage {
  requestId: string;
  /** Undefined when `proxyEvent` or `eventJson` carries it. */
  event: unknown;
  /** A proxy event as its values (lambda-proxy-event.ts), made into the event by the worker. */
  proxyEvent: ProxyEventValues | undefined;
  /** The event as JSON text, parsed here (not cloned); text that does not parse is refused. */
  eventJson: string | undefined;
  /** When set, the proxy event's headers and multiValueHeaders (null in `proxyEvent`), flat. */
  headers?: FlatMaps;
  /** When set, its queryStringParameters and multiValueQueryStringParameters, flat. */
  query?: FlatMaps;
  /** `_X_AMZN_TRACE_ID` for this invocation; the worker makes one when undefined. */
  traceId: string | undefined;
  /** The function's Timeout; the deadline is set when the worker starts the invocation. */
  timeoutMs: number;
}

/** One invocation as the handler runner sees it. */
export interface InvokeTask {
  requestId: string;
  event: unknown;
  /** Epoch milliseconds; what `context.getRemainingTimeInMillis()` counts down to. */
  deadline: number;
}

/** An invocation before the handler runs: its deadline is set once init is over. */
export interface PendingTask {
  requestId: string;
  event: unknown;
  timeoutMs: number;
}

export interface InvokeOutcome {
  /** JSON text: the handler's result, or the error document when `error` is set. */
  payload: string;
  error?: LambdaErrorDocument;
  /** How many log lines the worker posted for this invocation (before this result). */
  logLines: number;
  durationMs: number;
  /** Set on the invocation that loaded the handler in a fresh worker. */
  initDurationMs?: number;
  maxMemoryUsedMB: number;
}

/** Posted on the worker's parentPort as it happens, so nothing is lost if the worker dies. */
export interface LogMessage {
  kind: 'log';
  requestId: string;
  line: string;
}

/**
 * Posted just before the worker ends itself, as the runtime posts an error and exits: an
 * uncaught exception, an unhandled rejection, or a handler that could not be loaded.
 */
export interface FatalMessage {
  kind: 'fatal';
  requestId: string;
  error: LambdaErrorDocument;
}

/**
 * Posted instead of a result when the event's JSON text does not parse: the handler never runs,
 * and the pool answers Lambda's InvalidRequestContentException (invoker.ts, EventNotJsonError).
 */
export interface RefusedMessage {
  kind: 'refused';
  requestId: string;
  /** The parser's message. */
  reason: string;
}

/** Posted once, when the handler has loaded: the invocation's Timeout starts now, not before. */
export interface InitializedMessage {
  kind: 'initialized';
  requestId: string;
}

/**
 * The invocation's answer, posted after its log lines on the same port: an array, the message
 * the pool receives most, so a structured clone writes no key names (docs/performance.md, third
 * pass). `outcomeOf` makes the outcome of it.
 */
export type ResultMessage = [
  requestId: string,
  payload: string,
  logLines: number,
  durationMs: number,
  maxMemoryUsedMB: number,
  error: LambdaErrorDocument | undefined,
  initDurationMs: number | undefined,
];

export function resultMessage(requestId: string, outcome: InvokeOutcome): ResultMessage {
  const { payload, logLines, durationMs, maxMemoryUsedMB, error, initDurationMs } = outcome;
  return [requestId, payload, logLines, durationMs, maxMemoryUsedMB, error, initDurationMs];
}

export function outcomeOf(message: ResultMessage): InvokeOutcome {
  const outcome: InvokeOutcome = {
    payload: message[1],
    logLines: message[2],
    durationMs: message[3],
    maxMemoryUsedMB: message[4],
  };
  if (message[5] !== undefined) outcome.error = message[5];
  if (message[6] !== undefined) outcome.initDurationMs = message[6];
  return outcome;
}

export type WorkerMessage =
  LogMessage | FatalMessage | InitializedMessage | RefusedMessage | ResultMessage;
