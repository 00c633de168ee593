// What the pipeline knows about one request as it moves through the steps. Each step reads what
// earlier steps set and adds its own part; none reaches into another step's internals.
import type { AuthorizationNote } from './authorization-note.js';
import type { ExecutionTrace } from './execution-trace.js';
import type { RequestTracing } from '../observability/tracing.js';

/** Header and query views in the two shapes AWS's events use, built once per request. */
export interface MultiValueMap {
  /** Last value wins, original case kept (AWS's `headers` / `queryStringParameters`). */
  single: Record<string, string>;
  /** Every value, in order (AWS's `multiValueHeaders` / `multiValueQueryStringParameters`). */
  multi: Record<string, string[]>;
}

export interface AuthorizerOutcome {
  principalId: string;
  /** The authorizer's `context` map: values are strings, numbers or booleans only. */
  context: Record<string, string | number | boolean>;
  usageIdentifierKey?: string;
  /** Claims, for COGNITO_USER_POOLS / JWT authorizers. */
  claims?: Record<string, unknown>;
  /** Authorizer function latency, ms (`$context.authorizer.integrationLatency`). */
  integrationLatency: number;
}

/** The API key a metered request was admitted with (`requestContext.identity.apiKey[Id]`). */
export interface UsedApiKey {
  id: string;
  value: string;
}

/** An AWS_IAM caller, as `requestContext.identity` describes it. */
export interface IamCaller {
  accessKey: string;
  accountId: string;
  caller: string;
  user: string;
  userArn: string;
}

export interface GatewayRequest {
  requestId: string;
  /** `x-amz-apigw-id` / `requestContext.extendedRequestId` (http/request-ids.ts). */
  extendedRequestId: string;
  /** X-Ray trace root, sent on when a backend is called and on its answer (http/request-ids.ts). */
  traceRoot: string;
  /** The request's spans, when an OpenTelemetry SDK records them (observability/tracing.ts). */
  tracing?: RequestTracing;
  /** Milliseconds since epoch when the request arrived. */
  requestTimeEpoch: number;
  httpMethod: string;
  /** The request target exactly as sent (path and query, before any decoding): SigV4 signs it. */
  target: string;
  /** The path after the stage, as the client sent it (percent-encoded), starting with `/`. */
  path: string;
  /** Query string without `?`, as the client sent it. */
  rawQuery: string;
  sourceIp: string;
  /** Host header the client sent, for `requestContext.domainName`. */
  domainName: string;
  protocol: string;
  /** Headers keep the client's name case and order (only `node:http`'s rawHeaders does). */
  headers: MultiValueMap;
  /** The local port the request came in on; absent for TestInvoke's requests (no CloudFront hop). */
  listenerPort?: number;
  /** An EDGE stage's event headers (http/edge-headers.ts), made once per request when needed. */
  edgeHeaders?: MultiValueMap;
  /** Lowercased header name → last value, for lookups that AWS does case-insensitively. */
  headersLower: Map<string, string>;
  query: MultiValueMap;
  body: Buffer;
  /** Set by the route step: the resource and method matched, for logs and metrics. */
  matched?: { resourcePath: string; httpMethod: string };
  /** Set by the integrate step when someone observes requests: the integration's time, ms. */
  integrationLatencyMs?: number;
  /** Set by the authorize step: what it found, for the logs. */
  authorization?: AuthorizationNote;
  /** The execution log, when the method logs (methodSettings) and someone listens. */
  executionLog?: ExecutionTrace;
}
