import { IntegrationTimeoutError } from '../errors.js';

/** Rejects with `onTimeout()` if `promise` has not settled after `ms`; always clears its timer. */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  onTimeout: () => Error,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A Lambda invocation's result within the integration timeout, when one is armed: a timeout is
 * INTEGRATION_TIMEOUT, any other failure to invoke is what `failed` makes of it.
 */
export async function invocationResult<T>(
  invocation: Promise<T>,
  timeoutInMillis: number | undefined,
  failed: (error: Error) => Error,
): Promise<T> {
  try {
    return await (timeoutInMillis === undefined
      ? invocation
      : withTimeout(invocation, timeoutInMillis, () => new IntegrationTimeoutError()));
  } catch (error) {
    if (error instanceof IntegrationTimeoutError) throw error;
    throw failed(error as Error);
  }
}
