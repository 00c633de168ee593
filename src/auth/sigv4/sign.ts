// Signs a request with SigV4, as the AWS SDKs do, for the CLI commands that talk to a running
// `serve`'s admin listener (`sallyport logs --follow`, `sallyport cors`). The same canonical form
// the verifier (verify.ts) recomputes.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
import { createHmac } from 'node:crypto';
import { canonicalHeaders, canonicalPath, canonicalQuery, splitUrl } from './canonical.js';
import { ALGORITHM, sha256Hex, signingKey, type AccessKey } from './verify.js';

export interface SigningTarget {
  method: string;
  /** Absolute URL. */
  url: string;
  service: string;
  region?: string;
  now?: number;
  /** The body sent, if any (its SHA-256 is signed as x-amz-content-sha256). */
  body?: string;
}

/** The headers to send: host, x-amz-date, x-amz-content-sha256 and Authorization. */
export function signedHeaders(target: SigningTarget, key: AccessKey): Record<string, string> {
  const url = new URL(target.url);
  const region = target.region ?? 'us-east-1';
  const amzDate = new Date(target.now ?? Date.now())
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const date = amzDate.slice(0, 8);
  const payloadHash = sha256Hex(target.body ?? '');
  const headers: Record<string, string> = {
    host: url.host,
    'x-amz-content-sha256': payloadHash,
    'x-amz-date': amzDate,
  };
  const names = Object.keys(headers).sort();
  const { path, query } = splitUrl(url.pathname + url.search);
  const canonical = [
    target.method.toUpperCase(),
    canonicalPath(path, true),
    canonicalQuery(query),
    canonicalHeaders(headers, names),
    names.join(';'),
    payloadHash,
  ].join('\n');
  const scope = `${date}/${region}/${target.service}/aws4_request`;
  const stringToSign = [ALGORITHM, amzDate, scope, sha256Hex(canonical)].join('\n');
  const signature = createHmac(
    'sha256',
    signingKey(key.secretAccessKey, date, region, target.service),
  )
    .update(stringToSign)
    .digest('hex');
  headers.authorization = `${ALGORITHM} Credential=${key.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
  return headers;
}
