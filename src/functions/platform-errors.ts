// The errors only the Lambda platform can see — a timeout, a runtime that exited or ran out of
// memory, a response too large — built here and nowhere else, for every runtime.
// https://docs.aws.amazon.com/lambda/latest/dg/troubleshooting-invocation.html
import type { InvokeResult } from './invoker.js';

/** The body Invoke returns with `X-Amz-Function-Error: Unhandled`. */
export interface LambdaErrorDocument {
  errorType: string;
  errorMessage: string;
  /** Node.js runtime: the stack as lines. */
  trace?: string[];
}

/**
 * The platform's answer when the function runs past its Timeout (no trace: the runtime never
 * saw it). https://docs.aws.amazon.com/lambda/latest/dg/troubleshooting-invocation.html
 */
export function timeoutErrorDocument(
  requestId: string,
  timeoutSeconds: number,
): LambdaErrorDocument {
  return {
    errorType: 'Sandbox.Timedout',
    errorMessage: `RequestId: ${requestId} Error: ${timedOutMessage(timeoutSeconds)}`,
  };
}

export function timedOutMessage(timeoutSeconds: number): string {
  return `Task timed out after ${timeoutSeconds.toFixed(2)} seconds`;
}

/**
 * The platform's answer when the runtime process ends mid-invocation without posting a result
 * (`process.exit(n)`), and when it is killed for exceeding its memory.
 * https://docs.aws.amazon.com/lambda/latest/dg/troubleshooting-invocation.html
 */
export function exitErrorDocument(requestId: string, exitCode: number): LambdaErrorDocument {
  const reason =
    exitCode === 0
      ? 'Runtime exited without providing a reason'
      : `Runtime exited with error: exit status ${exitCode}`;
  return {
    errorType: 'Runtime.ExitError',
    errorMessage: `RequestId: ${requestId} Error: ${reason}`,
  };
}

/** A runtime process ended by a signal mid-invocation (`kill -9`, a segfault). */
export function signalExitErrorDocument(requestId: string, signal: string): LambdaErrorDocument {
  // Go's os.ProcessState wording, which Lambda's init process prints: `signal: killed`.
  const names: Record<string, string> = {
    SIGKILL: 'killed',
    SIGSEGV: 'segmentation fault',
    SIGABRT: 'aborted',
    SIGTERM: 'terminated',
  };
  return {
    errorType: 'Runtime.ExitError',
    errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: signal: ${names[signal] ?? signal}`,
  };
}

/**
 * A response over the 6 MB synchronous payload quota: what Invoke returns, while the runtime's
 * POST itself gets 413 RequestEntityTooLarge.
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
export const MAX_RESPONSE_PAYLOAD_BYTES = 6291556;

export function responseTooLargeErrorDocument(): LambdaErrorDocument {
  return {
    errorType: 'Function.ResponseSizeTooLarge',
    errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_PAYLOAD_BYTES} bytes).`,
  };
}

/**
 * The runtime's executable could not be started (a `bootstrap` that is missing, not executable, or
 * whose interpreter is missing), worded as Lambda's Go init process words it.
 */
export function invalidEntrypointErrorDocument(
  requestId: string,
  command: string,
  code: string | undefined,
): LambdaErrorDocument {
  const reasons: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    ENOEXEC: 'exec format error',
  };
  const reason = (code && reasons[code]) ?? code ?? 'unknown error';
  return {
    errorType: 'Runtime.InvalidEntrypoint',
    errorMessage: `RequestId: ${requestId} Error: fork/exec ${command}: ${reason}`,
  };
}

export function outOfMemoryErrorDocument(requestId: string): LambdaErrorDocument {
  return {
    errorType: 'Runtime.OutOfMemory',
    errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: signal: killed`,
  };
}

/** Invoke's answer for an invocation the platform ended: the document is the payload. */
export function platformErrorResult(
  requestId: string,
  document: LambdaErrorDocument,
): InvokeResult {
  return {
    requestId,
    payload: JSON.stringify(document),
    functionError: 'Unhandled',
    errorType: document.errorType,
    errorMessage: document.errorMessage,
  };
}
