// The one contract between the gateway and whatever runs functions (worker threads today,
// Runtime API processes later). It mirrors the Lambda Invoke API: a function error is not an
// exception but a payload plus `functionError`, exactly as Invoke returns it with
// `X-Amz-Function-Error: Unhandled`.
// https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
import { SallyportError } from '../errors.js';
import type { ProxyEventValues } from './lambda-proxy-event.js';

interface InvokeRequestBase {
  functionName: string;
  /** Lambda request id (awsRequestId); generated when absent. */
  requestId?: string;
  /**
   * The X-Ray trace header the function sees in `_X_AMZN_TRACE_ID` (API Gateway passes its trace
   * on); a fresh one when absent.
   */
  traceId?: string;
}

/** Any event: it reaches the handler as a fresh copy (structured clone or JSON). */
interface AnyEvent {
  event: unknown;
  proxyEvent?: undefined;
  eventJson?: undefined;
}

/** A Lambda proxy event, as its values (lambda-proxy-event.ts): made where it is needed. */
interface ProxyEvent {
  proxyEvent: ProxyEventValues;
  event?: undefined;
  eventJson?: undefined;
}

/**
 * An event as JSON text (a non-proxy integration's mapped body), not checked by the caller: the
 * text crosses to the function as it is and is parsed there, where the handler needs the value
 * anyway. A string costs a thread almost nothing to copy and a process nothing to serialise,
 * where a parsed value costs both a full copy. Text that is not JSON is refused with
 * EventNotJsonError before the function starts, as Lambda's Invoke refuses it.
 */
interface JsonEvent {
  eventJson: string;
  event?: undefined;
  proxyEvent?: undefined;
}

/** The event of one invocation, in one of the forms the pools take. */
export type EventPayload = AnyEvent | ProxyEvent | JsonEvent;

export type InvokeRequest = InvokeRequestBase & EventPayload;

export interface InvokeResult {
  requestId: string;
  /** JSON text the handler produced (or the error object, when functionError is set). */
  payload: string;
  /** Set when the function failed: Lambda's `X-Amz-Function-Error` value. */
  functionError?: 'Unhandled' | 'Handled';
  /** Lambda's errorType when functionError is set, e.g. `Error`, `Sandbox.Timedout`, `Runtime.ExitError`. */
  errorType?: string;
  /** Parsed errorMessage when functionError is set. */
  errorMessage?: string;
  /**
   * The last 4 KB of the invocation's log (START … REPORT lines), what Invoke returns base64-encoded
   * in `X-Amz-Log-Result` when called with `LogType: Tail`.
   */
  logTail?: string;
}

export interface Invoker {
  invoke(request: InvokeRequest): Promise<InvokeResult>;
  /** Whether a function of that name exists (used to fail at load time, not request time). */
  has(functionName: string): boolean;
  close(): Promise<void>;
}

/** Thrown (not returned) when the function cannot be invoked at all. */
export class ResourceNotFoundError extends SallyportError {
  readonly code = 'ResourceNotFoundException';
  constructor(functionName: string) {
    super(`Function not found: ${functionName}`);
    this.name = 'ResourceNotFoundException';
  }
}

/**
 * Thrown when an `eventJson` event is not JSON: Lambda's InvalidRequestContentException, before
 * the function starts (no START line). `reason` is the parser's message.
 * https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html#API_Invoke_Errors
 */
export class EventNotJsonError extends SallyportError {
  readonly code = 'InvalidRequestContentException';
  constructor(readonly reason: string) {
    super(`Could not parse request body into json: ${reason}`);
    this.name = 'InvalidRequestContentException';
  }
}

/** An `eventJson` event's value; EventNotJsonError when the text is not JSON. */
export function parseEventJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new EventNotJsonError((error as Error).message);
  }
}

/** Thrown when the function's concurrency and queue are exhausted (Lambda's 429). */
export class TooManyRequestsError extends SallyportError {
  readonly code = 'TooManyRequestsException';
  constructor(functionName: string) {
    super(`Rate Exceeded. Too many concurrent invocations of ${functionName}`);
    this.name = 'TooManyRequestsException';
  }
}
