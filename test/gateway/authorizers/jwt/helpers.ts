// A fake issuer for unit tests: keys, a JWKS served through an injected fetch that counts calls
// and can fail or hang, and a signer.
import { SignJWT, exportJWK, generateKeyPair, type JWK, type JWTPayload } from 'jose';

export const ISSUER = 'https://issuer.example.com';
export const T0 = Date.UTC(2026, 0, 1); // the fake clock's start, ms
export const sec = (ms: number) => Math.floor(ms / 1000);

export interface FakeIssuer {
  fetch: typeof fetch;
  calls: string[];
  /** 'ok' serves, 'fail' answers 503, 'hang' never answers (until aborted). */
  mode: 'ok' | 'fail' | 'hang';
  sign(claims: JWTPayload, options?: { alg?: 'RS256' | 'ES256'; kid?: string }): Promise<string>;
  rotate(): Promise<void>;
  publicJwk(alg: 'RS256' | 'ES256'): JWK;
}

async function keyPair(alg: 'RS256' | 'ES256', kid: string) {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg } };
}

export async function fakeIssuer(): Promise<FakeIssuer> {
  let generation = 1;
  let keys = { RS256: await keyPair('RS256', 'rs-1'), ES256: await keyPair('ES256', 'es-1') };
  const issuer: FakeIssuer = {
    calls: [],
    mode: 'ok',
    fetch: ((input: string | URL, init?: RequestInit) => {
      const url = String(input);
      issuer.calls.push(url);
      if (issuer.mode === 'hang') {
        return new Promise((_, reject) =>
          init?.signal?.addEventListener('abort', () => reject(init.signal!.reason as Error)),
        );
      }
      if (issuer.mode === 'fail') return Promise.resolve(new Response('down', { status: 503 }));
      const body = url.endsWith('/.well-known/openid-configuration')
        ? { issuer: ISSUER, jwks_uri: `${ISSUER}/keys` }
        : { keys: [keys.RS256.jwk, keys.ES256.jwk] };
      return Promise.resolve(Response.json(body));
    }) as typeof fetch,
    sign: (claims, { alg = 'RS256', kid } = {}) =>
      new SignJWT({ iss: ISSUER, ...claims })
        .setProtectedHeader({ alg, kid: kid ?? keys[alg].kid })
        .sign(keys[alg].privateKey),
    rotate: async () => {
      generation += 1;
      keys = {
        RS256: await keyPair('RS256', `rs-${generation}`),
        ES256: await keyPair('ES256', `es-${generation}`),
      };
    },
    publicJwk: (alg) => keys[alg].jwk,
  };
  return issuer;
}
