// A small client for a running `serve`'s admin API (the API Gateway control API), for CLI
// commands that act as a user would with the SDK: each call signed with SigV4 and the admin
// credentials serve found, JSON in and out; a refusal becomes an error carrying AWS's message.
import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { signedHeaders } from '../auth/sigv4/sign.js';
import type { AdminCredentials } from '../control/admin/sigv4.js';

export type AdminCall = <T = unknown>(method: string, path: string, body?: unknown) => Promise<T>;

/** The admin API's error: the status and the message its JSON body carries. */
export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function adminClient(endpointUrl: string, credentials: AdminCredentials): AdminCall {
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const url = new URL(path, endpointUrl);
    const text = body === undefined ? undefined : JSON.stringify(body);
    const headers = signedHeaders(
      {
        method,
        url: url.href,
        service: 'apigateway',
        ...(text === undefined ? {} : { body: text }),
      },
      credentials,
    );
    if (text !== undefined) headers['content-type'] = 'application/json';
    const send = url.protocol === 'https:' ? httpsRequest : request;
    const { status, answer } = await new Promise<{ status: number; answer: string }>(
      (done, refuse) => {
        const req = send(url, { method, headers }, (res) => {
          let answer = '';
          res.on('data', (d: Buffer) => (answer += d.toString()));
          res.on('end', () => done({ status: res.statusCode ?? 0, answer }));
        });
        req.on('error', (error) =>
          refuse(new Error(`cannot reach serve's admin API at ${url.origin}: ${error.message}`)),
        );
        req.end(text);
      },
    );
    if (status >= 400) throw new AdminApiError(status, `${status} ${messageOf(answer)}`);
    return (answer === '' ? undefined : JSON.parse(answer)) as T;
  };
}

/** The `message` of an admin API error body, else the body as it came. */
export function messageOf(body: string): string {
  try {
    const message = (JSON.parse(body) as { message?: unknown }).message;
    return typeof message === 'string' ? message : body;
  } catch {
    return body;
  }
}
