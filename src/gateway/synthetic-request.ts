// A GatewayRequest built from its parts rather than from a socket: what TestInvokeMethod,
// TestInvokeAuthorizer and `sallyport explain` hand the pipeline's steps.
import { headerMaps, queryMaps } from './http/incoming.js';
import { newRequestIds } from './http/request-ids.js';
import type { GatewayRequest } from './request.js';

export interface RequestParts {
  requestId: string;
  httpMethod: string;
  /** Path (after the stage) and query, e.g. `/pets/1?x=y`. */
  pathWithQueryString: string;
  /** Flat [name, value, …], in the order a client would send them. */
  rawHeaders: string[];
  body: Buffer;
  sourceIp: string;
  domainName: string;
  now: number;
}

export function syntheticRequest(parts: RequestParts): GatewayRequest {
  const full = parts.pathWithQueryString;
  const q = full.indexOf('?');
  const path = q === -1 ? full : full.slice(0, q);
  const rawQuery = q === -1 ? '' : full.slice(q + 1);
  const { headers, lower } = headerMaps(parts.rawHeaders);
  return {
    requestId: parts.requestId,
    ...newRequestIds(parts.now),
    requestTimeEpoch: parts.now,
    httpMethod: parts.httpMethod,
    target: full,
    path: path.startsWith('/') ? path : `/${path}`,
    rawQuery,
    sourceIp: parts.sourceIp,
    domainName: parts.domainName,
    protocol: 'HTTP/1.1',
    headers,
    headersLower: lower,
    query: queryMaps(rawQuery),
    body: parts.body,
  };
}
