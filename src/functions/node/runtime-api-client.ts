// The Node.js process runtime's side of the Lambda Runtime API: one kept-alive connection, HTTP/1.1
// written and read by hand. node:http's client (agent, ClientRequest, a parser per response) cost
// more CPU than the handler of a small function; this speaks only what the Runtime API needs.
// A result and the following `next` go out in one write (HTTP pipelining): the server handles a
// connection's requests in order, as Lambda's does, so the runtime is ready one hop sooner.
// https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
import { connect, type Socket } from 'node:net';

export const RUNTIME_PATH = '/2018-06-01/runtime';

export interface Answer {
  status: number;
  /** Header names in lower case, as node:http gives them. */
  headers: Record<string, string>;
  body: string;
}

interface Waiter {
  resolve: (answer: Answer) => void;
  reject: (error: Error) => void;
}

const HEADER_END = Buffer.from('\r\n\r\n');

export class RuntimeApiClient {
  private readonly socket: Socket;
  private readonly host: string;
  private pending: Buffer = Buffer.alloc(0);
  private readonly waiters: Waiter[] = [];
  private failure: Error | undefined;

  /** `address`: AWS_LAMBDA_RUNTIME_API, `host:port`. */
  constructor(address: string) {
    const colon = address.lastIndexOf(':');
    this.host = address;
    this.socket = connect({
      host: address.slice(0, colon),
      port: Number(address.slice(colon + 1)),
      noDelay: true,
    });
    this.socket.on('data', (chunk: Buffer) => this.received(chunk));
    const fail = (error?: Error) => {
      this.failure ??= error ?? new Error('Runtime API connection closed');
      for (const waiter of this.waiters.splice(0)) waiter.reject(this.failure);
    };
    this.socket.on('error', fail);
    this.socket.on('close', () => fail());
  }

  /** Sends the requests in one write; resolves with their answers, in order. */
  send(...requests: string[]): Promise<Answer>[] {
    if (this.failure) return requests.map(() => Promise.reject(this.failure!));
    this.socket.write(requests.length === 1 ? requests[0]! : requests.join(''), 'utf8');
    return requests.map(
      () => new Promise<Answer>((resolve, reject) => this.waiters.push({ resolve, reject })),
    );
  }

  next(): string {
    return `GET ${RUNTIME_PATH}/invocation/next HTTP/1.1\r\nHost: ${this.host}\r\n\r\n`;
  }

  post(path: string, body: string, headers = ''): string {
    return (
      `POST ${RUNTIME_PATH}${path} HTTP/1.1\r\nHost: ${this.host}\r\n` +
      `Content-Type: application/json\r\n${headers}` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
    );
  }

  private received(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    for (;;) {
      const parsed = parseAnswer(this.pending);
      if (parsed === undefined) return;
      this.pending = this.pending.subarray(parsed.size);
      this.waiters.shift()?.resolve(parsed.answer);
    }
  }
}

/** One whole answer at the start of `data` (Content-Length or chunked), or undefined if not all here. */
export function parseAnswer(data: Buffer): { answer: Answer; size: number } | undefined {
  const headerEnd = data.indexOf(HEADER_END);
  if (headerEnd === -1) return undefined;
  const lines = data.toString('latin1', 0, headerEnd).split('\r\n');
  const status = Number(lines[0]!.split(' ', 3)[1]);
  const headers: Record<string, string> = {};
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  let offset = headerEnd + HEADER_END.length;
  const length = headers['content-length'];
  if (length !== undefined) {
    const end = offset + Number(length);
    if (data.length < end) return undefined;
    return { answer: { status, headers, body: data.toString('utf8', offset, end) }, size: end };
  }
  if (headers['transfer-encoding']?.toLowerCase() !== 'chunked') {
    return { answer: { status, headers, body: '' }, size: offset };
  }
  const chunks: Buffer[] = [];
  for (;;) {
    const lineEnd = data.indexOf('\r\n', offset);
    if (lineEnd === -1) return undefined;
    const size = parseInt(data.toString('latin1', offset, lineEnd), 16);
    const start = lineEnd + 2;
    if (data.length < start + size + 2) return undefined;
    if (size === 0) {
      // No trailers from the Runtime API: the final chunk ends with one blank line.
      return {
        answer: { status, headers, body: Buffer.concat(chunks).toString('utf8') },
        size: start + 2,
      };
    }
    chunks.push(data.subarray(start, start + size));
    offset = start + size + 2;
  }
}
