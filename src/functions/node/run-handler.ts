// Runs one invocation of a Node.js handler with the runtime's semantics: async or callback
// handlers, the first completion wins. Shared by the worker threads and the process bootstrap.
// https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html
import type { LambdaHandler } from './handler-loader.js';
import { invocationContext, type EnvironmentContext } from './lambda-context.js';
import type { InvokeTask } from './worker-protocol.js';

export type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

export function runHandler(
  userHandler: LambdaHandler,
  environment: EnvironmentContext,
  task: InvokeTask,
): Promise<Settled> {
  return new Promise((resolve) => {
    const { context, callback } = invocationContext(environment, task.requestId, task.deadline, {
      succeed: (value) => resolve({ ok: true, value }),
      fail: (error) => resolve({ ok: false, error }),
    });
    try {
      const returned = userHandler(task.event, context, callback);
      if (isThenable(returned)) {
        // A rejection with no reason reports 'handled', as context.fail() does.
        returned.then(
          (value: unknown) => callback(null, value),
          (error: unknown) => callback(error ?? 'handled'),
        );
      }
      // Neither a promise nor (yet) a callback: the invocation ends when the callback is called,
      // or at the timeout.
    } catch (error) {
      callback(error);
    }
  });
}

function isThenable(value: unknown): value is { then: (ok: unknown, ko: unknown) => unknown } {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
