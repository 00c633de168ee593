// Invoke: RequestResponse (200, the function's payload), Event (202, run in the background) and
// DryRun (204, checks only). A function error is a 200 with `X-Amz-Function-Error`, not an API
// error; `X-Amz-Log-Type: Tail` adds the last 4 KB of the log, base64, in `X-Amz-Log-Result`.
// https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
import { lambdaFunctionArn } from '../../model/arn.js';
import { ResourceNotFoundError, TooManyRequestsError } from '../../functions/invoker.js';
import { LambdaError } from '../errors.js';
import type { AdminRequest, AdminResponse } from '../admin/server.js';
import type { LambdaDeps } from './deps.js';
import { functionNotFound, invalidParameter } from './errors.js';
import { load } from './functions.js';

/** Lambda's synchronous payload limit. */
export const MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;

export async function invoke(
  deps: LambdaDeps,
  name: string,
  request: AdminRequest,
): Promise<AdminResponse> {
  const type = header(request, 'x-amz-invocation-type') ?? 'RequestResponse';
  if (type !== 'RequestResponse' && type !== 'Event' && type !== 'DryRun')
    throw invalidParameter(
      `1 validation error detected: Value '${type}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`,
    );
  const logType = header(request, 'x-amz-log-type') ?? 'None';
  if (logType !== 'None' && logType !== 'Tail')
    throw invalidParameter(
      `1 validation error detected: Value '${logType}' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [None, Tail]`,
    );
  await load(deps, name);
  const event = parsePayload(request.body);
  if (type === 'DryRun') return { status: 204 };
  if (type === 'Event') {
    // Accepted now, run later; its outcome is only logged, as Lambda's async invocations are.
    deps.invoker
      .invoke({ functionName: name, event })
      .then((result) => {
        if (result.functionError)
          deps.logger.warn(
            { functionName: name, requestId: result.requestId, errorType: result.errorType },
            'asynchronous invocation failed',
          );
      })
      .catch((error: unknown) =>
        deps.logger.error({ err: error, functionName: name }, 'asynchronous invocation failed'),
      );
    return { status: 202, headers: { 'X-Amz-Executed-Version': '$LATEST' } };
  }

  try {
    const result = await deps.invoker.invoke({ functionName: name, event });
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'X-Amz-Executed-Version': '$LATEST',
      'x-amzn-RequestId': result.requestId,
    };
    if (result.functionError) headers['X-Amz-Function-Error'] = result.functionError;
    if (logType === 'Tail')
      headers['X-Amz-Log-Result'] = Buffer.from(result.logTail ?? '').toString('base64');
    return { status: 200, body: Buffer.from(result.payload), headers };
  } catch (error) {
    if (error instanceof ResourceNotFoundError)
      throw functionNotFound(lambdaFunctionArn(deps.settings, name));
    if (error instanceof TooManyRequestsError)
      throw new LambdaError(429, 'TooManyRequestsException', error.message);
    throw error;
  }
}

function parsePayload(body: Buffer): unknown {
  if (body.length > MAX_SYNC_PAYLOAD_BYTES)
    throw new LambdaError(
      413,
      'RequestTooLargeException',
      `Request must be smaller than ${MAX_SYNC_PAYLOAD_BYTES} bytes for the InvokeFunction operation`,
    );
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch (error) {
    throw new LambdaError(
      400,
      'InvalidRequestContentException',
      `Could not parse request body into json: Could not parse payload into json: ${(error as Error).message}`,
    );
  }
}

function header(request: AdminRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
