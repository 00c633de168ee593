// What each function's pool of warm environments offers the registry (functions-invoker.ts),
// whichever isolation level runs it, and the limits they share.
import type { FunctionConfig } from '../model/types.js';
import type { EventPayload, InvokeResult } from './invoker.js';

export interface Pool {
  /** The configuration it was made for: an equal one keeps the pool warm. */
  readonly config: FunctionConfig;
  /**
   * `payload` carries the event in one of its forms (invoker.ts); `traceId` is the caller's trace
   * header (`_X_AMZN_TRACE_ID`), a fresh one when undefined.
   */
  invoke(requestId: string, payload: EventPayload, traceId?: string): Promise<InvokeResult>;
  /** Stops taking work, lets in-flight and queued invocations finish, then ends every environment. */
  close(): Promise<void>;
  /** Ends every environment now, in-flight or not. */
  destroy(): Promise<void>;
}

/**
 * Invocations that may wait for an environment beyond the pool's concurrency; one more is refused
 * with Lambda's 429 TooManyRequestsException. Lambda throttles at once: a local gateway absorbs
 * bursts instead, but not without bound.
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html
 */
export const DEFAULT_MAX_QUEUE = 1000;

/**
 * An environment unused this long is ended (Lambda keeps idle environments for minutes);
 * `serve --function-idle-timeout` changes it.
 */
export const DEFAULT_IDLE_TIMEOUT_MS = 10 * 60 * 1000;

/**
 * How often a pool looks for environments idle past the timeout: an environment is ended between
 * one and two such periods after its last use (at most 30 s late; a short timeout is kept short).
 */
export const idleSweepMs = (idleTimeoutMs: number): number =>
  Math.max(10, Math.min(idleTimeoutMs, 30_000));
