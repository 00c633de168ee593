// The `X-Sallyport-Trace` response header: the request's authorization trace as compact JSON,
// for a request that carried a valid admin debug token (auth/debug-token.ts). Header values are
// ASCII without control characters, so anything else is written as a JSON \u escape; a huge
// policy's statements are left out (`"truncated":true`) to keep within clients' header limits.
import { authorizationTrace } from './authorization-trace.js';
import { describeAuthorization } from './authorization-summary.js';
import type { RequestAnswered } from './channels.js';
import { gatewayAnswer } from './request-log.js';

/** Longest header value written, in characters. */
const MAX_TRACE_HEADER = 6 * 1024;

type Outcome = Pick<RequestAnswered, 'status' | 'error' | 'authorization'> & {
  resourcePath: string | undefined;
  httpMethod: string | undefined;
};

export function debugTraceHeader(outcome: Outcome, now: number): string {
  const trace = authorizationTrace(outcome, now);
  const body: Record<string, unknown> = {
    resourcePath: outcome.resourcePath ?? null,
    httpMethod: outcome.httpMethod ?? null,
    status: outcome.status,
    detail: describeAuthorization(outcome, now) ?? gatewayAnswer(outcome) ?? null,
    authorization: trace ?? null,
  };
  let text = asciiJson(body);
  if (text.length > MAX_TRACE_HEADER && trace?.statements) {
    delete trace.statements;
    text = asciiJson({ ...body, truncated: true });
  }
  return text;
}

function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
