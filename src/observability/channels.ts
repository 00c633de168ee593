// What the gateway and the function plane announce as they work, on node:diagnostics_channel.
// Publishers call these only when someone listens (`hasSubscribers`), so an unobserved gateway
// pays one property read per event. Metrics (metrics.ts) subscribe; so can a user's own tracer
// or log shipper, by the channel names below, without touching Sallyport's code.
// https://nodejs.org/docs/latest-v20.x/api/diagnostics_channel.html
import { channel } from 'node:diagnostics_channel';
import type { AuthorizationNote } from '../gateway/authorization-note.js';
import type { GatewayResponseType } from '../model/types.js';

/** One data-plane request answered (any status, including gateway responses). */
export interface RequestAnswered {
  requestId: string;
  /** `x-amz-apigw-id`. */
  extendedRequestId: string;
  /** As the client sent them. */
  method: string;
  url: string;
  /** Arrival, ms since the epoch. */
  requestTimeEpoch: number;
  sourceIp: string;
  userAgent: string | undefined;
  protocol: string;
  /** The Host header. */
  domainName: string | undefined;
  /** The answer's body, in bytes. */
  responseLength: number;
  /** The deployed API and stage; undefined when the URL names none (403 Forbidden). */
  apiId: string | undefined;
  apiName: string | undefined;
  stage: string | undefined;
  /** The matched resource path and method; undefined when no route matched. */
  resourcePath: string | undefined;
  httpMethod: string | undefined;
  status: number;
  /** From arrival to the answer, ms (API Gateway's `Latency`). */
  latencyMs: number;
  /** The integration's share, ms (`IntegrationLatency`); undefined when no integration ran. */
  integrationLatencyMs: number | undefined;
  /** What the authorize step found (authorization-note.ts). */
  authorization: AuthorizationNote | undefined;
  /** The gateway response that ended the request, if one did, and the reason logged with it. */
  error:
    | {
        type: GatewayResponseType;
        /** What the caller was told (`$context.error.messageString`'s message). */
        message: string | null;
        /** What the log says: AWS's execution-log words where they differ from `message`. */
        logMessage: string;
        reason: string | undefined;
      }
    | undefined;
}

/** A Lambda authorizer's result looked up in the result cache. */
export interface AuthorizerCacheLookup {
  apiName: string;
  stage: string;
  authorizerId: string;
  hit: boolean;
}

/** One invocation ended (what the REPORT line says). */
export interface FunctionReport {
  functionName: string;
  durationMs: number;
  /** Present on a cold start: the environment's initialisation time. */
  initDurationMs: number | undefined;
  /** `error` or `timeout` when the invocation failed in the runtime; undefined otherwise. */
  status: string | undefined;
}

/**
 * An invocation entered a function's pool (`start`), then left it: ran (`end`) or was refused
 * (`throttled`, TooManyRequestsException, not an invocation for Lambda's metrics).
 */
export interface FunctionConcurrency {
  functionName: string;
  change: 'start' | 'end' | 'throttled';
  /** On `end`: the invocation ended in a function error (Lambda's `Errors`). */
  error?: boolean;
}

/**
 * One line of a stage's execution log (gateway/execution-trace.ts), in AWS's words, as API Gateway
 * writes it to `API-Gateway-Execution-Logs_{restApiId}/{stage}`; published as it happens.
 */
export interface ExecutionLogLine {
  requestId: string;
  restApiId: string;
  stage: string;
  /** ms since the epoch. */
  time: number;
  line: string;
}

export const requestAnswered = channel('sallyport:gateway:request');
export const authorizerCache = channel('sallyport:gateway:authorizer-cache');
export const functionReport = channel('sallyport:function:report');
export const functionConcurrency = channel('sallyport:function:concurrency');
export const executionLog = channel('sallyport:execution-log');
