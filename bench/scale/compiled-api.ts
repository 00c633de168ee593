// A generated API imported and compiled in this process as a deployment is (openapi/import.ts,
// gateway/compile.ts), with the pipeline `serve` runs and an authorizer answered in-process.
import { getGlobalDispatcher } from 'undici';
import type { InvokeRequest, InvokeResult, Invoker } from '../../src/functions/invoker.js';
import { AuthorizerCache } from '../../src/gateway/authorizers/cache.js';
import type { CompiledStage } from '../../src/gateway/compiled-api.js';
import { compileStage } from '../../src/gateway/compile.js';
import { headerMaps, queryMaps } from '../../src/gateway/http/incoming.js';
import { MemoryCounters } from '../../src/gateway/limits/memory-counters.js';
import { UsageCatalog } from '../../src/gateway/limits/usage-catalog.js';
import { createPipeline, type Pipeline } from '../../src/gateway/pipeline.js';
import type { GatewayRequest } from '../../src/gateway/request.js';
import { DEFAULT_SETTINGS } from '../../src/model/types.js';
import { createLogger } from '../../src/observability/logger.js';
import { importOpenApiDocument } from '../../src/openapi/import.js';
import { openApiWithOperations, tokenAuthorizerAnswer } from './generated-api.js';

export const API_ID = 'scale00001';
export const STAGE = 'scale';

/** Answers the authorizer (token `allow` only) and counts the calls, as the cache should spare them. */
class InProcessAuthorizer implements Invoker {
  calls = 0;
  invoke(request: InvokeRequest): Promise<InvokeResult> {
    this.calls++;
    const event = request.event as { authorizationToken?: string } | undefined;
    if (event?.authorizationToken !== 'allow')
      return Promise.resolve({
        requestId: 'r',
        payload: '{"errorMessage":"Unauthorized","errorType":"Error"}',
        functionError: 'Unhandled',
        errorType: 'Error',
        errorMessage: 'Unauthorized',
      } as InvokeResult);
    return Promise.resolve({
      requestId: 'r',
      payload: tokenAuthorizerAnswer(API_ID, STAGE, 'bench-user'),
    });
  }
  has(): boolean {
    return true;
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

export interface ScaledApi {
  stage: CompiledStage;
  pipeline: Pipeline;
  authorizer: InProcessAuthorizer;
}

export function compiledApiWith(operations: number): ScaledApi {
  const authorizer = new InProcessAuthorizer();
  const snapshot = importOpenApiDocument(openApiWithOperations(operations), {
    apiId: API_ID,
    settings: DEFAULT_SETTINGS,
    functionExists: () => true,
    source: 'generated',
  });
  const stage = compileStage(
    snapshot,
    { stageName: STAGE, deploymentId: 'scaledep01', variables: {} },
    {
      invoker: authorizer,
      dispatcher: getGlobalDispatcher(),
      settings: DEFAULT_SETTINGS,
      functionTimeout: () => undefined,
    },
  );
  const pipeline = createPipeline({
    invoker: authorizer,
    cache: new AuthorizerCache(),
    logger: createLogger({ level: 'silent' }),
    now: Date.now,
    secrets: new Map(),
    catalog: () => UsageCatalog.EMPTY,
    counters: new MemoryCounters(),
    // What is measured is the work per request, not AWS's account limit (`--account-throttle off`).
    accountThrottle: null,
  });
  return { stage, pipeline, authorizer };
}

/** A GET as http/incoming.ts builds one from a socket (`path` after the stage). */
export function getRequest(path: string, headers: [string, string][]): GatewayRequest {
  const { headers: maps, lower } = headerMaps(headers.flat());
  return {
    requestId: '00000000-0000-4000-8000-000000000000',
    extendedRequestId: 'AAAAAAAAAAAAAA0=',
    traceRoot: 'Root=1-6553f100-000000000000000000000000',
    requestTimeEpoch: Date.now(),
    httpMethod: 'GET',
    target: `/${STAGE}${path}`,
    path,
    rawQuery: '',
    sourceIp: '127.0.0.1',
    domainName: 'localhost',
    protocol: 'HTTP/1.1',
    headers: maps,
    headersLower: lower,
    query: queryMaps(''),
    body: Buffer.alloc(0),
  };
}
