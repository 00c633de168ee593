// Verifies AWS Signature Version 4, for the admin API (the AWS CLI, SDKs, Terraform and CDK work
// unchanged) and for AWS_IAM methods on the data plane. The signature is recomputed from the
// request as it arrived (canonical request → string to sign → HMAC chain) and compared in
// constant time. Two phases, so a caller can refuse on the headers alone before reading a body.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/signature-v4-troubleshooting.html
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import {
  canonicalHeaders,
  type HeaderFields,
  canonicalPath,
  canonicalQuery,
  splitUrl,
} from './canonical.js';
import { SIGNATURE_MISMATCH, SigV4Error } from './errors.js';

/** An access key pair the gateway accepts (the admin credentials). */
export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SigV4Context {
  /** Access key id → secret. */
  secrets: ReadonlyMap<string, string>;
  /** Signing names accepted in the credential scope. */
  services: readonly string[];
  /** When set, the only region accepted in the credential scope. */
  region?: string;
  now: number;
}

/** What the Authorization header claims, checked against everything but the payload. */
export interface SigV4Claim {
  accessKeyId: string;
  secret: string;
  amzDate: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

export interface SignedRequest {
  method: string;
  /** Path and query exactly as sent on the request line. */
  url: string;
  headers: HeaderFields;
  body: Buffer;
}

export const ALGORITHM = 'AWS4-HMAC-SHA256';
/** AWS refuses a request whose X-Amz-Date is more than 15 minutes from its clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

export const secretsOf = (keys: readonly AccessKey[]): ReadonlyMap<string, string> =>
  new Map(keys.map((k) => [k.accessKeyId, k.secretAccessKey]));

/** Both phases, for a request whose body is at hand. */
export function verifySigV4(request: SignedRequest, context: SigV4Context): SigV4Claim {
  const claim = checkSigV4Headers(request.headers, context);
  checkSigV4Signature(claim, request, payloadHashOf(request.headers, request.body));
  return claim;
}

/**
 * Phase one, on the headers alone: the Authorization header's shape, the date, the credential
 * scope, the clock and the access key. A request refused here never needs its body read.
 */
export function checkSigV4Headers(headers: HeaderFields, context: SigV4Context): SigV4Claim {
  const header = single(headers.authorization);
  if (header === undefined || header.trim() === '')
    throw new SigV4Error('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const auth = parseAuthorization(header);
  const amzDate = single(headers['x-amz-date']);
  if (amzDate === undefined) {
    throw new SigV4Error(
      'IncompleteSignatureException',
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  }
  const signedAt = parseAmzDate(amzDate);
  checkScope(auth, amzDate, context);
  if (!auth.signedHeaders.includes('host'))
    throw new SigV4Error(
      'InvalidSignatureException',
      "'Host' must be a 'SignedHeader' in the AWS Authorization.",
    );
  if (!auth.signedHeaders.includes('x-amz-date'))
    throw new SigV4Error(
      'InvalidSignatureException',
      "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.",
    );
  checkClock(signedAt, amzDate, context.now);
  const secret = context.secrets.get(auth.accessKeyId);
  if (secret === undefined)
    throw new SigV4Error(
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
  return { ...auth, secret, amzDate };
}

/**
 * Phase two: recomputes the signature with `payloadHash` (the declared x-amz-content-sha256, or
 * the body's SHA-256 in hex) and compares it in constant time.
 */
export function checkSigV4Signature(
  claim: SigV4Claim,
  request: Omit<SignedRequest, 'body'>,
  payloadHash: string,
): void {
  const key = signingKey(claim.secret, claim.date, claim.region, claim.service);
  const scope = `${claim.date}/${claim.region}/${claim.service}/aws4_request`;
  const { path, query } = splitUrl(request.url);
  const given = Buffer.from(claim.signature, 'hex');
  // The SDKs and botocore encode the (already percent-encoded) path once more for every service
  // but S3; a client that signs the path as sent is accepted too: either way the secret is needed.
  const paths = [canonicalPath(path, true)];
  if (path.includes('%')) paths.push(canonicalPath(path, false));
  for (const canonicalUri of paths) {
    const canonical = [
      request.method.toUpperCase(),
      canonicalUri,
      canonicalQuery(query),
      canonicalHeaders(request.headers, claim.signedHeaders),
      claim.signedHeaders.join(';'),
      payloadHash,
    ].join('\n');
    const stringToSign = [ALGORITHM, claim.amzDate, scope, sha256Hex(canonical)].join('\n');
    const expected = createHmac('sha256', key).update(stringToSign).digest();
    if (given.length === expected.length && timingSafeEqual(given, expected)) return;
  }
  throw new SigV4Error('InvalidSignatureException', SIGNATURE_MISMATCH);
}

/** The x-amz-content-sha256 the client declared (and signed), if any. */
export function declaredPayloadHash(headers: HeaderFields): string | undefined {
  return single(headers['x-amz-content-sha256']);
}

/**
 * The hash that goes into the canonical request. A declared hash is what was signed; unless it
 * is UNSIGNED-PAYLOAD it must also be the body's, or the body was changed.
 */
export function payloadHashOf(headers: HeaderFields, body: Buffer): string {
  return checkedPayloadHash(declaredPayloadHash(headers), sha256Hex(body));
}

export function checkedPayloadHash(declared: string | undefined, computed: string): string {
  if (declared !== undefined && declared !== computed && declared !== UNSIGNED_PAYLOAD)
    throw new SigV4Error(
      'InvalidSignatureException',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
  return declared ?? computed;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

type ParsedAuthorization = Omit<SigV4Claim, 'secret' | 'amzDate'>;

function parseAuthorization(header: string): ParsedAuthorization {
  const space = header.indexOf(' ');
  const algorithm = space === -1 ? header : header.slice(0, space);
  if (algorithm !== ALGORITHM) {
    throw new SigV4Error(
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
    throw new SigV4Error(
      'IncompleteSignatureException',
      missing.map((k) => `Authorization header requires '${k}' parameter.`).join(' '),
    );
  }
  const credential = fields.get('Credential')!;
  const parts = credential.split('/');
  if (parts.length !== 5) {
    throw new SigV4Error(
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
    throw new SigV4Error(
      'InvalidSignatureException',
      `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'.`,
    );
  }
  const signature = fields.get('Signature')!;
  if (!/^[0-9a-f]{64}$/.test(signature))
    throw new SigV4Error('InvalidSignatureException', SIGNATURE_MISMATCH);
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
    throw new SigV4Error(
      'IncompleteSignatureException',
      `Date must be in ISO-8601 'basic format'. Got '${amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`,
    );
  }
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  return Date.UTC(y!, mo! - 1, d, h, mi, s);
}

// The texts below are AWS's, trailing space included, e.g. for a Batch path signed for `es`:
// {"message":"Credential should be scoped to correct service: 'batch'. "}
// (https://github.com/cllunsford/aws-signing-proxy/issues/25).
function checkScope(auth: ParsedAuthorization, amzDate: string, context: SigV4Context): void {
  if (auth.date !== amzDate.slice(0, 8)) {
    throw new SigV4Error(
      'InvalidSignatureException',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  }
  if (
    !/^[a-z0-9-]+$/.test(auth.region) ||
    (context.region !== undefined && auth.region !== context.region)
  ) {
    throw new SigV4Error(
      'InvalidSignatureException',
      `Credential should be scoped to a valid region, not '${auth.region}'. `,
    );
  }
  if (!context.services.includes(auth.service)) {
    throw new SigV4Error(
      'InvalidSignatureException',
      `Credential should be scoped to correct service: '${context.services.join("' or '")}'. `,
    );
  }
}

function checkClock(signedAt: number, amzDate: string, now: number): void {
  if (signedAt < now - MAX_CLOCK_SKEW_MS) {
    throw new SigV4Error(
      'InvalidSignatureException',
      `Signature expired: ${amzDate} is now earlier than ${basicDate(now - MAX_CLOCK_SKEW_MS)} (${basicDate(now)} - 15 min.)`,
    );
  }
  if (signedAt > now + MAX_CLOCK_SKEW_MS) {
    throw new SigV4Error(
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

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const kDate = hmac(`AWS4${secret}`, date);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, 'aws4_request');
}

const hmac = (key: string | Buffer, data: string) =>
  createHmac('sha256', key).update(data).digest();
export const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
