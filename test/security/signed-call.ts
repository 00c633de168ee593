// Sends a request signed as the AWS SDKs sign it (@smithy/signature-v4), over real HTTP.
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '../control/admin/sha256.js';
import { call, type Answer } from '../e2e/harness.js';

export interface SignedCall {
  url: string;
  method?: string;
  body?: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  service?: string;
  region?: string;
  signingDate?: Date;
  /** Changes the signed request before it is sent (a tampering attacker). */
  tamper?: (request: { url: string; headers: Record<string, string>; body: string }) => void;
}

export interface Signed {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Signs and sends; with `send: false`, only signs and returns what would be sent. */
export async function signedCall(input: SignedCall & { send: false }): Promise<Signed>;
export async function signedCall(input: SignedCall & { send?: true }): Promise<Answer>;
export async function signedCall(input: SignedCall & { send?: boolean }): Promise<Answer | Signed> {
  const url = new URL(input.url);
  const body = input.body ?? '';
  const signer = new SignatureV4({
    credentials: input.credentials,
    region: input.region ?? 'us-east-1',
    service: input.service ?? 'execute-api',
    sha256: Sha256,
  });
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  const signed = await signer.sign(
    {
      method: input.method ?? 'GET',
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query,
      headers: { host: url.host, ...(body ? { 'content-type': 'application/json' } : {}) },
      body,
    },
    input.signingDate ? { signingDate: input.signingDate } : {},
  );
  const sent = { url: input.url, headers: { ...signed.headers }, body };
  input.tamper?.(sent);
  if (input.send === false) return sent;
  return call(sent.url, {
    method: input.method ?? 'GET',
    headers: sent.headers,
    ...(sent.body ? { body: sent.body } : {}),
  });
}
