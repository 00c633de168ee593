// Compares a whole answer (status, headers, body) with one recorded against AWS. Every recorded
// answer names its source — an AWS documentation URL, or a LocalStack snapshot file and test name
// (localstack/localstack tests/aws/services/**/*.snapshot.json were recorded against real AWS) —
// and a mismatch names it too, so the next difference is traced to where AWS said otherwise.
import assert from 'node:assert/strict';

/** Values AWS varies per request; a snapshot writes them as `<name:n>` placeholders. */
export const VARIES = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  /** `x-amz-apigw-id` / extendedRequestId: 11 bytes of base64, e.g. `UbT6EHHvIAMEPqw=`. */
  apigwId: /^[A-Za-z0-9+/]{15}=$/,
  /** An X-Ray trace root: `Root=1-{8 hex}-{24 hex}`, optionally `;Parent=…;Sampled=…`. */
  traceId: /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}(;Parent=[0-9a-f]{16})?(;Sampled=[01])?$/,
  /** An HTTP date (RFC 9110 IMF-fixdate). */
  httpDate: /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/,
  digits: /^\d+$/,
  any: /[\s\S]*/,
} as const;

/** A header expectation: the exact value, a pattern, or `ABSENT`. */
export const ABSENT = Symbol('absent');
export type HeaderExpectation = string | RegExp | typeof ABSENT;

export interface RecordedAnswer {
  /** Where AWS's answer comes from: a doc URL, or `<snapshot file> :: <test name>`. */
  source: string;
  status: number;
  /** By name, case-insensitive. Headers not listed are not compared. */
  headers?: Record<string, HeaderExpectation>;
  /**
   * A string is compared as text; anything else as JSON (deep, exact). Pattern leaves (`RegExp`)
   * in a JSON expectation match the string at that place.
   */
  body?: unknown;
}

/** What an answer looks like to the comparison: test/e2e/harness.ts `Answer` fits. */
export interface ActualAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function assertRecordedAnswer(actual: ActualAnswer, recorded: RecordedAnswer): void {
  const where = `(AWS: ${recorded.source})`;
  assert.equal(actual.status, recorded.status, `status ${where}; body: ${actual.body}`);
  for (const [name, expected] of Object.entries(recorded.headers ?? {})) {
    const got = actual.headers[name.toLowerCase()];
    const value = Array.isArray(got) ? got.join(', ') : got;
    if (expected === ABSENT) {
      assert.equal(value, undefined, `header ${name} must be absent ${where}`);
    } else if (expected instanceof RegExp) {
      assert.match(value ?? '', expected, `header ${name}: ${value} ${where}`);
    } else {
      assert.equal(value, expected, `header ${name} ${where}`);
    }
  }
  if (recorded.body === undefined) return;
  if (typeof recorded.body === 'string') {
    assert.equal(actual.body, recorded.body, `body ${where}`);
    return;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(actual.body);
  } catch {
    assert.fail(`body is not JSON ${where}: ${actual.body}`);
  }
  assertJsonLike(parsed, recorded.body, '$', where);
}

/** Deep equality where a RegExp in the expectation matches a string in the actual value. */
export function assertJsonLike(actual: unknown, expected: unknown, path: string, where = ''): void {
  if (expected instanceof RegExp) {
    assert.equal(typeof actual, 'string', `${path} must be a string ${where}`);
    assert.match(actual as string, expected, `${path} ${where}`);
    return;
  }
  if (expected === null || typeof expected !== 'object') {
    assert.deepEqual(actual, expected, `${path} ${where}`);
    return;
  }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path} must be an array ${where}`);
    assert.equal(actual.length, expected.length, `${path} length ${where}`);
    expected.forEach((e, i) => assertJsonLike(actual[i], e, `${path}[${i}]`, where));
    return;
  }
  assert.ok(
    actual !== null && typeof actual === 'object' && !Array.isArray(actual),
    `${path} must be an object ${where}`,
  );
  const a = actual as Record<string, unknown>;
  const e = expected as Record<string, unknown>;
  assert.deepEqual(Object.keys(a).sort(), Object.keys(e).sort(), `${path} keys ${where}`);
  for (const key of Object.keys(e)) assertJsonLike(a[key], e[key], `${path}.${key}`, where);
}
