// How large a body each admin endpoint takes, checked before the body is read (Content-Length)
// and again while it streams in. Lambda's own limits: a 50 MB zip inline in CreateFunction /
// UpdateFunctionCode arrives base64 in JSON (about 70 MB), a synchronous Invoke payload is at
// most 6 MB. Every other operation takes JSON documents: 10 MB covers any OpenAPI import AWS
// accepts (its own import limit is lower).
// https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
import { ControlError } from '../errors.js';

export const MAX_CODE_BODY_BYTES = 70 * 1024 * 1024;
export const MAX_INVOKE_BODY_BYTES = 6 * 1024 * 1024;
export const MAX_DOCUMENT_BODY_BYTES = 10 * 1024 * 1024;

const LIMITS: { pattern: RegExp; bytes: number; operation: string }[] = [
  {
    pattern: /^\/2015-03-31\/functions\/?$/,
    bytes: MAX_CODE_BODY_BYTES,
    operation: 'CreateFunction',
  },
  {
    pattern: /^\/2015-03-31\/functions\/[^/]+\/code\/?$/,
    bytes: MAX_CODE_BODY_BYTES,
    operation: 'UpdateFunctionCode',
  },
  {
    pattern: /^\/2015-03-31\/functions\/[^/]+\/invocations\/?$/,
    bytes: MAX_INVOKE_BODY_BYTES,
    operation: 'Invoke',
  },
];

export function bodyLimitFor(path: string): { bytes: number; operation: string | undefined } {
  for (const limit of LIMITS) if (limit.pattern.test(path)) return limit;
  return { bytes: MAX_DOCUMENT_BODY_BYTES, operation: undefined };
}

/** Lambda's answer to an oversized request (413 RequestEntityTooLargeException). */
export function bodyTooLarge(limit: { bytes: number; operation: string | undefined }) {
  const forOperation = limit.operation ? ` for the ${limit.operation} operation` : '';
  return new ControlError(
    413,
    'RequestEntityTooLargeException',
    `Request must be smaller than ${limit.bytes} bytes${forOperation}`,
  );
}
