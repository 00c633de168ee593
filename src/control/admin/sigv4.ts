// Verifies AWS Signature Version 4 on admin requests, so the AWS CLI, SDKs, Terraform and CDK
// authenticate against Sallyport unchanged. The signature is recomputed from the request as it
// arrived (canonical request → string to sign → HMAC chain) and compared in constant time.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/signature-v4-troubleshooting.html
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { SignatureError } from '../errors.js';

export interface AdminCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SigV4Options {
  credentials: AdminCredentials[];
  /** Signing names accepted in the credential scope. */
  services?: readonly string[];
  now?: () => number;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
/** AWS refuses a request whose X-Amz-Date is more than 15 minutes from its clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
const DEFAULT_SERVICES = ['apigateway', 'lambda'] as const;
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

/** An `authenticate` for createAdminServer: throws SignatureError (403) to refuse a request. */
export function createSigV4Authenticator(
  options: SigV4Options,
): (request: IncomingMessage, body: Buffer) => void {
  const secrets = new Map(options.credentials.map((c) => [c.accessKeyId, c.secretAccessKey]));
  const services: readonly string[] = options.services ?? DEFAULT_SERVICES;
  const now = options.now ?? Date.now;
  return (request, body) => {
    verifySigV4(
      {
        method: request.method ?? 'GET',
        url: request.url ?? '/',
        headers: request.headers,
        body,
      },
      { secrets, services, now: now() },
    );
  };
}

export interface SignedRequest {
  method: string;
  /** Path and query exactly as sent on the request line. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export function verifySigV4(
  request: SignedRequest,
  context: { secrets: Map<string, string>; services: readonly string[]; now: number },
): void {
  const header = single(request.headers.authorization);
  if (header === undefined || header.trim() === '')
    throw new SignatureError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const auth = parseAuthorization(header);
  const amzDate = single(request.headers['x-amz-date']);
  if (amzDate === undefined) {
    throw new SignatureError(
      'IncompleteSignatureException',
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  }
  const signedAt = parseAmzDate(amzDate);
  checkScope(auth, amzDate, context.services);
  if (!auth.signedHeaders.includes('host'))
    throw new SignatureError(
      'InvalidSignatureException',
      "'Host' must be a 'SignedHeader' in the AWS Authorization.",
    );
  if (!auth.signedHeaders.includes('x-amz-date'))
    throw new SignatureError(
      'InvalidSignatureException',
      "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.",
    );
  checkClock(signedAt, amzDate, context.now);
  const secret = context.secrets.get(auth.accessKeyId);
  if (secret === undefined)
    throw new SignatureError(
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
  const payloadHash = payloadHashOf(request);
  const key = signingKey(secret, auth.date, auth.region, auth.service);
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const { path, query } = splitUrl(request.url);
  // The SDKs and botocore encode the (already percent-encoded) path once more for every service
  // but S3; a client that signs the path as sent is accepted too: either way the secret is needed.
  const paths = [canonicalPath(path, true)];
  if (path.includes('%')) paths.push(canonicalPath(path, false));
  for (const canonicalUri of paths) {
    const canonical = [
      request.method.toUpperCase(),
      canonicalUri,
      canonicalQuery(query),
      canonicalHeaders(request.headers, auth.signedHeaders),
      auth.signedHeaders.join(';'),
      payloadHash,
    ].join('\n');
    const stringToSign = [ALGORITHM, amzDate, scope, sha256Hex(canonical)].join('\n');
    const expected = createHmac('sha256', key).update(stringToSign).digest();
    const given = Buffer.from(auth.signature, 'hex');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return;
  }
  throw new SignatureError('InvalidSignatureException', MISMATCH);
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function parseAuthorization(header: string): ParsedAuthorization {
  const space = header.indexOf(' ');
  const algorithm = space === -1 ? header : header.slice(0, space);
  if (algorithm !== ALGORITHM) {
    throw new SignatureError(
      'IncompleteSignatureException',
      `Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.`,
    );
  }
  const fields = new Map<string, string>();
  for (const part of header.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq !== -1) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const missing = ['Credential', 'Signature', 'SignedHeaders'].filter((k) => !fields.get(k));
  if (missing.length > 0) {
    throw new SignatureError(
      'IncompleteSignatureException',
      missing.map((k) => `Authorization header requires '${k}' parameter.`).join(' '),
    );
  }
  const credential = fields.get('Credential')!;
  const parts = credential.split('/');
  if (parts.length !== 5) {
    throw new SignatureError(
      'IncompleteSignatureException',
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
    );
  }
  const [accessKeyId, date, region, service, terminator] = parts as [
    string,
    string,
    string,
    string,
    string,
  ];
  if (terminator !== 'aws4_request') {
    throw new SignatureError(
      'InvalidSignatureException',
      `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'.`,
    );
  }
  const signature = fields.get('Signature')!;
  if (!/^[0-9a-f]{64}$/.test(signature))
    throw new SignatureError('InvalidSignatureException', MISMATCH);
  return {
    accessKeyId,
    date,
    region,
    service,
    signedHeaders: fields.get('SignedHeaders')!.toLowerCase().split(';'),
    signature,
  };
}

/** `20240131T235959Z` → epoch ms. */
function parseAmzDate(amzDate: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!m) {
    throw new SignatureError(
      'IncompleteSignatureException',
      `Date must be in ISO-8601 'basic format'. Got '${amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`,
    );
  }
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  return Date.UTC(y!, mo! - 1, d, h, mi, s);
}

function checkScope(auth: ParsedAuthorization, amzDate: string, services: readonly string[]) {
  if (auth.date !== amzDate.slice(0, 8)) {
    throw new SignatureError(
      'InvalidSignatureException',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  }
  if (!/^[a-z0-9-]+$/.test(auth.region)) {
    throw new SignatureError(
      'InvalidSignatureException',
      `Credential should be scoped to a valid region, not '${auth.region}'. `,
    );
  }
  if (!services.includes(auth.service)) {
    throw new SignatureError(
      'InvalidSignatureException',
      `Credential should be scoped to correct service: '${services.join("' or '")}'. `,
    );
  }
}

function checkClock(signedAt: number, amzDate: string, now: number): void {
  if (signedAt < now - MAX_CLOCK_SKEW_MS) {
    throw new SignatureError(
      'InvalidSignatureException',
      `Signature expired: ${amzDate} is now earlier than ${basicDate(now - MAX_CLOCK_SKEW_MS)} (${basicDate(now)} - 15 min.)`,
    );
  }
  if (signedAt > now + MAX_CLOCK_SKEW_MS) {
    throw new SignatureError(
      'InvalidSignatureException',
      `Signature not yet current: ${amzDate} is still later than ${basicDate(now + MAX_CLOCK_SKEW_MS)} (${basicDate(now)} + 15 min.)`,
    );
  }
}

function basicDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function payloadHashOf(request: SignedRequest): string {
  const computed = sha256Hex(request.body);
  const declared = single(request.headers['x-amz-content-sha256']);
  // A declared hash is what was signed; it must also be the body's, or the body was changed.
  if (declared !== undefined && declared !== computed && declared !== 'UNSIGNED-PAYLOAD')
    throw new SignatureError(
      'InvalidSignatureException',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
  return declared ?? computed;
}

function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const kDate = hmac(`AWS4${secret}`, date);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, 'aws4_request');
}

const hmac = (key: string | Buffer, data: string) =>
  createHmac('sha256', key).update(data).digest();
const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

function splitUrl(url: string): { path: string; query: string } {
  const q = url.indexOf('?');
  return q === -1 ? { path: url, query: '' } : { path: url.slice(0, q), query: url.slice(q + 1) };
}

/** RFC 3986 unreserved characters stay, everything else is %XX (uppercase), as AWS encodes. */
export function uriEscape(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** As @smithy/signature-v4's getCanonicalPath: normalise `.`/`..` and empty segments, then escape. */
function canonicalPath(path: string, doubleEncode: boolean): string {
  if (!doubleEncode) return path === '' ? '/' : path;
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `${path.startsWith('/') ? '/' : ''}${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return uriEscape(normalized).replace(/%2F/g, '/');
}

function canonicalQuery(query: string): string {
  if (query === '') return '';
  const pairs: [string, string][] = [];
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = decode(eq === -1 ? part : part.slice(0, eq));
    const value = eq === -1 ? '' : decode(part.slice(eq + 1));
    if (key.toLowerCase() === 'x-amz-signature') continue;
    pairs.push([uriEscape(key), uriEscape(value)]);
  }
  pairs.sort((a, b) =>
    a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0,
  );
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function canonicalHeaders(headers: IncomingHttpHeaders, signed: string[]): string {
  return signed
    .map((name) => {
      const value = headers[name];
      const text = Array.isArray(value) ? value.join(',') : (value ?? '');
      return `${name}:${text.trim().replace(/\s+/g, ' ')}\n`;
    })
    .join('');
}
