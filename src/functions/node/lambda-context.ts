// The context object a Node.js handler receives.
// https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html
// Field order and the deprecated done/succeed/fail follow aws-lambda-nodejs-runtime-interface-client
// (src/CallbackContext.js, src/InvokeContext.js).
import type { Context } from 'aws-lambda';
import type { WorkerSettings } from './worker-protocol.js';

/** The per-worker half of the context, computed once when the worker starts. */
export interface EnvironmentContext {
  functionVersion: string;
  functionName: string;
  memoryLimitInMB: string;
  logGroupName: string;
  logStreamName: string;
  invokedFunctionArn: string;
}

export function environmentContext(
  settings: WorkerSettings,
  logStreamName: string,
): EnvironmentContext {
  return {
    functionVersion: settings.functionVersion,
    functionName: settings.functionName,
    // A string, as the runtime reads it from AWS_LAMBDA_FUNCTION_MEMORY_SIZE.
    memoryLimitInMB: String(settings.memorySize),
    logGroupName: settings.logGroupName,
    logStreamName,
    invokedFunctionArn: settings.invokedFunctionArn,
  };
}

/** How the invocation ends: the first of callback, done/succeed/fail or the returned promise. */
export interface Completion {
  succeed(result: unknown): void;
  fail(error: unknown): void;
}

export type LambdaCallback = (error?: unknown, result?: unknown) => void;

/**
 * Builds the context and the `callback` for one invocation. Only the first completion counts,
 * as in the runtime; later calls are ignored.
 */
export function invocationContext(
  environment: EnvironmentContext,
  requestId: string,
  deadline: number,
  completion: Completion,
): { context: Context; callback: LambdaCallback } {
  let finished = false;
  const once =
    <A extends unknown[]>(action: (...args: A) => void) =>
    (...args: A): void => {
      if (finished) return;
      finished = true;
      action(...args);
    };
  const done = once((error?: unknown, result?: unknown) => {
    if (error !== undefined && error !== null) completion.fail(error);
    else completion.succeed(result);
  });
  let waitsForEmptyEventLoop = true;
  const context = {
    get callbackWaitsForEmptyEventLoop() {
      return waitsForEmptyEventLoop;
    },
    set callbackWaitsForEmptyEventLoop(value: boolean) {
      waitsForEmptyEventLoop = value;
    },
    succeed: (result?: unknown) => done(null, result),
    // `fail()` with nothing reports the string 'handled', as the runtime does.
    fail: (error?: unknown) => done(error ?? 'handled'),
    done,
    ...environment,
    clientContext: undefined,
    identity: undefined,
    awsRequestId: requestId,
    getRemainingTimeInMillis: () => deadline - Date.now(),
  };
  return { context, callback: done };
}
