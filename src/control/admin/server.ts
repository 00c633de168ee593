// The admin listener: the REST-JSON protocol the AWS SDKs speak for API Gateway and Lambda, on
// node:http with find-my-way for AWS's fixed paths. Every request is authenticated (SigV4)
// before it reaches an operation; every error leaves as AWS's error shape.
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import findMyWay, { type HTTPVersion } from 'find-my-way';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import { StoreUnavailableError } from '../../store/store.js';
import { BadRequestError, ControlError } from '../errors.js';
import { bodyLimitFor, bodyTooLarge } from './body-limits.js';
import { readHashedBody } from './read-hashed-body.js';
import type { AdminAuthenticator } from './sigv4.js';

export interface AdminRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The body parsed as a JSON object; `{}` when empty; BadRequestException when malformed. */
  json<T = Record<string, unknown>>(): T;
}

export interface AdminResponse {
  status: number;
  /** Serialised as JSON, unless a Buffer (sent as is). */
  body?: unknown;
  headers?: Record<string, string>;
}

export type AdminHandler = (request: AdminRequest) => Promise<AdminResponse>;

export interface AdminRoutes {
  add(method: string, path: string, handler: AdminHandler): void;
}

export interface AdminServerOptions {
  logger: Logger;
  /**
   * Verifies the request's signature: on its headers first, then (the returned function) with
   * its body's hash. Either throws a ControlError to refuse the request.
   */
  authenticate: AdminAuthenticator;
  /** Each registers its operations' routes. */
  register: ((routes: AdminRoutes) => void)[];
  /**
   * Served at GET /metrics without a signature, as Prometheus scrapes (the admin listener is on
   * loopback unless told otherwise; `serve --no-metrics` turns it off).
   */
  metrics?: Metrics;
  /**
   * Answers that stay open (GET only, signed like any operation), by path: the handler owns the
   * response from then on (`sallyport logs --follow`).
   */
  streams?: Record<string, StreamHandler>;
}

/** Throws a ControlError to refuse (answered as any operation's error). */
export type StreamHandler = (query: URLSearchParams, res: ServerResponse) => void;

export function createAdminServer(options: AdminServerOptions): Server {
  const router = findMyWay<HTTPVersion.V1>({ ignoreTrailingSlash: true, maxParamLength: 2048 });
  const routes: AdminRoutes = {
    add(method, path, handler) {
      // The handler rides in find-my-way's route store; lookup happens in the request callback.
      router.on(method as never, path, () => undefined, { handler });
    },
  };
  for (const register of options.register) register(routes);

  return createServer((req, res) => {
    const send = (response: AdminResponse) => {
      const isBuffer = Buffer.isBuffer(response.body);
      const payload = isBuffer
        ? (response.body as Buffer)
        : response.body === undefined
          ? ''
          : JSON.stringify(response.body);
      const headers: Record<string, string> = {
        'Content-Type': isBuffer ? 'application/octet-stream' : 'application/json',
        'x-amzn-RequestId': crypto.randomUUID(),
        ...response.headers,
        'Content-Length': String(Buffer.byteLength(payload)),
      };
      res.writeHead(response.status, headers);
      res.end(payload);
    };
    const fail = (error: unknown) => {
      if (error instanceof ControlError) {
        send({
          status: error.status,
          body: { message: error.message },
          headers: { 'x-amzn-ErrorType': error.errorType },
        });
        return;
      }
      options.logger.error({ err: error }, 'admin operation failed');
      send({
        status: 500,
        // A store that refuses writes says why: the operator has something to fix.
        body: {
          message: error instanceof StoreUnavailableError ? error.message : 'Internal server error',
        },
        headers: { 'x-amzn-ErrorType': 'ServiceException' },
      });
    };
    // Refused on the headers alone (signature, size): answered at once, the body never read,
    // and the connection closed rather than drained.
    const refuse = (error: unknown) => {
      res.setHeader('Connection', 'close');
      fail(error);
    };
    let finish: ReturnType<AdminAuthenticator>;
    const path = (req.url ?? '/').split('?', 1)[0]!;
    if (options.metrics && path === '/metrics' && req.method === 'GET') {
      serveMetrics(options.metrics, res).catch(fail);
      return;
    }
    const limit = bodyLimitFor(path);
    try {
      finish = options.authenticate(req);
      if (Number(req.headers['content-length'] ?? 0) > limit.bytes) throw bodyTooLarge(limit);
    } catch (error) {
      refuse(error);
      return;
    }
    readHashedBody(req, limit.bytes, () => bodyTooLarge(limit))
      .then(async ({ body, sha256 }) => {
        finish(sha256);
        const stream = req.method === 'GET' ? options.streams?.[path] : undefined;
        if (stream) {
          stream(new URL(req.url ?? '/', 'http://admin').searchParams, res);
          return;
        }
        send(await dispatch(req, body));
      })
      .catch((error: unknown) => (req.complete ? fail(error) : refuse(error)));
  });

  async function dispatch(req: IncomingMessage, body: Buffer): Promise<AdminResponse> {
    const url = new URL(req.url ?? '/', 'http://admin');
    const found = router.find(req.method as never, url.pathname);
    if (!found) {
      throw new ControlError(
        404,
        'UnknownOperationException',
        `Unknown operation: ${req.method} ${url.pathname}`,
      );
    }
    const handler = (found.store as { handler: AdminHandler }).handler;
    return handler({
      method: req.method ?? 'GET',
      path: url.pathname,
      params: found.params as Record<string, string>,
      query: url.searchParams,
      headers: req.headers,
      body,
      json<T>() {
        if (body.length === 0) return {} as T;
        try {
          const parsed: unknown = JSON.parse(body.toString('utf8'));
          if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
            throw new Error('not an object');
          return parsed as T;
        } catch {
          throw new BadRequestError(
            'Could not parse request body into json: the body is not a JSON object',
          );
        }
      },
    });
  }
}

async function serveMetrics(metrics: Metrics, res: ServerResponse): Promise<void> {
  const text = await metrics.render();
  res.writeHead(200, {
    'Content-Type': metrics.contentType,
    'Content-Length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}
