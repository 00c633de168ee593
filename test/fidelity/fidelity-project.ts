// The project the data-plane fidelity tests run against: one function (`answer`), a MOCK, and an
// HTTP_PROXY to a backend in this process that records what it was sent.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ROOT, serve, tempProject, type Served } from '../e2e/harness.js';

export const FIXTURE = join(ROOT, 'test/fixtures/fidelity');
export const API = 'fidelity01';

export interface BackendRequest {
  url: string;
  headers: IncomingHttpHeaders;
}

export interface FidelityProject {
  served: Served;
  url: (path: string) => string;
  backendSeen: BackendRequest[];
  stop: () => Promise<void>;
}

/** `extraYaml` is appended to the project file (more APIs, more functions). */
export async function startFidelityProject(
  extraYaml = '',
  serveArgs: string[] = [],
): Promise<FidelityProject> {
  const backendSeen: BackendRequest[] = [];
  const backend: Server = createServer((req, res) => {
    backendSeen.push({ url: req.url!, headers: req.headers });
    req.resume();
    req.on('end', () => {
      res.writeHead(200, [
        ['Content-Type', 'text/plain'],
        ['WWW-Authenticate', 'Basic realm="up"'],
        ['x-amzn-RequestId', 'backend-request-id'],
        ['X-Up', 'yes'],
        ['Content-Length', '12'],
      ]);
      res.end('from backend');
    });
  });
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
  const backendPort = (backend.address() as AddressInfo).port;
  // Timeouts no busy machine can race, but for slow-init's, which is the point of its test.
  const functions = ['answer', 'policy-auth', 'inspect-auth', 'slow-init']
    .map(
      (name) => `
  ${name}:
    Runtime: nodejs20.x
    Handler: index.handler
    Code: ${join(FIXTURE, 'functions', name)}
    Timeout: ${name === 'slow-init' ? 1 : 30}`,
    )
    .join('');
  const dir = tempProject(`
functions:${functions}
apis:
  - name: fidelity
    id: ${API}
    openapi: ${join(FIXTURE, 'openapi.yaml')}
    stages:
      live:
        variables: { backendPort: "${backendPort}" }
${extraYaml}`);
  const served = await serve(['--config', dir, ...serveArgs]);
  return {
    served,
    url: (path) => `${served.base}/restapis/${API}/live/_user_request_${path}`,
    backendSeen,
    stop: async () => {
      await served.stop();
      await new Promise((r) => backend.close(r));
    },
  };
}
