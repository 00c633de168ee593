// Small real parts for the data plane's unit tests: snapshots, requests, a scripted invoker.
import { getGlobalDispatcher } from 'undici';
import {
  parseEventJson,
  type InvokeRequest,
  type InvokeResult,
  type Invoker,
} from '../../src/functions/invoker.js';
import { proxyEventOf } from '../../src/functions/lambda-proxy-event.js';
import { AuthorizerCache } from '../../src/gateway/authorizers/cache.js';
import { MemoryCounters } from '../../src/gateway/limits/memory-counters.js';
import { UsageCatalog } from '../../src/gateway/limits/usage-catalog.js';
import type { PipelineDeps } from '../../src/gateway/pipeline.js';
import { compileStage, type CompileDeps } from '../../src/gateway/compile.js';
import type { CompiledStage, Exchange } from '../../src/gateway/compiled-api.js';
import { headerMaps, queryMaps } from '../../src/gateway/http/incoming.js';
import type { GatewayRequest } from '../../src/gateway/request.js';
import { route } from '../../src/gateway/steps/route.js';
import { lambdaInvocationUri } from '../../src/model/arn.js';
import {
  DEFAULT_SETTINGS,
  type ApiSnapshot,
  type Authorizer,
  type Integration,
  type Method,
} from '../../src/model/types.js';
import { createLogger } from '../../src/observability/logger.js';

export const API_ID = 'abcdef1234';
export const silentLogger = () => createLogger({ level: 'silent' });

/** A recorded call, its event as the function would see it (proxy events built from values). */
export type RecordedCall = InvokeRequest & { event: unknown };

/** An invoker that answers from `answer` and records every call. */
export class ScriptedInvoker implements Invoker {
  readonly calls: RecordedCall[] = [];
  constructor(
    readonly answer: (request: InvokeRequest) => Promise<InvokeResult> | InvokeResult = () => ({
      requestId: 'r',
      payload: '{"statusCode":200,"body":"ok"}',
    }),
    readonly functions: readonly string[] = ['fn', 'auth'],
  ) {}
  async invoke(request: InvokeRequest): Promise<InvokeResult> {
    // The event as the function gets it, whichever form it was sent in (invoker.ts); JSON text
    // that does not parse is refused as the pools refuse it, and the function never runs.
    const event =
      request.proxyEvent !== undefined
        ? proxyEventOf(request.proxyEvent)
        : request.eventJson !== undefined
          ? parseEventJson(request.eventJson)
          : request.event;
    this.calls.push({ ...request, event } as RecordedCall);
    return await this.answer(request);
  }
  has(name: string): boolean {
    return this.functions.includes(name);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

export const proxyTo = (functionName: string): Integration => ({
  type: 'AWS_PROXY',
  httpMethod: 'POST',
  uri: lambdaInvocationUri(DEFAULT_SETTINGS, functionName),
  timeoutInMillis: 29_000,
});

export const MOCK_200: Integration = {
  type: 'MOCK',
  requestTemplates: { 'application/json': '{"statusCode": 200}' },
  integrationResponses: {
    '200': { statusCode: '200', responseTemplates: { 'application/json': '{"mocked":true}' } },
  },
  timeoutInMillis: 29_000,
};

export function method(overrides: Partial<Method> = {}): Method {
  return {
    httpMethod: 'GET',
    authorizationType: 'NONE',
    apiKeyRequired: false,
    methodIntegration: MOCK_200,
    ...overrides,
  };
}

export function tokenAuthorizer(overrides: Partial<Authorizer> = {}): Authorizer {
  return {
    id: 'auth01',
    name: 'token-auth',
    type: 'TOKEN',
    authorizerUri: lambdaInvocationUri(DEFAULT_SETTINGS, 'auth'),
    identitySource: 'method.request.header.Authorization',
    authorizerResultTtlInSeconds: 300,
    ...overrides,
  };
}

/** One API with the given resources (path → methods); ids are derived from the path. */
export function snapshot(
  resources: Record<string, Method[]>,
  authorizers: Authorizer[] = [],
  gatewayResponses: ApiSnapshot['gatewayResponses'] = {},
): ApiSnapshot {
  return {
    api: {
      id: API_ID,
      name: 'unit',
      createdDate: 0,
      binaryMediaTypes: [],
      apiKeySource: 'HEADER',
    },
    resources: Object.entries(resources).map(([path, methods], i) => ({
      id: `res00${i}`,
      path,
      resourceMethods: Object.fromEntries(methods.map((m) => [m.httpMethod, m])),
    })),
    authorizers,
    gatewayResponses,
  };
}

export function compileDeps(invoker: Invoker = new ScriptedInvoker()): CompileDeps {
  return {
    invoker,
    dispatcher: getGlobalDispatcher(),
    settings: DEFAULT_SETTINGS,
    functionTimeout: () => undefined,
  };
}

export function stageOf(api: ApiSnapshot, invoker: Invoker = new ScriptedInvoker()): CompiledStage {
  return compileStage(
    api,
    { stageName: 'prod', deploymentId: 'dep001', variables: { v: '1' } },
    compileDeps(invoker),
  );
}

export interface RequestInput {
  method?: string;
  /** Path after the stage, with an optional query. */
  url?: string;
  headers?: [string, string][];
  body?: string;
}

/** A GatewayRequest as http/incoming.ts builds one, without a socket. */
export function gatewayRequest(input: RequestInput = {}): GatewayRequest {
  const url = input.url ?? '/';
  const q = url.indexOf('?');
  const { headers, lower } = headerMaps((input.headers ?? []).flat());
  return {
    requestId: '00000000-0000-4000-8000-000000000000',
    extendedRequestId: 'AAAAAAAAAAAAAA0=',
    traceRoot: 'Root=1-6553f100-000000000000000000000000',
    requestTimeEpoch: 1_700_000_000_000,
    httpMethod: input.method ?? 'GET',
    target: `/prod${url}`,
    path: q === -1 ? url : url.slice(0, q),
    rawQuery: q === -1 ? '' : url.slice(q + 1),
    sourceIp: '127.0.0.1',
    domainName: 'localhost',
    protocol: 'HTTP/1.1',
    headers,
    headersLower: lower,
    query: queryMaps(q === -1 ? '' : url.slice(q + 1)),
    body: Buffer.from(input.body ?? ''),
  };
}

export function exchangeFor(stage: CompiledStage, input: RequestInput = {}): Exchange {
  return route(gatewayRequest(input), stage);
}

/** What the authorize steps and the pipeline need: a fixed clock, no access keys, no logs. */
export function authorizeDeps(invoker: Invoker = new ScriptedInvoker()): PipelineDeps {
  return {
    invoker,
    cache: new AuthorizerCache({ now: () => 0 }),
    logger: silentLogger(),
    now: () => 0,
    secrets: new Map(),
    catalog: () => UsageCatalog.EMPTY,
    counters: new MemoryCounters(),
  };
}
