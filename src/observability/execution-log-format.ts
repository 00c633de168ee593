// How API Gateway's execution logs write things: maps as Java's `{k=v, k2=v2}`, secrets masked to
// their last six characters, a line cut at 1 KB with ` [TRUNCATED]`, and the two time formats (the
// console's Java `Date.toString()` in TestInvoke logs, ISO in CloudWatch).
// Recorded AWS logs these follow (each a TestInvoke `log` or a CloudWatch export):
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-create-api-as-simple-proxy-for-lambda.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-execution-logging.html

/** "Log events are truncated at 1 KB" (standard execution logging). */
export const LINE_LIMIT = 1024;

/** `{Accept=*\/*, Host=example.com}`: Java's Map.toString(), as every `… headers: {…}` line. */
export function awsMap(entries: Iterable<[string, string]> | Record<string, string>): string {
  const pairs = Symbol.iterator in entries ? [...entries] : Object.entries(entries);
  return `{${pairs.map(([k, v]) => `${k}=${v}`).join(', ')}}`;
}

/**
 * AWS shows a secret (an authorizer's incoming identity, an API key, a signature) as stars of the
 * same length and its last six characters: `**********************************bMZHBg` for a
 * 40-character API key. AWS is silent on short values; below 12 characters Sallyport shows
 * stars only, so a short token is never readable from its tail.
 */
export function maskSecret(value: string): string {
  if (value.length < 12) return '*'.repeat(value.length);
  return '*'.repeat(value.length - 6) + value.slice(-6);
}

/** A line longer than the limit keeps its first 1 KB, then ` [TRUNCATED]`, as AWS writes it. */
export function truncateLine(line: string): string {
  return line.length <= LINE_LIMIT ? line : `${line.slice(0, LINE_LIMIT)} [TRUNCATED]`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** `Wed Mar 05 06:43:16 UTC 2025`: Java's Date.toString() in UTC, as TestInvoke logs stamp lines. */
export function javaDate(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]!} ${MONTHS[d.getUTCMonth()]!} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** `2017-06-05T17:52:57.673Z (cf101403-…) Starting execution for request: cf101403-…`. */
export function cloudWatchLine(time: number, requestId: string, line: string): string {
  return `${new Date(time).toISOString()} (${requestId}) ${line}`;
}
