// The Lambda Runtime API, served on loopback for one execution environment (one runtime process),
// as Lambda serves it inside each sandbox: the runtime long-polls `next`, runs the event, posts
// `response` or `error`; before its first `next` it may post `init/error` and exit.
// https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
// One server per environment keeps AWS_LAMBDA_RUNTIME_API a plain host:port, as on Lambda, and
// makes "which invocation is this runtime on" a field instead of a lookup.
import { chmodSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { MAX_RESPONSE_PAYLOAD_BYTES } from '../platform-errors.js';
import {
  ACCEPTED,
  INVALID_REQUEST_ID,
  invalidStateTransition,
  REQUEST_ENTITY_TOO_LARGE,
  type RuntimeApiAnswer,
  type RuntimeState,
} from './runtime-api-errors.js';

export const RUNTIME_API_VERSION = '2018-06-01';
const PREFIX = `/${RUNTIME_API_VERSION}/runtime/`;
const INVOCATION_PATH = /^invocation\/([^/]+)\/(response|error)$/;

/** One event for the runtime, with what `next` sends in its headers. */
export interface RuntimeInvocation {
  requestId: string;
  /** The event as JSON text: the body of `next`. */
  event: string;
  /** The function's Timeout: Lambda-Runtime-Deadline-Ms is counted from when the event is handed over. */
  timeoutMs: number;
  invokedFunctionArn: string;
  /** X-Ray tracing header (Lambda-Runtime-Trace-Id). */
  traceId: string;
  /** JSON text, sent only when set (Lambda-Runtime-Client-Context). */
  clientContext?: string;
  /** JSON text, sent only when set (Lambda-Runtime-Cognito-Identity). */
  cognitoIdentity?: string;
}

/** How the runtime ended an invocation (or its init). */
export type RuntimeOutcome =
  | { kind: 'response'; payload: Buffer }
  | { kind: 'error'; errorType: string | undefined; payload: Buffer }
  /** The response was over the 6 MB quota: the runtime got 413, the caller gets an error. */
  | { kind: 'tooLarge' }
  | { kind: 'initError'; errorType: string | undefined; payload: Buffer };

interface Pending {
  invocation: RuntimeInvocation;
  resolve: (outcome: RuntimeOutcome) => void;
  onDelivered: ((deadlineMs: number) => void) | undefined;
}

export class RuntimeApiServer {
  private state: RuntimeState = 'Started';
  private parkedNext: ServerResponse | undefined;
  private pending: Pending | undefined;
  private current: Pending | undefined;
  private initError: RuntimeOutcome | undefined;
  /** performance.now() of the first `next`: init is over when the runtime asks for work. */
  initDoneAt: number | undefined;
  /**
   * Connections whose request is still being handled (a result's body on its way), with the
   * requests pipelined behind it: each connection's requests run one after the other, as RAPID's
   * Go server runs them, so a runtime may send its result and its next `next` in one write.
   */
  private readonly handling = new WeakMap<Socket, (() => void)[]>();

  private constructor(private readonly server: Server) {}

  /** On 127.0.0.1 (an ephemeral port), or on `socketPath` for a sandbox's relay. */
  static async listen(socketPath?: string): Promise<RuntimeApiServer> {
    const server = createServer();
    const api = new RuntimeApiServer(server);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => api.handle(req, res));
    // `next` is a long poll: no request, header or keep-alive timer may cut it.
    server.requestTimeout = 0;
    server.keepAliveTimeout = 24 * 60 * 60 * 1000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      if (socketPath === undefined) server.listen(0, '127.0.0.1', () => resolve());
      // Writable by all: the folder around it (mode 0700, the sandbox's uid) is what guards it.
      else
        server.listen(socketPath, () => {
          chmodSync(socketPath, 0o666);
          resolve();
        });
    });
    return api;
  }

  /** `host:port`, the value of AWS_LAMBDA_RUNTIME_API (a sandbox gives its own). */
  get address(): string {
    const address = this.server.address();
    if (typeof address === 'string') return address;
    return `127.0.0.1:${(address as AddressInfo).port}`;
  }

  /**
   * Hands the event to the runtime (now if it is waiting in `next`, else on its next `next`);
   * `onDelivered` learns the deadline the runtime was given, so the caller's timer matches it.
   */
  invoke(
    invocation: RuntimeInvocation,
    onDelivered?: (deadlineMs: number) => void,
  ): Promise<RuntimeOutcome> {
    if (this.initError) return Promise.resolve(this.initError);
    return new Promise((resolve) => {
      this.pending = { invocation, resolve, onDelivered };
      if (this.parkedNext) this.deliver(this.parkedNext);
    });
  }

  /** The invocation ended without the runtime's answer (timeout, exit): later posts are refused. */
  abandon(): void {
    this.pending = undefined;
    this.current = undefined;
    this.state = 'RuntimeResponseSent';
  }

  async close(): Promise<void> {
    this.parkedNext?.destroy();
    this.parkedNext = undefined;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const { socket } = req;
    const queued = this.handling.get(socket);
    if (queued) {
      queued.push(() => this.handle(req, res));
      return;
    }
    const done = this.route(req, res);
    if (done === undefined) return;
    this.handling.set(socket, []);
    void done.then(() => {
      const waiting = this.handling.get(socket)!;
      this.handling.delete(socket);
      // A request that is itself read asynchronously puts the rest back in line behind it.
      for (let i = 0; i < waiting.length; i++) {
        const later = this.handling.get(socket);
        if (later) {
          later.push(...waiting.slice(i));
          return;
        }
        waiting[i]!();
      }
    });
  }

  /** Answers the request; a Promise when its body is read first (the connection waits for it). */
  private route(req: IncomingMessage, res: ServerResponse): Promise<void> | undefined {
    const path = req.url?.startsWith(PREFIX) ? req.url.slice(PREFIX.length) : undefined;
    if (path === 'invocation/next' && req.method === 'GET') {
      this.next(req, res);
      return undefined;
    }
    if (path === 'init/error' && req.method === 'POST') return this.postInitError(req, res);
    const match = path === undefined ? null : INVOCATION_PATH.exec(path);
    if (match && req.method === 'POST') {
      const [, requestId, kind] = match as unknown as [string, string, 'response' | 'error'];
      return this.postResult(req, res, decodeURIComponent(requestId), kind);
    }
    req.resume();
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('404 page not found\n');
    return undefined;
  }

  private next(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    if (this.state === 'Running' || this.state === 'InitError' || this.parkedNext) {
      return answer(res, invalidStateTransition(this.state, 'Ready'));
    }
    this.initDoneAt ??= performance.now();
    this.state = 'Ready';
    // A runtime that gives up on its poll (its process ended) must not be handed an event.
    res.once('close', () => {
      if (this.parkedNext === res) this.parkedNext = undefined;
    });
    if (this.pending) this.deliver(res);
    else this.parkedNext = res;
  }

  private deliver(res: ServerResponse): void {
    const pending = this.pending!;
    this.pending = undefined;
    this.parkedNext = undefined;
    this.current = pending;
    this.state = 'Running';
    const { invocation } = pending;
    const deadlineMs = Date.now() + invocation.timeoutMs;
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'Lambda-Runtime-Aws-Request-Id': invocation.requestId,
      'Lambda-Runtime-Deadline-Ms': String(deadlineMs),
      'Lambda-Runtime-Invoked-Function-Arn': invocation.invokedFunctionArn,
      'Lambda-Runtime-Trace-Id': invocation.traceId,
    };
    if (invocation.clientContext !== undefined)
      headers['Lambda-Runtime-Client-Context'] = invocation.clientContext;
    if (invocation.cognitoIdentity !== undefined)
      headers['Lambda-Runtime-Cognito-Identity'] = invocation.cognitoIdentity;
    res.writeHead(200, headers).end(invocation.event);
    pending.onDelivered?.(deadlineMs);
  }

  private postResult(
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
    kind: 'response' | 'error',
  ): Promise<void> | undefined {
    const target: RuntimeState =
      kind === 'response' ? 'InvocationResponse' : 'InvocationErrorResponse';
    if (this.state !== 'Running' || !this.current) {
      req.resume();
      answer(res, invalidStateTransition(this.state, target));
      return undefined;
    }
    if (requestId !== this.current.invocation.requestId) {
      req.resume();
      answer(res, INVALID_REQUEST_ID);
      return undefined;
    }
    const current = this.current;
    const errorType = req.headers['lambda-runtime-function-error-type'];
    return readBody(req).then((body) => {
      if (body === null) return;
      // The runtime may have been abandoned (timed out) while the body was on its way.
      if (this.current !== current) return answer(res, invalidStateTransition(this.state, target));
      this.current = undefined;
      this.state = 'RuntimeResponseSent';
      if (body === undefined) {
        answer(res, REQUEST_ENTITY_TOO_LARGE);
        return current.resolve({ kind: 'tooLarge' });
      }
      answer(res, ACCEPTED);
      current.resolve(
        kind === 'response'
          ? { kind: 'response', payload: body }
          : { kind: 'error', errorType: headerValue(errorType), payload: body },
      );
    });
  }

  private postInitError(req: IncomingMessage, res: ServerResponse): Promise<void> | undefined {
    if (this.state !== 'Started') {
      req.resume();
      answer(res, invalidStateTransition(this.state, 'InitError'));
      return undefined;
    }
    this.state = 'InitError';
    const errorType = headerValue(req.headers['lambda-runtime-function-error-type']);
    return readBody(req).then((body) => {
      if (body === null) return;
      answer(res, ACCEPTED);
      const outcome: RuntimeOutcome = {
        kind: 'initError',
        errorType,
        payload: body ?? Buffer.from('{}'),
      };
      this.initError = outcome;
      const pending = this.pending;
      this.pending = undefined;
      pending?.resolve(outcome);
    });
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function answer(res: ServerResponse, { status, body }: RuntimeApiAnswer): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

/**
 * The whole body; `undefined` once it passes the 6 MB quota (the rest is read and dropped);
 * `null` when the connection broke (the runtime is going away; its exit answers the invocation).
 */
function readBody(req: IncomingMessage): Promise<Buffer | undefined | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_RESPONSE_PAYLOAD_BYTES) chunks.push(chunk);
    });
    req.on('end', () =>
      resolve(size > MAX_RESPONSE_PAYLOAD_BYTES ? undefined : Buffer.concat(chunks, size)),
    );
    req.on('error', () => resolve(null));
  });
}
