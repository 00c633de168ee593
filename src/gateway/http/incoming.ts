// Turns a node:http request into the pipeline's view of it, once. Header names keep the case and
// order the client sent (rawHeaders), because AWS's events do.
import type { IncomingMessage } from 'node:http';
import { RequestTooLargeError } from '../errors.js';
import { anyKeyMap } from '../any-key-map.js';
import type { GatewayRequest, MultiValueMap } from '../request.js';
import { newRequestIds, type RequestIds } from './request-ids.js';

/** API Gateway's payload limit: 10 MB. https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Reads a whole body, refusing (with `tooLarge()`) as soon as it passes `limit` bytes. */
export function readBody(
  req: IncomingMessage,
  limit = MAX_BODY_BYTES,
  tooLarge: () => Error = () => new RequestTooLargeError(),
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function headerMaps(rawHeaders: string[]): {
  headers: MultiValueMap;
  lower: Map<string, string>;
} {
  const single = anyKeyMap<string>();
  const multi = anyKeyMap<string[]>();
  const lower = new Map<string, string>();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    const value = rawHeaders[i + 1]!;
    single[name] = value;
    (multi[name] ??= []).push(value);
    lower.set(name.toLowerCase(), value);
  }
  return { headers: { single, multi }, lower };
}

export function queryMaps(rawQuery: string): MultiValueMap {
  const single = anyKeyMap<string>();
  const multi = anyKeyMap<string[]>();
  if (rawQuery === '') return { single, multi };
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeQuery(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decodeQuery(pair.slice(eq + 1));
    single[name] = value;
    (multi[name] ??= []).push(value);
  }
  return { single, multi };
}

function decodeQuery(s: string): string {
  const plus = s.includes('+') ? s.replace(/\+/g, ' ') : s;
  if (!plus.includes('%')) return plus;
  try {
    return decodeURIComponent(plus);
  } catch {
    return plus;
  }
}

export function toGatewayRequest(
  req: IncomingMessage,
  body: Buffer,
  path: string,
  rawQuery: string,
  requestId: string,
  now: number,
  ids: RequestIds = newRequestIds(now),
): GatewayRequest {
  const { headers, lower } = headerMaps(req.rawHeaders);
  return {
    requestId,
    ...ids,
    requestTimeEpoch: now,
    httpMethod: req.method ?? 'GET',
    target: req.url ?? '/',
    path,
    rawQuery,
    sourceIp: stripV4Mapped(req.socket.remoteAddress ?? '127.0.0.1'),
    domainName: lower.get('host') ?? 'localhost',
    protocol: `HTTP/${req.httpVersion}`,
    headers,
    listenerPort: req.socket.localPort,
    headersLower: lower,
    query: queryMaps(rawQuery),
    body,
  };
}

function stripV4Mapped(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}
