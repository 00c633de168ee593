// A real admin server on a free port, SigV4 on, a memory store, and real Node functions from the
// e2e fixtures; driven by the real @aws-sdk/client-api-gateway.
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { resolve } from 'node:path';
import { createAdminServer } from '../../../src/control/admin/server.js';
import { createSigV4Authenticator } from '../../../src/control/admin/sigv4.js';
import { registerApiGatewayRoutes } from '../../../src/control/apigateway/routes.js';
import type { ApiGatewayDeps } from '../../../src/control/apigateway/deps.js';
import { FunctionsInvoker } from '../../../src/functions/functions-invoker.js';
import { lambdaInvocationUri } from '../../../src/model/arn.js';
import { DEFAULT_SETTINGS, type FunctionConfig } from '../../../src/model/types.js';
import { createLogger } from '../../../src/observability/logger.js';
import { MemoryStore } from '../../../src/store/memory-store.js';
import type { ChangeEvent } from '../../../src/store/store.js';
import { TSX_WORKER_SCRIPT } from '../../functions/node/tsx-worker-script.js';

export const CREDENTIALS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

const FUNCTIONS = resolve(import.meta.dirname, '../../fixtures/e2e/functions');

const fn = (name: string, folder: string): FunctionConfig => ({
  FunctionName: name,
  Runtime: 'nodejs20.x',
  Handler: 'index.handler',
  Code: resolve(FUNCTIONS, folder),
  Timeout: 3,
  MemorySize: 128,
  Environment: { Variables: { GREETING: 'hello' } },
});

export const uriOf = (name: string) => lambdaInvocationUri(DEFAULT_SETTINGS, name);

export interface Admin {
  client: APIGatewayClient;
  endpoint: string;
  store: MemoryStore;
  events: ChangeEvent[];
  flushed: string[];
  deps: ApiGatewayDeps;
  close: () => Promise<void>;
}

export async function startAdmin(
  options: { functions?: boolean; now?: () => number } = {},
): Promise<Admin> {
  const logger = createLogger({
    level: 'error',
    destination: new Writable({ write: (_c, _e, done) => done() }),
  });
  const invoker = new FunctionsInvoker({
    functions: options.functions ? [fn('echo', 'echo'), fn('token-auth', 'token-auth')] : [],
    settings: DEFAULT_SETTINGS,
    logger,
    maxThreads: 1,
    workerScript: TSX_WORKER_SCRIPT,
  });
  const store = new MemoryStore();
  const events: ChangeEvent[] = [];
  store.subscribe((e) => events.push(e));
  const flushed: string[] = [];
  const known = new Set(['echo', 'token-auth']);
  const deps: ApiGatewayDeps = {
    store,
    settings: DEFAULT_SETTINGS,
    functionExists: (name) => known.has(name),
    invoker,
    logger,
    now: options.now ?? Date.now,
    flushAuthorizerCache: (apiId, stage) => void flushed.push(`${apiId}/${stage}`),
  };
  const server = createAdminServer({
    logger,
    authenticate: createSigV4Authenticator({
      credentials: [CREDENTIALS],
      ...(options.now ? { now: options.now } : {}),
    }),
    register: [registerApiGatewayRoutes(deps)],
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new APIGatewayClient({
    endpoint,
    region: 'us-east-1',
    credentials: CREDENTIALS,
    maxAttempts: 1,
  });
  return {
    client,
    endpoint,
    store,
    events,
    flushed,
    deps,
    close: async () => {
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
      await invoker.close();
    },
  };
}

/** Every entity in the store, to prove a refused request changed nothing. */
export async function dump(store: MemoryStore, apiIds: string[]): Promise<string> {
  const kinds = ['resource', 'authorizer', 'gatewayresponse', 'deployment', 'stage'] as const;
  const out: Record<string, unknown> = { restapi: await store.list('restapi', '') };
  for (const id of apiIds) for (const k of kinds) out[`${k}/${id}`] = await store.list(k, id);
  return JSON.stringify(out);
}
